/**
 * resourceDefsFromCRD: one ResourceDef per served version of a CRD (or of an APIResourceSchema,
 * which has the same spec shape but for where a version keeps its schema), with kube's CRD conventions: standard verbs, the Age column when
 * no printer columns are given, and the schema wrapped with apiVersion/kind/metadata.
 */
import type { JSONSchemaProps, PrinterColumn, ResourceDef } from '../types.js';
import { STANDARD_VERBS } from '../builtin/build.js';
import { defaultCRD } from './defaults.js';
import { getDotted } from './jsonpath.js';
import type { CRDPrinterColumn, CRDSpec, CRDVersion, CustomResourceDefinition } from './types.js';
import { cloneValue } from '../../machinery/objects.js';

const AGE_COLUMN: PrinterColumn = {
  name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

export interface DefsFromSpecOptions {
  /** ResourceDef.source, e.g. `crd:widgets.example.com` or `binding:tmc`. */
  source: string;
  identityHash?: string;
}

export function resourceDefsFromCRD(crd: CustomResourceDefinition): ResourceDef[] {
  return resourceDefsFromSpec(crd.spec ?? {}, { source: `crd:${crd.metadata?.name ?? ''}` });
}

/** The same for any object with a CRD-shaped spec (APIResourceSchema in kcp). */
export function resourceDefsFromSpec(input: CRDSpec, opts: DefsFromSpecOptions): ResourceDef[] {
  const spec = defaultCRD({ metadata: {}, spec: cloneValue(input) }).spec!;
  const names = spec.names ?? {};
  return (spec.versions ?? []).filter((v) => v.served).map((v) => {
    const def: ResourceDef = {
      group: spec.group ?? '', version: v.name ?? '', resource: names.plural ?? '',
      kind: names.kind ?? '', listKind: names.listKind ?? `${names.kind}List`,
      singular: names.singular ?? (names.kind ?? '').toLowerCase(),
      namespaced: spec.scope !== 'Cluster',
      verbs: [...STANDARD_VERBS],
      subresources: subresourcesOf(v),
      printerColumns: v.additionalPrinterColumns?.length ? v.additionalPrinterColumns.map(toPrinterColumn) : [AGE_COLUMN],
      schema: wrapSchema(versionSchema(v), spec.preserveUnknownFields === true),
      builtin: false,
      source: opts.source,
    };
    if (names.shortNames?.length) def.shortNames = [...names.shortNames];
    if (names.categories?.length) def.categories = [...names.categories];
    if (opts.identityHash) def.identityHash = opts.identityHash;
    const selectable = selectableFields(v);
    if (selectable) def.strategy = { selectableFields: selectable };
    return def;
  });
}

/**
 * A version's OpenAPI schema. A CRD wraps it (`schema.openAPIV3Schema`); kcp's APIResourceSchema
 * carries it directly (`schema`). Objects stored before APIResourceSchemas took kcp's shape still
 * have the wrapper, so the wrapper wins when present.
 */
export function versionSchema(v: CRDVersion): JSONSchemaProps | undefined {
  const s = v.schema as (JSONSchemaProps & { openAPIV3Schema?: JSONSchemaProps }) | undefined;
  if (!s) return undefined;
  if (s.openAPIV3Schema) return s.openAPIV3Schema;
  return Object.keys(s).length ? s : undefined;
}

function subresourcesOf(v: CRDVersion): ResourceDef['subresources'] {
  const out: ResourceDef['subresources'] = {};
  if (v.subresources?.status) out.status = true;
  const scale = v.subresources?.scale;
  if (scale?.specReplicasPath && scale.statusReplicasPath) {
    out.scale = { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath };
    if (scale.labelSelectorPath) out.scale.labelSelectorPath = scale.labelSelectorPath;
  }
  return out;
}

function toPrinterColumn(c: CRDPrinterColumn): PrinterColumn {
  const col: PrinterColumn = { name: c.name ?? '', type: (c.type ?? 'string') as PrinterColumn['type'], jsonPath: c.jsonPath ?? '' };
  if (c.format) col.format = c.format;
  if (c.description) col.description = c.description;
  if (c.priority !== undefined) col.priority = c.priority;
  return col;
}

/**
 * The served schema: the CRD's, plus apiVersion, kind and metadata as kube adds them. Name
 * restrictions the CRD puts on metadata.name/generateName are kept.
 */
export function wrapSchema(schema: JSONSchemaProps | undefined, preserveUnknown = false): JSONSchemaProps {
  const base: JSONSchemaProps = schema ? cloneValue(schema) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const userMeta = base.properties?.metadata;
  const metadata: JSONSchemaProps = {
    type: 'object',
    description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  if (userMeta?.properties) metadata.properties = userMeta.properties;
  base.type ??= 'object';
  base.properties = {
    ...base.properties,
    apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.' },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.' },
    metadata,
  };
  if (preserveUnknown) base['x-kubernetes-preserve-unknown-fields'] = true;
  return base;
}

/** selectableFields: `.spec.color` is selectable as `spec.color`, with the value as a string. */
function selectableFields(v: CRDVersion): Record<string, (obj: Record<string, unknown>) => string | undefined> | undefined {
  const fields = (v.selectableFields ?? []).map((f) => f.jsonPath).filter((p): p is string => !!p);
  if (!fields.length) return undefined;
  return Object.fromEntries(fields.map((p) => [p.replace(/^\./, ''), (obj: Record<string, unknown>) => {
    const val = getDotted(obj, p);
    return val === undefined || val === null ? undefined : String(val);
  }]));
}
