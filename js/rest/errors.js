// errors.js — Camunda's error bodies ({type, message, code}) and the status each error gets.
//
// The Java REST layer's rule (rest-contract.md §2, semantics.md §4.1): exceptions the REST layer
// raises carry their own status and code null; engine exceptions of the BadUserRequest family are
// 400 with code 0; any other engine exception is 500 with its code (0, or 1 for optimistic
// locking). Anything else is a bug: 500 with its class name, logged by the server.

/** An error the REST layer raises itself (InvalidRequestException / RestException), with its status. */
export class RestError extends Error {
  constructor(status, message, { type = 'InvalidRequestException', code = null } = {}) {
    super(message);
    this.name = 'RestError';
    this.status = status;
    this.type = type;
    this.code = code;
  }
}

/** 400 InvalidRequestException — the REST layer's usual complaint about a request. */
export function invalidRequest(message) {
  return new RestError(400, message);
}

// Engine exception types that are BadUserRequestException or one of its subclasses.
const BAD_USER_REQUEST = new Set([
  'BadUserRequestException',
  'NotFoundException',
  'NotValidException',
  'NotAllowedException',
  'SuspendedEntityInteractionException',
  'ParseException',
  'MigratingProcessInstanceValidationException',
]);

const ENGINE_CODES = { OptimisticLockingException: 1 };

/** Whether `e` is an engine exception (a CoreError or a store error with a Camunda type). */
export function isEngineError(e) {
  return !(e instanceof RestError) && typeof e?.type === 'string';
}

/** Whether `e` is an engine exception of the BadUserRequestException family (a 400 where it reaches the REST layer). */
export function isBadUserRequest(e) {
  return isEngineError(e) && BAD_USER_REQUEST.has(e.type);
}

/** The code an engine exception carries on the wire: 1 for optimistic locking, else 0. */
export function engineCode(e) {
  return ENGINE_CODES[e.type] ?? 0;
}

/** 400 for a request body over the service's limit (bodyLimit, DETOUR_BODY_LIMIT), JSON or multipart. */
export function bodyTooLarge(limit) {
  return invalidRequest(`Request body exceeds the limit of ${limit} bytes`);
}

/** → {status, body, bug}: the HTTP answer for any thrown value (bug: not an expected error). */
export function errorResponse(e) {
  if (e instanceof RestError) {
    return { status: e.status, body: { type: e.type, message: e.message, code: e.code } };
  }
  if (isEngineError(e)) {
    // The REST layer lets InvalidRequestException from variable conversion through as its own.
    if (e.type === 'InvalidRequestException') return { status: 400, body: { type: e.type, message: e.message, code: null } };
    return { status: isBadUserRequest(e) ? 400 : 500, body: { type: e.type, message: e.message, code: engineCode(e) } };
  }
  const type = e?.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : 'Error';
  return { status: 500, body: { type, message: e?.message ?? String(e), code: null }, bug: true };
}

/**
 * Rethrows an engine error as a RestError with the given status (and, when `message` is a
 * function, its rewording of the engine message), as individual Java resources do. Other errors
 * pass unchanged.
 */
export function asRestError(e, status, { type = 'InvalidRequestException', message = (m) => m } = {}) {
  if (!isEngineError(e)) return e;
  return new RestError(status, message(e.message), { type, code: engineCode(e) });
}
