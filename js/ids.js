// ids.js — the host's share of ids (browser-safe): the random seed every core command gets, and
// the ids the host makes itself (deployments, batches, history rows) in the core's layout.

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
// Random bytes are drawn 4 KB at a time: a getRandomValues call per seed (about ten per restart)
// was 5 % of a batch restart's time.
const pool = new Uint8Array(4096);
let used = pool.length;

/** 32 random hex digits: a core command's idSeed. */
export function randomSeed() {
  if (used + 16 > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    used = 0;
  }
  let hex = '';
  for (const end = used + 16; used < end; used++) hex += HEX[pool[used]];
  return hex;
}

/**
 * A version-7 UUID (RFC 9562), as the core makes them (src/ids.h): `now` (epoch ms) in the first
 * 48 bits, the rest from `seed` (32 hex digits). Ids made later sort later, so the indexes over
 * them grow at their right edge.
 */
export function timeOrderedUuid(now, seed = randomSeed()) {
  const t = Math.max(0, Math.trunc(now)).toString(16).padStart(12, '0').slice(-12);
  // the seed's last 19 digits (74 bits), where a counting test seed differs
  const variant = ((parseInt(seed[13], 16) & 0x3) | 0x8).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${seed.slice(14, 17)}-${variant}${seed.slice(17, 20)}-${seed.slice(20, 32)}`;
}
