/**
 * What kcp's apiexport and apibinding controllers decide, as pure functions over their inputs (the
 * objects, what the workspace serves, the time): no store, no clock, no I/O, so every rule is
 * table-tested (test/tenancy/apis/apibinding-reconcile.test.ts). The controller
 * (apibinding-controller.ts) gathers the inputs, commits the status and applies the serving decision.
 */
import { resourceDefsFromSpec } from '../../registry/crd/index.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { setCondition, type ConditionLike as Condition } from '../../apis/conditions.js';
import { namingConflict, type ServedInWorkspace } from './naming-conflict.js';

export interface PermissionClaim { group?: string; resource: string; all?: boolean; identityHash?: string }

/** What a served binding is bound to: the export and the claims its consumer accepted. */
export interface BoundExport { cluster: string; name: string; identityHash: string; claims: PermissionClaim[] }

/** The export's status: its identity and virtual workspace URL, IdentityValid. */
export function exportStatus(exp: KubeObject, inputs: { identityHash: string; url: string; now: string }): Record<string, unknown> {
  return {
    ...(exp.status ?? {}),
    identityHash: inputs.identityHash,
    virtualWorkspaces: [{ url: inputs.url }],
    conditions: setCondition(exp.status?.conditions, { type: 'IdentityValid', status: 'True' }, inputs.now),
  };
}

/** The export a binding references: `spec.reference.export`, its path defaulting to the binding's workspace. */
export function exportReference(binding: KubeObject, bindingCluster: string): { cluster: string; name: string } {
  const ref = binding.spec?.reference?.export as { path?: string; name?: string } | undefined;
  return { cluster: ref?.path || bindingCluster, name: ref?.name ?? '' };
}

export interface BindingInputs {
  binding: KubeObject;
  /** The workspace the binding lives in. */
  cluster: string;
  /** The referenced export, if it exists. */
  export: KubeObject | undefined;
  /** An APIResourceSchema of the export's workspace by name, if it exists. */
  schema(name: string): KubeObject | undefined;
  /** What the workspace serves besides this binding (for the naming-conflict check). */
  served: ServedInWorkspace;
  /**
   * The compiled-in definition of a resource kubectl knows natively (apps/v1 Deployment…), used in
   * place of the schema-derived one so bound workload types keep strategic merge patch and their
   * computed printer columns, as kcp serves kube-native types.
   */
  nativeDef?(group: string, resource: string, version: string): ResourceDef | undefined;
  now: string;
}

/**
 * What happens to the binding's resources in its workspace: served with these defs, no longer
 * served, or left as they are (a Bound binding whose export lost a schema keeps serving, as kcp).
 */
export type Serving =
  | { action: 'serve'; defs: ResourceDef[]; bound: BoundExport }
  | { action: 'unserve' }
  | { action: 'keep' };

export interface BindingDecision { status: Record<string, unknown>; serving: Serving }

export function reconcileBinding(i: BindingInputs): BindingDecision {
  const { binding: b, now } = i;
  const ref = exportReference(b, i.cluster);
  const exp = i.export;
  const status: Record<string, unknown> = { ...(b.status ?? {}) };
  let conditions: Condition[] = b.status?.conditions ?? [];
  const set = (c: Condition) => { conditions = setCondition(conditions, c, now); };
  let serving: Serving;

  const missing = exp ? ((exp.spec?.latestResourceSchemas ?? []) as string[]).filter((s) => !i.schema(s)) : [];
  if (!exp || !exp.status?.identityHash) {
    set({ type: 'APIExportValid', status: 'False', reason: 'APIExportNotFound', message: `APIExport ${ref.cluster}:${ref.name} not found (or has no identity yet)` });
    set({ type: 'Ready', status: 'False', reason: 'APIExportNotFound', message: 'waiting for the APIExport' });
    status.phase = status.phase === 'Bound' ? 'Bound' : 'Binding';
    serving = { action: 'unserve' };
  } else if (missing.length) {
    // kcp keeps such a binding Binding until every schema of the export exists, naming what is missing
    const message = `APIExport ${ref.cluster}:${exp.metadata.name} references APIResourceSchema${missing.length > 1 ? 's' : ''} ${missing.map((s) => `${ref.cluster}:${s}`).join(', ')} that do${missing.length > 1 ? '' : 'es'} not exist`;
    set({ type: 'APIExportValid', status: 'False', reason: 'APIResourceSchemaNotFound', message });
    serving = { action: 'keep' };
    if (status.phase !== 'Bound') {
      set({ type: 'InitialBindingCompleted', status: 'False', reason: 'APIResourceSchemaNotFound', message });
      status.phase = 'Binding';
      serving = { action: 'unserve' };
    }
    set({ type: 'Ready', status: 'False', reason: 'APIResourceSchemaNotFound', message });
  } else {
    set({ type: 'APIExportValid', status: 'True' });
    const identityHash = exp.status.identityHash as string;
    const { defs, boundResources } = boundDefs(i, exp, identityHash);
    const clash = namingConflict(defs, i.served);
    if (clash) {
      set({ type: 'BindingUpToDate', status: 'False', reason: 'NamingConflict', message: clash });
      set({ type: 'Ready', status: 'False', reason: 'NamingConflict', message: clash });
      if (status.phase !== 'Bound') status.phase = 'Binding';
      serving = { action: 'unserve' };
    } else {
      for (const type of ['InitialBindingCompleted', 'BindingUpToDate', 'Ready']) set({ type, status: 'True' });
      status.phase = 'Bound';
      status.apiExportClusterName = ref.cluster;
      status.boundResources = boundResources;
      const exportClaims = (exp.spec?.permissionClaims ?? []) as PermissionClaim[];
      status.exportPermissionClaims = exportClaims;
      const { applied, invalid } = acceptedClaims(b, exportClaims);
      set(invalid
        ? { type: 'PermissionClaimsValid', status: 'False', reason: 'InvalidPermissionClaims', message: invalid }
        : { type: 'PermissionClaimsValid', status: 'True' });
      const claims = applied;
      status.appliedPermissionClaims = claims;
      serving = { action: 'serve', defs, bound: { cluster: ref.cluster, name: exp.metadata.name!, identityHash, claims } };
    }
  }
  status.conditions = conditions;
  return { status, serving };
}

