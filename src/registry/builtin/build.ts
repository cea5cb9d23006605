/**
 * Small constructors for the built-in schemas and defs, so each type's file reads like its API
 * reference: `obj('desc', { replicas: int32('desc') })`. Every node carries a description because
 * `kubectl explain` prints them.
 */
import type { JSONSchemaProps, PrinterColumn, ResourceDef, Strategy } from '../types.js';

type Props = Record<string, JSONSchemaProps>;
type Extra = Partial<JSONSchemaProps>;

export const str = (description: string, extra: Extra = {}): JSONSchemaProps => ({ type: 'string', description, ...extra });
export const bool = (description: string, extra: Extra = {}): JSONSchemaProps => ({ type: 'boolean', description, ...extra });
export const int32 = (description: string, extra: Extra = {}): JSONSchemaProps => ({ type: 'integer', format: 'int32', description, ...extra });
export const int64 = (description: string, extra: Extra = {}): JSONSchemaProps => ({ type: 'integer', format: 'int64', description, ...extra });
export const time = (description: string): JSONSchemaProps => ({ type: 'string', format: 'date-time', description });
export const enumStr = (description: string, values: string[], extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'string', description: `${description}\n\nPossible enum values: ${values.map((v) => `"${v}"`).join(', ')}`, enum: values, ...extra });

export const obj = (description: string, properties: Props, extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'object', description, properties, ...extra });

/** An object modelled only in part: listed fields are typed, anything else is kept as sent. */
export const partial = (description: string, properties: Props, extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'object', description, properties, 'x-kubernetes-preserve-unknown-fields': true, ...extra });

/** A field kube has but this schema does not model: any value, kept as sent. */
export const anyValue = (description: string): JSONSchemaProps => ({ description, 'x-kubernetes-preserve-unknown-fields': true });

/**
 * An object with every field kube's type has: `typed` ones described, `others` (names only)
 * kept as sent. Anything else is an unknown field — fieldValidation Strict rejects it, Warn warns,
 * Ignore drops it — as for kube's own types.
 */
export const closed = (description: string, typed: Props, others: string[] = [], extra: Extra = {}): JSONSchemaProps => {
  const props: Props = {};
  for (const n of others) if (!typed[n]) props[n] = anyValue(`See the Kubernetes API reference for ${n}.`);
  return { type: 'object', description, properties: { ...props, ...typed }, ...extra };
};

/** An object not modelled at all (kept as sent, never rejected). */
export const opaque = (description: string): JSONSchemaProps =>
  ({ type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true });

export const stringMap = (description: string, extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'object', description, additionalProperties: { type: 'string' }, ...extra });

export const list = (description: string, items: JSONSchemaProps, extra: Extra = {}): JSONSchemaProps =>
  ({ type: 'array', description, items, ...extra });

export const atomicList = (description: string, items: JSONSchemaProps): JSONSchemaProps =>
  list(description, items, { 'x-kubernetes-list-type': 'atomic' });

export const stringList = (description: string): JSONSchemaProps => atomicList(description, { type: 'string' });

/**
 * A list keyed like kube's openapi: `x-kubernetes-list-type: map` with `keys`, plus the
 * strategic-merge metadata (merge key, strategy) that built-in types carry.
 */
export const mapList = (description: string, items: JSONSchemaProps, keys: string[],
  smp?: { mergeKey: string; strategy?: string }): JSONSchemaProps => {
  const s: JSONSchemaProps = list(description, items, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys });
  if (smp) {
    s['x-kubernetes-patch-merge-key'] = smp.mergeKey;
    s['x-kubernetes-patch-strategy'] = smp.strategy ?? 'merge';
  }
  return s;
};

/** Resource quantities: `1`, `0.5`, `"500m"`, `"1Gi"` are all accepted. */
export const quantity = (description: string): JSONSchemaProps => ({
  description, 'x-kubernetes-preserve-unknown-fields': true,
  anyOf: [{ type: 'number' }, { type: 'string' }],
});

export const intOrString = (description: string): JSONSchemaProps =>
  ({ description, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });

export const quantityMap = (description: string): JSONSchemaProps =>
  ({ type: 'object', description, additionalProperties: quantity('A resource quantity.') });

// --- printer columns ---

export const ageColumn: PrinterColumn = {
  name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

export const createdAtColumn: PrinterColumn = {
  name: 'Created At', type: 'string', jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  // Rendered as an absolute time, as kube does for roles and CRDs.
  compute: (o) => o.metadata?.creationTimestamp ?? '',
};

export const col = (name: string, type: PrinterColumn['type'], jsonPath: string, extra: Partial<PrinterColumn> = {}): PrinterColumn =>
  ({ name, type, jsonPath, ...extra });

export const computed = (name: string, type: PrinterColumn['type'], compute: PrinterColumn['compute'], extra: Partial<PrinterColumn> = {}): PrinterColumn =>
  ({ name, type, compute, ...extra });

// --- defs ---

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface DefSpec {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  schema: JSONSchemaProps;
  printerColumns: PrinterColumn[];
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: ResourceDef['subresources'];
  strategy?: Strategy;
}

/** A built-in ResourceDef with kube's conventions filled in (listKind, singular, verbs). */
export function builtinDef(d: DefSpec): ResourceDef {
  const def: ResourceDef = {
    group: d.group, version: d.version, resource: d.resource, kind: d.kind,
    listKind: `${d.kind}List`, singular: d.kind.toLowerCase(), namespaced: d.namespaced,
    verbs: d.verbs ?? STANDARD_VERBS, subresources: d.subresources ?? {},
    printerColumns: d.printerColumns, schema: d.schema, builtin: true, source: 'builtin',
  };
  if (d.shortNames) def.shortNames = d.shortNames;
  if (d.categories) def.categories = d.categories;
  if (d.strategy) def.strategy = d.strategy;
  return def;
}
