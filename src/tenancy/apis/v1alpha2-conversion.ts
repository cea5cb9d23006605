/**
 * apis.kcp.io v1alpha1 ⇄ v1alpha2 for APIExport and APIBinding, following the rules of kcp's
 * conversion (sdk/apis/apis/v1alpha2, reimplemented): objects are stored as v1alpha1, and what
 * v1alpha1 cannot say rides in kcp's own annotations, so an object written in either version reads
 * back the same in that version.
 *
 * - APIExport `spec.resources[] {group, name, schema, storage: {crd: {}}}` ⇄ `spec.latestResourceSchemas`
 *   (group and resource parsed back from the schema name `<prefix>.<resource>.<group|core>`);
 *   resources with another storage are kept in `apis.v1alpha2.kcp.io/resource-schemas`.
 * - Permission claims: v1alpha2 names `verbs`; `["*"]` is what a v1alpha1 claim means, any other list
 *   is kept in `apis.v1alpha2.kcp.io/permission-claims` (exports) or
 *   `apis.v1alpha2.kcp.io/acceptable-permission-claims` (bindings) and restored by group, resource
 *   and identity. A binding's `selector.matchAll` is v1alpha1's `all`.
 *
 * Pure functions on plain objects; the input is never modified.
 */
import { V1ALPHA2_STORAGE } from '../../registry/builtin/kcp.js';
import type { StoredConversion } from '../../registry/converted-storage.js';
import type { KubeObject } from '../../storage/types.js';
import { cloneValue } from '../../machinery/objects.js';

export const V1ALPHA1 = 'apis.kcp.io/v1alpha1';
export const V1ALPHA2 = 'apis.kcp.io/v1alpha2';
export const RESOURCE_SCHEMAS_ANNOTATION = 'apis.v1alpha2.kcp.io/resource-schemas';
export const PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/permission-claims';
export const ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION = 'apis.v1alpha2.kcp.io/acceptable-permission-claims';

type Json = Record<string, unknown>;
interface ClaimV1 { group?: string; resource: string; identityHash?: string; all?: boolean; resourceSelector?: unknown; state?: string }
interface ClaimV2 { group?: string; resource: string; identityHash?: string; verbs?: string[]; selector?: Json; state?: string }
interface ResourceSchema { group?: string; name: string; schema: string; storage?: { crd?: Json; [k: string]: unknown } }

const ALL_VERBS = ['*'];
const isAllVerbs = (verbs: string[] | undefined) => !verbs || (verbs.length === 1 && verbs[0] === '*');
const sameGRI = (a: { group?: string; resource: string; identityHash?: string }, b: typeof a) =>
  (a.group ?? '') === (b.group ?? '') && a.resource === b.resource && (a.identityHash ?? '') === (b.identityHash ?? '');

function clone(obj: KubeObject, apiVersion: string): KubeObject {
  const out = cloneValue(obj);
  out.apiVersion = apiVersion;
  return out;
}

function takeAnnotation<T>(obj: KubeObject, key: string): T[] {
  const a = obj.metadata?.annotations;
  const text = a?.[key];
  if (text === undefined) return [];
  delete a![key];
  if (Object.keys(a!).length === 0) delete obj.metadata.annotations;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function putAnnotation(obj: KubeObject, key: string, items: unknown[]): void {
  if (items.length === 0) return;
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [key]: JSON.stringify(items) };
}

const gri = (c: { group?: string; resource: string; identityHash?: string }) => ({
  ...(c.group !== undefined ? { group: c.group } : {}), resource: c.resource, ...(c.identityHash ? { identityHash: c.identityHash } : {}),
});

/** `<prefix>.<resource>.<group>` → the resource and group it serves (`core` is the empty group). */
export function resourceOfSchemaName(schema: string): { group: string; name: string } | undefined {
  const parts = schema.split('.');
  if (parts.length < 3) return undefined;
  const group = parts.slice(2).join('.');
  return { name: parts[1]!, group: group === 'core' ? '' : group };
}

// ------------------------------------------------------------------ APIExport

export function exportToV1alpha2(v1: KubeObject): KubeObject {
  const out = clone(v1, V1ALPHA2);
  const spec = (out.spec ?? {}) as Json;
  const extraResources = takeAnnotation<ResourceSchema>(out, RESOURCE_SCHEMAS_ANNOTATION);
  const verbsOf = takeAnnotation<ClaimV2>(out, PERMISSION_CLAIMS_ANNOTATION);
  const latest = (spec.latestResourceSchemas ?? []) as string[];
  delete spec.latestResourceSchemas;
  const resources: ResourceSchema[] = [];
  for (const schema of latest) {
    const r = resourceOfSchemaName(schema);
    if (r) resources.push({ group: r.group, name: r.name, schema, storage: { crd: {} } });
  }
  resources.push(...extraResources);
  if (resources.length) spec.resources = resources;
  if (Array.isArray(spec.permissionClaims)) {
    spec.permissionClaims = (spec.permissionClaims as ClaimV1[]).map((c) => ({
      ...gri(c), verbs: verbsOf.find((v) => sameGRI(v, c))?.verbs ?? ALL_VERBS,
    }));
  }
  out.spec = spec;
  return out;
}

