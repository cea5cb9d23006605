/**
 * Small helpers over plain JSON values (what a decoded request body or stored object is).
 */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// one implementation for every layer (machinery); re-exported for the patch code's imports
export { deepClone, setOwn } from '../../machinery/objects.js';

export { jsonEqual } from '../../storage/semantic-equal.js';
