/**
 * Pruning (apiextensions structural/pruning): removes every field the schema does not specify,
 * except under x-kubernetes-preserve-unknown-fields, and returns the removed paths so the server
 * can reject them (fieldValidation=Strict: `unknown field "spec.foo"`) or warn (Warn).
 *
 * `apiVersion`, `kind` and `metadata` at the resource root and in embedded resources are never
 * pruned: ObjectMeta is validated by validateObjectMeta, not by the schema.
 */
import type { JSONSchemaProps } from '../types.js';
import { child, index } from './paths.js';
import { isPlainObject } from './values.js';

export interface PruneOptions {
  /** Whether obj is a whole resource (keep apiVersion/kind/metadata). Default true. */
  resourceRoot?: boolean;
  /** Path prefix of obj (default ''). */
  path?: string;
}

const RESOURCE_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** Prunes in place; returns the removed fields' paths, sorted (`spec.foo`, `spec.items[0].bar`). */
export function prune(schema: JSONSchemaProps, obj: unknown, opts: PruneOptions = {}): string[] {
  const removed: string[] = [];
  pruneNode(schema, obj, opts.path ?? '', opts.resourceRoot ?? true, removed);
  return removed.sort();
}

function pruneNode(s: JSONSchemaProps, x: unknown, path: string, resource: boolean, removed: string[]): void {
  if (Array.isArray(x)) {
    // only objects and arrays hold fields to prune: scalar items need no path string
    if (s.items) x.forEach((v, i) => { if (typeof v === 'object' && v !== null) pruneNode(s.items!, v, index(path, i), false, removed); });
    return;
  }
  if (!isPlainObject(x)) return;
  const keepResourceFields = resource || s['x-kubernetes-embedded-resource'] === true;
  const additional = isPlainObject(s.additionalProperties) ? s.additionalProperties : undefined;
  const props = s.properties;
  for (const k of Object.keys(x)) {
    if (keepResourceFields && RESOURCE_FIELDS.has(k)) continue;
    const v = x[k];
    const prop = props && Object.hasOwn(props, k) ? props[k] : undefined;
    // only objects and arrays hold fields to prune: a scalar needs no walk and no path string
    if (prop || additional) { if (typeof v === 'object' && v !== null) pruneNode((prop ?? additional)!, v, child(path, k), false, removed); }
    else if (s.additionalProperties === true || s['x-kubernetes-preserve-unknown-fields']) continue;
    else { delete x[k]; removed.push(child(path, k)); }
  }
}
