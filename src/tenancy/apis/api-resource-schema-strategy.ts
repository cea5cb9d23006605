/**
 * APIResourceSchema validation as kcp's apiresourceschema admission does it: the name is
 * `<prefix>.<plural>.<group or core>`, the group is empty (core) or a dotted domain, names are
 * complete (kcp does not default singular/listKind), each version carries a structural schema
 * directly in `spec.versions[].schema`, exactly one storage version, several versions need a
 * conversion; the spec is immutable (a new schema gets a new name).
 */
import type { FieldError } from '../../errors/status.js';
import { dns1123SubdomainErrors } from '../../machinery/names.js';
import { deepEqual } from '../../machinery/objects.js';
import { validateSpec } from '../../registry/crd/index.js';
import type { CRDSpec, CRDVersion } from '../../registry/crd/types.js';
import { forbidden, invalid, required } from '../../registry/schema/errors.js';
import type { Strategy } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';

const NAME_PREFIX = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Single-word groups Kubernetes itself uses; kcp lets schemas name them. */
const SINGLE_SEGMENT_GROUPS = new Set(['apps', 'batch', 'extensions', 'policy', 'autoscaling']);

type SchemaSpec = CRDSpec & { versions?: Array<CRDVersion & { schema?: Record<string, unknown> }> };

export function validateAPIResourceSchema(obj: KubeObject): FieldError[] {
  const spec = (obj.spec ?? {}) as SchemaSpec;
  const errs: FieldError[] = [];
  errs.push(...nameErrors(obj.metadata.name ?? '', spec));
  errs.push(...groupErrors(spec.group));
  const names = spec.names ?? {};
  if (!names.plural) errs.push(required('spec.names.plural'));
  if (!names.singular) errs.push(required('spec.names.singular'));
  if (!names.kind) errs.push(required('spec.names.kind'));
  if (!names.listKind) errs.push(required('spec.names.listKind'));
  const versions = spec.versions ?? [];
  versions.forEach((v, i) => {
    const s = v.schema;
    if (!s || Object.keys(s).length === 0) errs.push(required(`spec.versions[${i}].schema`));
    else if ('openAPIV3Schema' in s) {
      errs.push(forbidden(`spec.versions[${i}].schema.openAPIV3Schema`,
        'an APIResourceSchema carries the OpenAPI v3 schema directly in spec.versions[].schema (not wrapped in openAPIV3Schema as a CustomResourceDefinition does)'));
    }
  });
  if (versions.length > 1 && !spec.conversion) errs.push(invalid('spec', '', 'Conversion must be specified when multiple versions exist'));
  // the CRD spec checks, on the CRD-shaped view of this spec; paths mapped back to kcp's shape
  const crdShaped: CRDSpec = {
    ...spec, group: spec.group || 'core.placeholder',
    versions: versions.map((v) => ({ ...v, schema: v.schema && !('openAPIV3Schema' in v.schema) ? { openAPIV3Schema: v.schema } : { openAPIV3Schema: { type: 'object' } } })),
  };
  for (const e of validateSpec(crdShaped, 'spec')) {
    if (e.field === 'spec.group' || /^spec\.names\.(singular|listKind)$/.test(e.field) && e.type === 'FieldValueRequired') continue;
    errs.push({ ...e, field: e.field.replace(/(spec\.versions\[\d+\]\.schema)\.openAPIV3Schema/, '$1') });
  }
  return errs;
}

function nameErrors(name: string, spec: SchemaSpec): FieldError[] {
  const plural = spec.names?.plural;
  if (!plural) return [];
  const suffix = `.${plural}.${spec.group || 'core'}`;
  if (!name.endsWith(suffix)) return [invalid('metadata.name', name, `must end in ${suffix}`)];
  if (!NAME_PREFIX.test(name.slice(0, -suffix.length)))
    return [invalid('metadata.name', name, `must match ^[a-z]([-a-z0-9]*[a-z0-9])?$ in front of ${suffix}`)];
  return [];
}

function groupErrors(group: string | undefined): FieldError[] {
  if (!group) return [];
  if (group === 'core') return [invalid('spec.group', group, 'must be empty string for the core group')];
  const msgs = dns1123SubdomainErrors(group);
  if (msgs.length) return [invalid('spec.group', group, msgs.join(','))];
  if (!group.includes('.') && !SINGLE_SEGMENT_GROUPS.has(group)) return [invalid('spec.group', group, 'should be a domain with at least one dot')];
  return [];
}

export function apiResourceSchemaStrategy(base?: Strategy): Strategy {
  return {
    ...base,
    // the base's checks too: the CEL rule compilation is plugged in there (cmd/default-hooks.ts)
    validate: async (obj, ctx) => [...validateAPIResourceSchema(obj), ...((await base?.validate?.(obj, ctx)) ?? [])],
    async validateUpdate(obj, old, ctx) {
      const errs = validateAPIResourceSchema(obj);
      if (!deepEqual(obj.spec, old.spec)) errs.push(invalid('spec', '', 'is immutable'));
      else errs.push(...((await base?.validateUpdate?.(obj, old, ctx)) ?? []));
      return errs;
    },
  };
}