const claimKey = (c: PermissionClaim) => `${c.resource}/${c.group ?? ''}/${c.identityHash ?? ''}`;

/**
 * kcp's rule: an accepted claim applies when it is one of the export's claims by group, resource
 * and identity hash. Any other accepted claim is unexpected/invalid (PermissionClaimsValid=False),
 * e.g. one that leaves out the identity hash the export states for a resource another export
 * serves (only built-in resources are claimed without one).
 */
function acceptedClaims(b: KubeObject, exportClaims: PermissionClaim[]): { applied: PermissionClaim[]; invalid?: string } {
  const exported = new Set(exportClaims.map(claimKey));
  const accepted = ((b.spec?.permissionClaims ?? []) as Array<PermissionClaim & { state?: string }>)
    .filter((c) => c.state === 'Accepted').map(({ state: _s, ...c }) => c as PermissionClaim);
  const applied = accepted.filter((c) => exported.has(claimKey(c)));
  const unexpected = accepted.filter((c) => !exported.has(claimKey(c)));
  if (!unexpected.length) return { applied };
  const shown = unexpected.slice(0, 10).map((c) => {
    const stated = exportClaims.find((e) => (e.group ?? '') === (c.group ?? '') && e.resource === c.resource);
    const hint = stated ? ` (the export claims it with identity "${stated.identityHash ?? ''}")` : ' (the export does not claim it)';
    return `unexpected/invalid claim for ${c.resource}.${c.group ?? ''} (identity "${c.identityHash ?? ''}")${hint}`;
  });
  return { applied, invalid: `${unexpected.length} unexpected and/or invalid permission claims (showing first ${shown.length}): [${shown.join(', ')}]` };
}

/** The defs the binding serves, one per schema version, and the status' boundResources. */
function boundDefs(i: BindingInputs, exp: KubeObject, identityHash: string): { defs: ResourceDef[]; boundResources: unknown[] } {
  const defs: ResourceDef[] = [];
  const boundResources: unknown[] = [];
  for (const schemaName of (exp.spec?.latestResourceSchemas ?? []) as string[]) {
    const schema = i.schema(schemaName);
    if (!schema) continue;
    defs.push(...schemaDefs(schema, { source: `binding:${i.binding.metadata.name}`, identityHash }, i.nativeDef));
    boundResources.push({
      group: schema.spec?.group ?? '', resource: schema.spec?.names?.plural ?? '',
      schema: { name: schemaName, UID: schema.metadata.uid, identityHash },
      storageVersions: (schema.spec?.versions ?? []).filter((v: { storage?: boolean }) => v.storage).map((v: { name: string }) => v.name),
    });
  }
  return { defs, boundResources };
}

/** An APIResourceSchema's defs, the native definition standing in where there is one. */
export function schemaDefs(schema: KubeObject, origin: { source: string; identityHash?: string }, nativeDef: BindingInputs['nativeDef']): ResourceDef[] {
  return resourceDefsFromSpec(schema.spec ?? {}, origin).map((d) => {
    const native = nativeDef?.(d.group, d.resource, d.version);
    return native ? { ...native, source: d.source, identityHash: d.identityHash } : d;
  });
}
