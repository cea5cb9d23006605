/**
 * Walking a structural schema alongside a value: which child schema a key has, whether a list is
 * atomic, a set or a map (and by which keys), whether a map is atomic. Every patch strategy and the
 * field-set computation ask the same questions, so they are answered once here.
 *
 * `metadata` is always described by ObjectMeta's own rules (finalizers are a set, ownerReferences
 * a map keyed by uid), as kube does, because CRD schemas only say `metadata: {type: object}`.
 */
import type { JSONSchemaProps } from '../../registry/types.js';

export type ListKind =
  | { kind: 'atomic' }
  | { kind: 'set' }
  | { kind: 'map'; keys: string[]; defaults?: Record<string, unknown> };

/** ObjectMeta's list and map semantics (k8s.io/apimachinery ObjectMeta openapi extensions). */
export const OBJECT_META_SCHEMA: JSONSchemaProps = {
  type: 'object',
  properties: {
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: {
      type: 'array', items: { type: 'string' },
      'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge',
    },
    ownerReferences: {
      type: 'array',
      items: { type: 'object', 'x-kubernetes-map-type': 'atomic' },
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['uid'],
      'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'uid',
    },
  },
  'x-kubernetes-preserve-unknown-fields': true,
};

/** The schema of `key` inside an object described by `s` (undefined = unknown: treated generically). */
export function childSchema(s: JSONSchemaProps | undefined, key: string, atRoot = false): JSONSchemaProps | undefined {
  if (atRoot && key === 'metadata') return mergeMeta(s?.properties?.metadata);
  if (!s) return undefined;
  const p = s.properties?.[key];
  if (p) return p;
  if (typeof s.additionalProperties === 'object') return s.additionalProperties;
  return undefined;
}

/** Merged metadata schemas, per declared schema node: field-set walks ask for it on every write. */
const mergedMeta = new WeakMap<JSONSchemaProps, JSONSchemaProps>();

function mergeMeta(declared: JSONSchemaProps | undefined): JSONSchemaProps {
  if (!declared?.properties) return OBJECT_META_SCHEMA;
  let merged = mergedMeta.get(declared);
  if (!merged) {
    merged = { ...declared, properties: { ...OBJECT_META_SCHEMA.properties, ...declared.properties } };
    mergedMeta.set(declared, merged);
  }
  return merged;
}

/** A struct field (declared in `properties`) rather than a key of a map; unknown objects count as structs. */
export function isNamedField(s: JSONSchemaProps | undefined, key: string): boolean {
  if (!s) return true;
  if (s.properties?.[key]) return true;
  return typeof s.additionalProperties !== 'object';
}

export function itemSchema(s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  return s?.items;
}

export function isAtomicMap(s: JSONSchemaProps | undefined): boolean {
  return s?.['x-kubernetes-map-type'] === 'atomic';
}

/**
 * How server-side apply and field ownership see a list. An explicit list-type wins; a
 * strategic-merge `merge` strategy with a merge key implies a map (that is how kube's built-in
 * schemas derive list-map-keys); a `merge` strategy on scalars implies a set; anything else is atomic.
 */
export function listKind(s: JSONSchemaProps | undefined): ListKind {
  if (!s) return ATOMIC;
  let lk = listKinds.get(s);
  if (!lk) { lk = withKeyDefaults(declaredListKind(s), s); listKinds.set(s, lk); }
  return lk;
}

const ATOMIC: ListKind = { kind: 'atomic' };
const listKinds = new WeakMap<JSONSchemaProps, ListKind>();

/**
 * Key fields with a schema default count as set to it when an item omits them
 * (structured-merge-diff fills them in too): an applied `{containerPort: 80}` is the live item
 * `{containerPort: 80, protocol: TCP}`, not a second one.
 */
function withKeyDefaults(lk: ListKind, s: JSONSchemaProps): ListKind {
  if (lk.kind !== 'map') return lk;
  const defaults: Record<string, unknown> = {};
  for (const k of lk.keys) {
    const d = s.items?.properties?.[k]?.default;
    if (d !== undefined) defaults[k] = d;
  }
  return Object.keys(defaults).length ? { ...lk, defaults } : lk;
}

function declaredListKind(s: JSONSchemaProps | undefined): ListKind {
  const lt = s?.['x-kubernetes-list-type'];
  if (lt === 'map') {
    const keys = s?.['x-kubernetes-list-map-keys'] ?? (s?.['x-kubernetes-patch-merge-key'] ? [s['x-kubernetes-patch-merge-key']] : []);
    return keys.length ? { kind: 'map', keys } : { kind: 'atomic' };
  }
  if (lt === 'set') return { kind: 'set' };
  if (lt === 'atomic') return { kind: 'atomic' };
  if (hasMergeStrategy(s)) {
    const mk = s?.['x-kubernetes-patch-merge-key'];
    if (mk) return { kind: 'map', keys: [mk] };
    const it = s?.items?.type;
    if (it && it !== 'object' && it !== 'array') return { kind: 'set' };
  }
  return { kind: 'atomic' };
}

export function patchStrategies(s: JSONSchemaProps | undefined): string[] {
  const ps = s?.['x-kubernetes-patch-strategy'];
  return ps ? ps.split(',').map((x) => x.trim()) : [];
}

export function hasMergeStrategy(s: JSONSchemaProps | undefined): boolean {
  return patchStrategies(s).includes('merge');
}
