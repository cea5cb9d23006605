/**
 * Small helpers over plain JSON values (what a decoded request body or stored object is).
 */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** structuredClone is slower for small JSON trees and keeps undefined; JSON values need neither. */
export function deepClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepClone) as T;
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) if (v[k] !== undefined) out[k] = deepClone(v[k]);
    return out as T;
  }
  return v;
}

export { jsonEqual } from '../../storage/semantic-equal.js';