export function exportToV1alpha1(v2: KubeObject): KubeObject {
  const out = clone(v2, V1ALPHA1);
  const spec = (out.spec ?? {}) as Json;
  const resources = (spec.resources ?? []) as ResourceSchema[];
  delete spec.resources;
  const latest = resources.filter((r) => r.storage?.crd).map((r) => r.schema);
  if (latest.length) spec.latestResourceSchemas = latest;
  putAnnotation(out, RESOURCE_SCHEMAS_ANNOTATION, resources.filter((r) => !r.storage?.crd));
  if (Array.isArray(spec.permissionClaims)) {
    const claims = spec.permissionClaims as ClaimV2[];
    putAnnotation(out, PERMISSION_CLAIMS_ANNOTATION, claims.filter((c) => !isAllVerbs(c.verbs)));
    spec.permissionClaims = claims.map((c) => ({ ...gri(c), all: true }));
  }
  out.spec = spec;
  return out;
}

// ------------------------------------------------------------------ APIBinding

const scopedToV2 = (c: ClaimV1, verbs?: string[]): ClaimV2 => ({
  ...gri(c), verbs: verbs ?? ALL_VERBS, selector: { matchAll: c.all === true }, ...(c.state ? { state: c.state } : {}),
});

const scopedToV1 = (c: ClaimV2): ClaimV1 => ({
  ...gri(c), ...(c.selector?.matchAll === true ? { all: true } : {}), ...(c.state ? { state: c.state } : {}),
});

export function bindingToV1alpha2(v1: KubeObject): KubeObject {
  const out = clone(v1, V1ALPHA2);
  const verbsOf = takeAnnotation<ClaimV2>(out, ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION);
  const spec = (out.spec ?? {}) as Json;
  if (Array.isArray(spec.permissionClaims)) {
    spec.permissionClaims = (spec.permissionClaims as ClaimV1[]).map((c) => scopedToV2(c, verbsOf.find((v) => sameGRI(v, c))?.verbs));
  }
  const status = out.status as Json | undefined;
  if (status) {
    if (Array.isArray(status.appliedPermissionClaims)) {
      status.appliedPermissionClaims = (status.appliedPermissionClaims as ClaimV1[]).map((c) => {
        const { state: _state, ...scoped } = scopedToV2(c);
        return scoped;
      });
    }
    if (Array.isArray(status.exportPermissionClaims)) {
      status.exportPermissionClaims = (status.exportPermissionClaims as ClaimV1[]).map((c) => ({ ...gri(c), verbs: ALL_VERBS }));
    }
  }
  return out;
}

export function bindingToV1alpha1(v2: KubeObject): KubeObject {
  const out = clone(v2, V1ALPHA1);
  const spec = (out.spec ?? {}) as Json;
  if (Array.isArray(spec.permissionClaims)) {
    const claims = spec.permissionClaims as ClaimV2[];
    putAnnotation(out, ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION, claims.filter((c) => !isAllVerbs(c.verbs)));
    spec.permissionClaims = claims.map(scopedToV1);
  }
  const status = out.status as Json | undefined;
  if (status) {
    if (Array.isArray(status.appliedPermissionClaims)) status.appliedPermissionClaims = (status.appliedPermissionClaims as ClaimV2[]).map(scopedToV1);
    if (Array.isArray(status.exportPermissionClaims)) status.exportPermissionClaims = (status.exportPermissionClaims as ClaimV2[]).map((c) => ({ ...gri(c), all: true }));
  }
  return out;
}

/** The v1alpha2 defs' storage (registry/builtin/kcp.ts `storedAs`), as v1alpha1 objects. */
export const KCP_V1ALPHA2_STORAGE: StoredConversion[] = [
  { alias: V1ALPHA2_STORAGE.apiexports, stored: 'apis.kcp.io/apiexports', toStored: exportToV1alpha1, fromStored: exportToV1alpha2 },
  { alias: V1ALPHA2_STORAGE.apibindings, stored: 'apis.kcp.io/apibindings', toStored: bindingToV1alpha1, fromStored: bindingToV1alpha2 },
];
