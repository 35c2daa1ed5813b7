// routes/engine.js — GET /engine and GET /version (rest-contract.md §7.12).
import { ENGINE_NAME } from '../server.js';

/** The Camunda REST version Detour's contract follows. */
export const CAMUNDA_VERSION = '7.24.0';

export function register(router) {
  router.get('/engine', () => [{ name: ENGINE_NAME }]);
  router.get('/version', () => ({ version: CAMUNDA_VERSION }));
}
