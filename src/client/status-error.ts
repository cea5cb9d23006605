/**
 * Turns a non-2xx response into the same StatusError the server threw, so `isNotFound(e)`,
 * `isConflict(e)` and friends work on both sides of the wire. A body that is not a metav1.Status
 * (a proxy's HTML page, an empty 502) still becomes a StatusError, with the reason the HTTP code
 * implies.
 */
import { StatusError, type StatusDetails, type StatusReason } from '../errors/status.js';

const REASON_BY_CODE: Record<number, StatusReason> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  406: 'NotAcceptable', 409: 'Conflict', 410: 'Gone', 413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError',
  503: 'ServiceUnavailable', 504: 'Timeout',
};

const KNOWN_REASONS = new Set<string>([...Object.values(REASON_BY_CODE), 'AlreadyExists', 'Expired']);

export function reasonForCode(code: number): StatusReason {
  return REASON_BY_CODE[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest');
}

interface StatusLike {
  kind?: unknown;
  code?: unknown;
  reason?: unknown;
  message?: unknown;
  details?: unknown;
}

/** A StatusError from a metav1.Status object (a response body or a watch ERROR event). */
export function statusErrorFromStatus(status: StatusLike, fallbackCode: number): StatusError {
  const code = typeof status.code === 'number' && status.code > 0 ? status.code : fallbackCode;
  const reason = typeof status.reason === 'string' && KNOWN_REASONS.has(status.reason)
    ? status.reason as StatusReason
    : reasonForCode(code);
  const message = typeof status.message === 'string' && status.message
    ? status.message
    : `the server responded with status ${code}`;
  const details = status.details && typeof status.details === 'object' ? status.details as StatusDetails : undefined;
  return new StatusError(code, reason, message, details);
}

export function statusErrorFromResponse(httpStatus: number, body: Buffer): StatusError {
  const text = body.toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && (parsed as StatusLike).kind === 'Status') {
      return statusErrorFromStatus(parsed as StatusLike, httpStatus);
    }
  } catch {
    // not JSON: fall through to the code-derived error
  }
  const snippet = text.trim().slice(0, 200);
  const message = snippet
    ? `the server responded with status ${httpStatus}: ${snippet}`
    : `the server responded with status ${httpStatus}`;
  return new StatusError(httpStatus, reasonForCode(httpStatus), message);
}
