/**
 * forEachValidationRule: visits every schema node that carries x-kubernetes-validations, with the
 * value there, the correlated old value (for transition rules) and the field path as kube's CEL
 * validator builds it (`spec.items[0]`, `spec.labels[key]`). The CEL layer evaluates the rules;
 * this module only walks.
 *
 * Old values are correlated like kube: object properties and map entries by key, listType=map
 * items by their key fields, listType=set items by value; atomic lists are not correlated.
 */
import type { JSONSchemaProps } from '../types.js';
import { listMapKey } from './list-types.js';
import { child, index, key } from './paths.js';
import { canonicalKey, isPlainObject } from './values.js';

export type ValidationRuleVisitor = (
  schemaNode: JSONSchemaProps, value: unknown, oldValue: unknown, fieldPath: string,
) => void;

export function forEachValidationRule(
  schema: JSONSchemaProps, obj: unknown, oldObj: unknown, cb: ValidationRuleVisitor,
): void {
  walk(schema, obj, oldObj, '', cb);
}

const rulesBelow = new WeakMap<JSONSchemaProps, boolean>();

/** Whether a schema node or any node under it carries rules: most subtrees carry none and are skipped. */
function hasRules(s: JSONSchemaProps): boolean {
  let has = rulesBelow.get(s);
  if (has === undefined) {
    rulesBelow.set(s, false); // a recursive schema is cut here rather than looping
    has = Boolean(s['x-kubernetes-validations']?.length)
      || Object.values(s.properties ?? {}).some(hasRules)
      || (isPlainObject(s.additionalProperties) && hasRules(s.additionalProperties as JSONSchemaProps))
      || (s.items !== undefined && hasRules(s.items));
    rulesBelow.set(s, has);
  }
  return has;
}

function walk(s: JSONSchemaProps, v: unknown, old: unknown, path: string, cb: ValidationRuleVisitor): void {
  if (v === undefined || !hasRules(s)) return;
  if (s['x-kubernetes-validations']?.length) cb(s, v, old, path);
  if (isPlainObject(v)) {
    const oldMap = isPlainObject(old) ? old : undefined;
    const additional = isPlainObject(s.additionalProperties) ? s.additionalProperties : undefined;
    for (const [k, val] of Object.entries(v)) {
      const prop = s.properties?.[k];
      if (prop) walk(prop, val, oldMap?.[k], child(path, k), cb);
      else if (additional) walk(additional, val, oldMap?.[k], key(path, k), cb);
    }
  } else if (Array.isArray(v) && s.items) {
    const correlate = oldCorrelator(s, old);
    v.forEach((item, i) => walk(s.items!, item, correlate(item), index(path, i), cb));
  }
}

function oldCorrelator(s: JSONSchemaProps, old: unknown): (item: unknown) => unknown {
  const type = s['x-kubernetes-list-type'];
  if (!Array.isArray(old) || (type !== 'map' && type !== 'set')) return () => undefined;
  const id = type === 'set' ? canonicalKey : (item: unknown) => listMapKey(s['x-kubernetes-list-map-keys'] ?? [], item);
  const byId = new Map<string | undefined, unknown>();
  for (const o of old) byId.set(id(o), o);
  return (item) => byId.get(id(item));
}
