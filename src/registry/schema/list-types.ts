/**
 * x-kubernetes-list-type checks: `set` lists may not repeat a value, `map` lists may not repeat a
 * key tuple (x-kubernetes-list-map-keys). Reported as kube does: Duplicate at the second index.
 */
import type { FieldError } from '../../errors/status.js';
import type { JSONSchemaProps } from '../types.js';
import { duplicate } from './errors.js';
import { index } from './paths.js';
import { canonicalKey, isPlainObject } from './values.js';

/** The identity of a list-map item: its key fields, or undefined when it is not an object. */
export function listMapKey(keys: readonly string[], item: unknown): string | undefined {
  if (!isPlainObject(item)) return undefined;
  return canonicalKey(keys.map((k) => item[k] ?? null));
}

export function validateListType(s: JSONSchemaProps, list: unknown[], path: string): FieldError[] {
  const type = s['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') return [];
  const keys = s['x-kubernetes-list-map-keys'] ?? [];
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  list.forEach((item, i) => {
    const id = type === 'set' ? canonicalKey(item) : listMapKey(keys, item);
    if (id === undefined) return;
    if (seen.has(id)) {
      const shown = type === 'set' ? item : Object.fromEntries(keys.map((k) => [k, (item as Record<string, unknown>)[k]]));
      errs.push(duplicate(index(path, i), shown));
    }
    seen.add(id);
  });
  return errs;
}
