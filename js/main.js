// main.js — `npm start`: the service (js/service.js) configured from the environment, one log line
// when it serves, a clean stop on SIGTERM / SIGINT (requests and jobs in flight finish, job locks
// are released, exit 0), and a one-line message with exit 1 when it cannot start.
//
//   PORT (8080)  DETOUR_DB (sqlite:data/detour.db)  DETOUR_JOB_EXECUTOR (on | off)
//   DETOUR_JOB_LOCK_MS (300000)  DETOUR_BODY_LIMIT (16777216)
//   DETOUR_BATCH_JOBS_PER_SEED (100)  DETOUR_INVOCATIONS_PER_BATCH_JOB (1)

import { DEFAULT_DB, redact, startService } from './service.js';

/** The service options from `env`; throws with the offending variable named. */
function configFromEnv(env) {
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    db: env.DETOUR_DB || DEFAULT_DB,
    jobExecutor: onOff(env, 'DETOUR_JOB_EXECUTOR', true),
    lockDurationMs: integer(env, 'DETOUR_JOB_LOCK_MS', 300000, 1),
    bodyLimit: integer(env, 'DETOUR_BODY_LIMIT', 16 * 1024 * 1024, 1),
    batch: {
      batchJobsPerSeed: integer(env, 'DETOUR_BATCH_JOBS_PER_SEED', 100, 1, 2147483647),
      invocationsPerBatchJob: integer(env, 'DETOUR_INVOCATIONS_PER_BATCH_JOB', 1, 1, 2147483647),
    },
  };
}

function integer(env, name, fallback, min, max = Number.MAX_SAFE_INTEGER) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, not '${text}'`);
  return n;
}

function onOff(env, name, fallback) {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(text)) return true;
  if (['off', 'false', '0', 'no'].includes(text)) return false;
  throw new Error(`${name} must be on or off, not '${env[name]}'`);
}

async function main() {
  let service;
  try {
    const config = configFromEnv(process.env);
    service = await startService(config);
    console.log(`detour: serving ${service.url} (store ${redact(config.db)}, job executor ${config.jobExecutor ? 'on' : 'off'})`);
  } catch (e) {
    console.error(`detour: ${e?.message ?? e}`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return; // a second signal while stopping: the first one's shutdown continues
    stopping = true;
    try {
      await service.close();
      process.exit(0);
    } catch (e) {
      console.error(`detour: stopping on ${signal} failed: ${e?.message ?? e}`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main();
