/**
 * Kubernetes `metav1.Status` errors. Every error the API returns is a StatusError, so the wire layer
 * has exactly one way to turn a failure into a response; each carries a stable reason (the
 * Kubernetes one) and a message that says what to do.
 *
 * May import: nothing but node built-ins (errors/ is a leaf).
 */

export type StatusReason =
  | 'BadRequest' | 'Unauthorized' | 'Forbidden' | 'NotFound' | 'AlreadyExists' | 'Conflict'
  | 'Gone' | 'Expired' | 'Invalid' | 'MethodNotAllowed' | 'NotAcceptable' | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType' | 'TooManyRequests' | 'InternalError' | 'ServiceUnavailable' | 'Timeout';

export interface StatusCause { reason?: string; message?: string; field?: string }

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

/** The group-qualified resource as kube prints it in messages: `widgets.example.com`, `configmaps`. */
export interface GroupResource { group: string; resource: string }

export function qualifiedResource(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

/**
 * StatusDetails in kube's field order with empty values omitted (Go's omitempty): the core group is
 * never written as `"group":""`.
 */
export function orderedDetails(d: StatusDetails | undefined): StatusDetails | undefined {
  if (!d) return undefined;
  const out: StatusDetails = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes?.length) out.causes = d.causes.map(orderedCause);
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return out;
}

function orderedCause(c: StatusCause): StatusCause {
  const out: StatusCause = {};
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  if (c.field) out.field = c.field;
  return out;
}

export class StatusError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details?: StatusDetails;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  /** Fields in metav1.Status's order, as kube's encoder writes them (clients compare the text). */
  toStatus(): Status {
    const s: Status = {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: this.message, reason: this.reason,
    } as Status;
    const details = orderedDetails(this.details);
    if (details) s.details = details;
    s.code = this.code;
    return s;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function isNotFound(e: unknown): boolean { return isStatusError(e) && e.reason === 'NotFound'; }
export function isAlreadyExists(e: unknown): boolean { return isStatusError(e) && e.reason === 'AlreadyExists'; }
export function isConflict(e: unknown): boolean { return isStatusError(e) && e.reason === 'Conflict'; }

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(gr)} "${name}" not found`,
    { name, group: gr.group, kind: gr.resource });
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(gr)} "${name}" already exists`,
    { name, group: gr.group, kind: gr.resource });
}

export const OBJECT_MODIFIED =
  'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(gr: GroupResource, name: string, reason: string, causes?: StatusCause[]): StatusError {
  const details: StatusDetails = { name, group: gr.group, kind: gr.resource };
  if (causes) details.causes = causes;
  return new StatusError(409, 'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${reason}`, details);
}

/** One field error, worded as apimachinery's field.Error. */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueForbidden'
    | 'FieldValueDuplicate' | 'FieldValueTooLong' | 'FieldValueTooMany' | 'FieldValueTypeInvalid'
    | 'FieldValueNotFound' | 'InternalError';
  field: string;
  /** The offending value, rendered like Go's %#v for the message (omitted for Required/Forbidden). */
  value?: unknown;
  /** The value as kube prints it when a typed Go value shows differently (`map[string]string{…}`). */
  valueText?: string;
  detail: string;
}

export function renderFieldValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return '[]interface {}{...}';
  return '"object"';
}

/**
 * A value as Go's `%#v` prints what encoding/json decoded (field.Error's fallback for maps and
 * slices): `map[string]interface {}{"port":80, "protocol":"TCP"}`, keys sorted.
 */
export function goSyntax(v: unknown): string {
  // an explicit stack of what is still to write (values, or literal text): the values quoted in
  // field errors may be 10 000 levels deep
  const parts: string[] = [];
  const todo: Array<{ text: string } | { value: unknown }> = [{ value: v }];
  while (todo.length) {
    const next = todo.pop()!;
    if ('text' in next) { parts.push(next.text); continue; }
    const x = next.value;
    if (x === null || x === undefined) parts.push('interface {}(nil)');
    else if (typeof x === 'string') parts.push(JSON.stringify(x));
    else if (Array.isArray(x) || typeof x === 'object') {
      const isArray = Array.isArray(x);
      const o = x as Record<string, unknown>;
      const keys = isArray ? undefined : Object.keys(o).sort();
      const n = isArray ? (x as unknown[]).length : keys!.length;
      parts.push(isArray ? '[]interface {}{' : 'map[string]interface {}{');
      todo.push({ text: '}' });
      for (let i = n - 1; i >= 0; i--) {
        todo.push({ value: isArray ? (x as unknown[])[i] : o[keys![i]] });
        if (!isArray) todo.push({ text: `${JSON.stringify(keys![i])}:` });
        if (i > 0) todo.push({ text: ', ' });
      }
    } else parts.push(String(x));
  }
  return parts.join('');
}

/** The text apimachinery's field.Error.Error() produces: `spec.size: Invalid value: 5: must be ...`. */
export function fieldErrorMessage(fe: FieldError): string {
  switch (fe.type) {
    case 'FieldValueRequired': return `${fe.field}: Required value${fe.detail ? ': ' + fe.detail : ''}`;
    case 'FieldValueForbidden': return `${fe.field}: Forbidden${fe.detail ? ': ' + fe.detail : ''}`;
    case 'FieldValueNotFound': return `${fe.field}: Not found: ${renderFieldValue(fe.value)}`;
    case 'FieldValueDuplicate': return `${fe.field}: Duplicate value: ${goSyntax(fe.value)}`;
    case 'FieldValueTooLong': return `${fe.field}: Too long: ${fe.detail}`;
    case 'FieldValueTooMany': return `${fe.field}: Too many: ${fe.detail}`;
    case 'FieldValueNotSupported':
      return `${fe.field}: Unsupported value: ${renderFieldValue(fe.value)}${fe.detail ? ': ' + fe.detail : ''}`;
    case 'FieldValueTypeInvalid':
      return `${fe.field}: Invalid value: ${renderFieldValue(fe.value)}: ${fe.detail}`;
    case 'InternalError': return `${fe.field}: Internal error: ${fe.detail}`;
    default: return `${fe.field}: Invalid value: ${fe.valueText ?? renderFieldValue(fe.value)}: ${fe.detail}`;
  }
}

/** 422 Invalid: `Widget.example.com "w1" is invalid: [e1, e2]`; details.kind is the Kind. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const qk = group ? `${kind}.${group}` : kind;
  const msgs = errs.map(fieldErrorMessage);
  const joined = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${qk} "${name}" is invalid: ${joined}`, {
    name, group, kind,
    causes: errs.map((e, i) => ({ reason: e.type, message: msgs[i].slice(e.field.length + 2), field: e.field })),
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError(401, 'Unauthorized', message);
}

export function forbidden(gr: GroupResource, name: string, message: string): StatusError {
  const what = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return new StatusError(403, 'Forbidden', `${what} is forbidden: ${message}`,
    { name: name || undefined, group: gr.group, kind: gr.resource });
}

/** 410 Expired, as watch and list expiry report it. */
export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Gone', message);
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message);
}

export function notAcceptable(message: string): StatusError {
  return new StatusError(406, 'NotAcceptable', message);
}

export function requestEntityTooLarge(limitBytes: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge',
    `Request entity too large: limit is ${limitBytes}`);
}

export function unsupportedMediaType(message: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', message);
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`,
    { causes: [{ message }] });
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

export function timeoutError(message: string, retryAfterSeconds = 1): StatusError {
  return new StatusError(504, 'Timeout', message, { retryAfterSeconds });
}
