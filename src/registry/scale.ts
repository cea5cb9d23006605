/**
 * The `/scale` subresource: an `autoscaling/v1` Scale view of a parent object (Deployment,
 * StatefulSet, a CRD with `subresources.scale`), as kubectl scale and the HPA read and write it.
 *
 * A Scale is never stored. Reads project it from the parent; writes turn it back into the parent's
 * replicas field and go through the generic store's ordinary update (admission sees subresource
 * `scale`, optimistic concurrency uses the parent's resourceVersion, which the Scale carries).
 */
import { StatusError, badRequest, invalid } from '../errors/status.js';
import type { KubeObject } from '../storage/types.js';
import type { GenericStore, RequestScope } from './generic-store.js';
import type { ResourceDef } from './types.js';

export const SCALE_API_VERSION = 'autoscaling/v1';

export interface Scale {
  apiVersion: typeof SCALE_API_VERSION;
  kind: 'Scale';
  metadata: KubeObject['metadata'];
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

type ScalePaths = NonNullable<ResourceDef['subresources']['scale']>;

/** The scale paths of `def`, or kube's 404 for a resource without the subresource. */
export function scalePaths(def: ResourceDef): ScalePaths {
  const paths = def.subresources.scale;
  if (!paths) {
    throw new StatusError(404, 'NotFound', `the server could not find the requested resource (subresource scale of ${def.resource})`);
  }
  return paths;
}

/** The Scale view of a parent object. */
export function scaleOf(def: ResourceDef, obj: KubeObject): Scale {
  const paths = scalePaths(def);
  const m = obj.metadata;
  const metadata: KubeObject['metadata'] = { name: m.name };
  if (def.namespaced) metadata.namespace = m.namespace;
  metadata.uid = m.uid;
  metadata.resourceVersion = m.resourceVersion;
  metadata.creationTimestamp = m.creationTimestamp;
  const specReplicas = getPath(obj, paths.specReplicasPath);
  const status: Scale['status'] = { replicas: asCount(getPath(obj, paths.statusReplicasPath)) };
  const selector = selectorOf(def, obj, paths);
  if (selector) status.selector = selector;
  return {
    apiVersion: SCALE_API_VERSION, kind: 'Scale', metadata,
    spec: typeof specReplicas === 'number' ? { replicas: specReplicas } : {},
    status,
  };
}

/**
 * Checks a Scale a client sent (PUT body, or the result of a patch) and returns its replicas.
 * Absent replicas mean 0, as in kube (`replicas,omitempty` on an int32).
 */
export function replicasFromScale(def: ResourceDef, name: string, body: Record<string, any>): number {
  if (body.apiVersion !== undefined && body.apiVersion !== '' && body.apiVersion !== SCALE_API_VERSION) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${SCALE_API_VERSION})`);
  }
  if (body.kind !== undefined && body.kind !== '' && body.kind !== 'Scale') {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Scale) for ${SCALE_API_VERSION}, Resource=${def.resource}`);
  }
  const bodyName = body.metadata?.name;
  if (bodyName && bodyName !== name) {
    throw badRequest(`the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`);
  }
  const replicas = body.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 2 ** 31 - 1) {
    throw invalid('Scale', 'autoscaling', name, [{
      type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas,
      detail: 'must be greater than or equal to 0',
    }]);
  }
  return replicas;
}

/** The parent with its spec replicas set (intermediate objects are created when missing). */
export function withReplicas(def: ResourceDef, obj: KubeObject, replicas: number): KubeObject {
  setPath(obj, scalePaths(def).specReplicasPath, replicas);
  return obj;
}

/** GET …/scale */
export async function readScale(generic: GenericStore, scope: RequestScope, def: ResourceDef, name: string): Promise<Scale> {
  scalePaths(def);
  return scaleOf(def, await generic.get(scope, def, name));
}

/**
 * PUT/PATCH …/scale: `change` gets the current Scale (inside the store's atomic read-modify-write,
 * so a concurrent writer causes a retry, never a lost update) and returns the desired one. A
 * resourceVersion in the desired Scale is a precondition on the parent (409 when stale).
 */
export async function writeScale(generic: GenericStore, scope: RequestScope, def: ResourceDef, name: string,
  change: (current: Scale) => Record<string, any>): Promise<Scale> {
  scalePaths(def);
  const { object } = await generic.patch(scope, def, name, 'scale', async (live) => {
    // writeExisting always passes the live object; only allowCreate producers see undefined
    const parent = live!;
    const desired = change(scaleOf(def, parent));
    const replicas = replicasFromScale(def, name, desired);
    const next = withReplicas(def, parent, replicas);
    const rv = desired.metadata?.resourceVersion;
    if (rv) next.metadata.resourceVersion = String(rv);
    return { object: next };
  }, { allowCreate: false });
  return scaleOf(def, object);
}

// ------------------------------------------------------------------ helpers

/** Scale paths are simple dotted JSONPaths (`.spec.replicas`); CRD validation guarantees it. */
function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function getPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of segments(path)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, any>, path: string, value: unknown): void {
  const parts = segments(path);
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (cur[part] === null || typeof cur[part] !== 'object' || Array.isArray(cur[part])) cur[part] = {};
    cur = cur[part];
  }
  cur[parts[parts.length - 1]] = value;
}

function asCount(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * status.selector: the string at labelSelectorPath when the resource declares one (CRDs), else
 * the parent's spec.selector in kube's label-selector syntax (built-in workloads), else none.
 */
function selectorOf(def: ResourceDef, obj: KubeObject, paths: ScalePaths): string {
  if (paths.labelSelectorPath) {
    const v = getPath(obj, paths.labelSelectorPath);
    return typeof v === 'string' ? v : '';
  }
  if (!def.builtin) return '';
  return formatLabelSelector(obj.spec?.selector);
}

interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * kube's `LabelSelectorAsSelector(sel).String()`: requirements sorted by key, values sorted,
 * `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; an empty selector is ''.
 */
export function formatLabelSelector(sel: LabelSelectorSpec | undefined): string {
  if (!sel || typeof sel !== 'object') return '';
  const reqs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    switch (e.operator) {
      case 'In': reqs.push([e.key, `${e.key} in (${values})`]); break;
      case 'NotIn': reqs.push([e.key, `${e.key} notin (${values})`]); break;
      case 'Exists': reqs.push([e.key, e.key]); break;
      case 'DoesNotExist': reqs.push([e.key, `!${e.key}`]); break;
      default: break;
    }
  }
  return reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((r) => r[1]).join(',');
}
