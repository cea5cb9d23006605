/**
 * The bounds every request body and every patch result must respect, so that no single request
 * can cost unbounded time, memory or stack. Each check is iterative (an explicit stack, never
 * recursion) and stops as soon as the bound is crossed, so checking a hostile document costs no
 * more than the bound itself. docs/security.md lists these values and the Status a client gets.
 */
import { badRequest, StatusError } from '../errors/status.js';

/** kube's default max request body (--max-request-bytes); also the largest object we store. */
export const MAX_OBJECT_BYTES = 3 * 1024 * 1024;

/** kube's JSONPatchMaxCopyBytes: the total size `copy` operations of one JSON patch may add. */
export const MAX_JSON_PATCH_COPY_BYTES = 3 * 1024 * 1024;

/**
 * Deepest nesting of objects/arrays a document may have: kube's, whose Go decoders stop at
 * 10 000. Every walk over user data is iterative (an explicit stack, machinery/deep-walk.ts) or
 * falls back to one (machinery/json-text.ts for JSON.stringify), so no accepted document can
 * overflow the call stack.
 */
export const MAX_NESTING_DEPTH = 10_000;

export function tooDeeplyNested(what = 'the object'): StatusError {
  return badRequest(`${what} is nested too deeply: more than ${MAX_NESTING_DEPTH} levels of objects and arrays`);
}

/** True when `v` nests objects/arrays deeper than `max` levels (a scalar is depth 0). */
export function exceedsDepth(v: unknown, max = MAX_NESTING_DEPTH): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const stack: unknown[] = [v];
  const depths: number[] = [1];
  while (stack.length) {
    const cur = stack.pop() as Record<string, unknown> | unknown[];
    const d = depths.pop()!;
    if (d > max) return true;
    const children = Array.isArray(cur) ? cur : Object.values(cur);
    for (const c of children) {
      if (typeof c === 'object' && c !== null) { stack.push(c); depths.push(d + 1); }
    }
  }
  return false;
}

/** Throws 400 when a decoded body nests deeper than kube-compatible clients ever send. */
export function assertNestingDepth(v: unknown, what?: string): void {
  if (exceedsDepth(v)) throw tooDeeplyNested(what);
}

/**
 * A cheap upper-bound-ish estimate of `v`'s JSON size in bytes (strings counted in UTF-16 units,
 * which equals bytes for ASCII), stopping once it passes `cap`. Used where serialising the value
 * just to measure it would itself be the expensive step.
 */
export function jsonSizeAtLeast(v: unknown, cap: number): number {
  let size = 0;
  const stack: unknown[] = [v];
  while (stack.length) {
    const cur = stack.pop();
    if (typeof cur === 'string') size += cur.length + 2;
    else if (typeof cur === 'number' || typeof cur === 'bigint') size += 8;
    else if (typeof cur === 'boolean' || cur === null || cur === undefined) size += 4;
    else if (Array.isArray(cur)) { size += 2 + cur.length; for (const c of cur) stack.push(c); }
    else if (typeof cur === 'object') {
      const keys = Object.keys(cur);
      size += 2;
      for (const k of keys) { size += k.length + 4; stack.push((cur as Record<string, unknown>)[k]); }
    }
    if (size > cap) return size;
  }
  return size;
}

export function objectTooLarge(size: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge',
    `Request entity too large: the resulting object is at least ${size} bytes, limit is ${MAX_OBJECT_BYTES}`);
}

/** The checks every patch result passes before it goes on to admission and storage. */
export function assertPatchResultBounds(obj: unknown): void {
  // managedFields are the server's own record, not counted: they mirror the object a few levels
  // deeper (metadata.managedFields[i].fieldsV1 holds the field tree), so counting them refused
  // every patch of an object created at the depth limit
  const own = withoutManagedFields(obj);
  if (exceedsDepth(own)) throw tooDeeplyNested('the patched object');
  const size = jsonSizeAtLeast(own, MAX_OBJECT_BYTES);
  if (size > MAX_OBJECT_BYTES) throw objectTooLarge(size);
}

function withoutManagedFields(obj: unknown): unknown {
  const meta = (obj as { metadata?: unknown } | null)?.metadata;
  if (typeof meta !== 'object' || meta === null || !('managedFields' in meta)) return obj;
  const { managedFields: _mf, ...rest } = meta as Record<string, unknown>;
  return { ...(obj as Record<string, unknown>), metadata: rest };
}

/**
 * The copy budget of one JSON patch (evanphx/json-patch's AccumulatedCopySizeLimit, which kube
 * sets from JSONPatchMaxCopyBytes): every `copy` charges the size of what it copies, before the
 * copy is made, so a patch of doubling copies stops after a few megabytes of work.
 */
export class CopyBudget {
  #used = 0;
  constructor(readonly limit = MAX_JSON_PATCH_COPY_BYTES) {}

  /** Charges the size of `value`; returns the failure text once the budget is exceeded. */
  charge(value: unknown): string | undefined {
    const size = jsonSizeAtLeast(value, this.limit - this.#used + 1);
    this.#used += size;
    if (this.#used > this.limit) {
      return `Unable to complete the copy, the accumulated size increase of copy is ${this.#used}, exceeding the limit ${this.limit}`;
    }
    return undefined;
  }
}

/**
 * True when JSON text opens more than `max` nested objects/arrays. Runs before JSON.parse: V8
 * parses even a million levels, but takes seconds of event loop to do it.
 */
export function jsonTextExceedsDepth(text: string, max = MAX_NESTING_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
