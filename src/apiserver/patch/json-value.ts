/**
 * Small helpers over plain JSON values (what a decoded request body or stored object is).
 */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `obj[k] = v` with k `__proto__` (an ordinary key in decoded JSON) would replace the prototype:
 * the key would vanish from the document and its value would show through as inherited fields.
 */
export function setOwn(obj: JsonObject, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  else obj[k] = v;
}

/**
 * structuredClone is slower for small JSON trees and keeps undefined; JSON values need neither.
 * Iterative (an explicit stack), so no depth of input can overflow the call stack.
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
      const src = from as JsonObject;
      const dst = to as JsonObject;
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

export { jsonEqual } from '../../storage/semantic-equal.js';
