// dates.js — Camunda's REST date format, yyyy-MM-dd'T'HH:mm:ss.SSSZ (rest-contract.md §1.4).
// Detour writes every date in UTC (+0000): the core keeps epoch milliseconds and knows no time zone.

/** Epoch ms → "2013-01-23T14:42:45.000+0000"; null stays null. */
export function formatDate(ms) {
  if (ms == null) return null;
  return new Date(ms).toISOString().replace('Z', '+0000');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * "2013-01-23T14:42:45.000+0200" → epoch ms, or null when the text is not a date. Accepts the
 * Camunda pattern and its ISO 8601 relatives (offset with a colon, Z, no millis; no offset: UTC).
 */
export function parseDate(text) {
  if (typeof text !== 'string') return null;
  const m = DATE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '0', zone = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0'));
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms);
  if (Number.isNaN(t)) return null;
  // Reject dates Date.UTC silently rolled over (2024-02-31).
  const check = new Date(t);
  if (check.getUTCDate() !== +d || check.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59 || +s > 59) return null;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return t;
}

/** A copy of `row` with the named fields (epoch ms) formatted as REST dates. */
export function withDates(row, fields) {
  const out = { ...row };
  for (const f of fields) if (f in out) out[f] = formatDate(out[f]);
  return out;
}
