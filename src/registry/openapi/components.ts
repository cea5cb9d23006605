/**
 * components.schemas of a group-version document: one entry per Kind (the def's schema, ObjectMeta
 * by reference, `x-kubernetes-group-version-kind: [{group,version,kind}]`), one per ListKind, and the
 * meta types they reference. kubectl explain finds a Kind's schema by that extension.
 */
import { objectMetaSchema } from '../builtin/meta.js';
import type { JSONSchemaProps, ResourceDef } from '../types.js';
import { DELETE_OPTIONS, LIST_META, OBJECT_META, PATCH, SCALE, STATUS, componentName, ref } from './names.js';

type Schema = Record<string, unknown>;

const metaRef = () => ({
  allOf: [ref(OBJECT_META)], default: {},
  description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
});

/** Copies a schema, swapping the shared ObjectMeta schema (root metadata, pod templates) for a $ref. */
function withMetaRefs(s: JSONSchemaProps, root: boolean): Schema {
  const out: Schema = { ...s };
  if (s.properties) {
    out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) =>
      [k, (root && k === 'metadata') || v === objectMetaSchema ? metaRef() : withMetaRefs(v, false)]));
  }
  if (s.items) out.items = withMetaRefs(s.items, false);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additionalProperties = withMetaRefs(s.additionalProperties, false);
  return out;
}

export function kindComponents(def: ResourceDef): Record<string, Schema> {
  const gvk = { group: def.group, version: def.version, kind: def.kind };
  const kindName = componentName(gvk, def.builtin);
  const schema = def.schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  return {
    [kindName]: { ...withMetaRefs(schema, true), 'x-kubernetes-group-version-kind': [gvk] },
    [componentName({ ...gvk, kind: def.listKind }, def.builtin)]: {
      description: `${def.listKind} is a list of ${def.kind}`,
      type: 'object', required: ['items'],
      properties: {
        apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
        kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
        items: { type: 'array', description: `List of ${def.resource}.`, items: { ...ref(kindName), default: {} } },
        metadata: { allOf: [ref(LIST_META)], default: {}, description: "Standard list metadata." },
      },
      'x-kubernetes-group-version-kind': [{ ...gvk, kind: def.listKind }],
    },
  };
}

/** The apimachinery types every document references. */
export function metaComponents(withScale: boolean): Record<string, Schema> {
  const out: Record<string, Schema> = {
    [OBJECT_META]: objectMetaSchema as Schema,
    [LIST_META]: {
      description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
      type: 'object',
      properties: {
        continue: { type: 'string', description: 'continue may be set if the user set a limit on the number of items returned.' },
        remainingItemCount: { type: 'integer', format: 'int64', description: 'remainingItemCount is the number of subsequent items in the list which are not included in this list response.' },
        resourceVersion: { type: 'string', description: "String that identifies the server's internal version of this object." },
        selfLink: { type: 'string', description: 'Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.' },
      },
    },
    [STATUS]: {
      description: 'Status is a return value for calls that don\'t return other objects.', type: 'object',
      properties: {
        apiVersion: { type: 'string' }, kind: { type: 'string' }, code: { type: 'integer', format: 'int32' },
        details: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        message: { type: 'string' }, metadata: { allOf: [ref(LIST_META)], default: {} }, reason: { type: 'string' }, status: { type: 'string' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
    },
    [DELETE_OPTIONS]: {
      description: 'DeleteOptions may be provided when deleting an API object.', type: 'object',
      properties: {
        apiVersion: { type: 'string' }, kind: { type: 'string' },
        dryRun: { type: 'array', items: { type: 'string', default: '' } },
        gracePeriodSeconds: { type: 'integer', format: 'int64' },
        orphanDependents: { type: 'boolean' },
        preconditions: { type: 'object', properties: { resourceVersion: { type: 'string' }, uid: { type: 'string' } } },
        propagationPolicy: { type: 'string' },
      },
    },
    [PATCH]: { description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.', type: 'object' },
  };
  if (withScale) {
    out[SCALE] = {
      description: 'Scale represents a scaling request for a resource.', type: 'object',
      properties: {
        apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { allOf: [ref(OBJECT_META)], default: {} },
        spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32', description: 'replicas is the desired number of instances for the scaled object.' } } },
        status: { type: 'object', required: ['replicas'], properties: { replicas: { type: 'integer', format: 'int32' }, selector: { type: 'string' } } },
      },
      'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    };
  }
  return out;
}
