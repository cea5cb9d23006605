/**
 * Small helpers over JSON objects that every layer needs: deep equality, deep copy, JSONPath-lite
 * field access. Kept here so no layer re-implements them.
 */
import { stringifyJSON } from './json-text.js';

/**
 * How deep the recursive fast paths here go before handing the rest of a subtree to an explicit
 * stack: far deeper than real objects (kube's types nest < 30 levels), far shallower than the
 * call stack (documents may be 10 000 levels deep).
 */
export const RECURSION_BUDGET = 500;

/** Deep equality of JSON values; `undefined`-valued keys count as absent. Holds any depth. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return equalWithin(a, b, RECURSION_BUDGET);
}

function equalWithin(a: unknown, b: unknown, budget: number): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (budget === 0) return equalIteratively(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalWithin(a[i], b[i], budget - 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    n++;
    if (!hasOwn(bo, k) || !equalWithin(ao[k], bo[k], budget - 1)) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

// An inherited name (`constructor`, `__proto__`) is not a field of the other side.
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** deepEqual on an explicit stack of pairs still to compare. */
function equalIteratively(a: unknown, b: unknown): boolean {
  const pending: unknown[] = [a, b];
  while (pending.length) {
    const y = pending.pop();
    const x = pending.pop();
    if (x === y) continue;
    if (typeof x !== typeof y || x === null || y === null || typeof x !== 'object') return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push(x[i], y[i]);
      continue;
    }
    if (Array.isArray(y)) return false;
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    let n = 0;
    for (const k in xo) {
      if (xo[k] === undefined) continue;
      n++;
      if (!hasOwn(yo, k)) return false;
      pending.push(xo[k], yo[k]);
    }
    for (const k in yo) if (yo[k] !== undefined) n--;
    if (n !== 0) return false;
  }
  return true;
}

/**
 * A deep copy of JSON data with JSON's semantics (dates become strings, undefined goes). The
 * serialize/parse round trip is the fast path; both halves hold any depth (V8's JSON.parse is
 * iterative, stringifyJSON falls back to an explicit stack).
 */
export function deepCopy<T>(v: T): T {
  return v === undefined ? v : JSON.parse(stringifyJSON(v));
}

/**
 * A copy of a JSON tree (structuredClone is slower for small trees, keeps undefined and overflows
 * the stack at a few thousand levels). Iterative, and a `__proto__` key stays an own key.
 */
export function deepClone<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  const root: unknown = Array.isArray(v) ? new Array(v.length) : {};
  const stack: Array<[from: unknown, to: unknown]> = [[v, root]];
  while (stack.length) {
    const [from, to] = stack.pop()!;
    if (Array.isArray(from)) {
      const arr = to as unknown[];
      for (let i = 0; i < from.length; i++) arr[i] = copyStep(from[i], stack);
    } else {
      const src = from as Record<string, unknown>;
      const dst = to as Record<string, unknown>;
      for (const k of Object.keys(src)) if (src[k] !== undefined) setOwn(dst, k, copyStep(src[k], stack));
    }
  }
  return root as T;
}

/** A scalar as is; a container as a new empty one, queued to be filled. */
function copyStep(x: unknown, stack: Array<[unknown, unknown]>): unknown {
  if (typeof x !== 'object' || x === null) return x;
  const c: unknown = Array.isArray(x) ? new Array(x.length) : {};
  stack.push([x, c]);
  return c;
}

/**
 * structuredClone where it can (it keeps undefined and non-JSON types), deepClone where the value
 * is too deep for it: V8's structured clone recurses and overflows at a few thousand levels.
 */
export function cloneValue<T>(v: T): T {
  try {
    return structuredClone(v);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return deepClone(v);
  }
}

/**
 * `obj[k] = v` with k `__proto__` (an ordinary key in decoded JSON) would replace the prototype:
 * the key would vanish from the document and its value would show through as inherited fields.
 */
export function setOwn(obj: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[k] = v;
}

/** Reads `a.b.c` or `.a.b[0].c` from an object; undefined when any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  const steps = path.replace(/^\./, '').split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
