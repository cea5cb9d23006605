/**
 * APIExports and APIBindings, embedded (kcp's apiexport and apibinding controllers plus the
 * serving side): gives every export an identity, binds consumer workspaces to exports, and serves
 * bound resources in the consumer's discovery, OpenAPI and REST paths (as a catalog DefSource).
 *
 * It runs inside the server on the store directly, as kcp's own controllers run inside kcp;
 * TMC's controllers (reconcilers/) stay on the client side of the API.
 */
import { StatusError } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { DefSource } from '../../registry/catalog.js';
import { resourceDefsFromSpec } from '../../registry/crd/index.js';
import type { GenericStore, RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import type { StoreInformers } from '../../storage/informers.js';
import type { KubeObject, Store } from '../../storage/types.js';
import { setCondition, nowRFC3339, type Condition } from './conditions.js';
import { IDENTITY_KEY, IDENTITY_NAMESPACE, identityHash, newIdentityKey } from './identity.js';
import { namingConflict } from './naming-conflict.js';

export const APIS_GROUP = 'apis.kcp.io';
const RES = {
  exports: `${APIS_GROUP}/apiexports`,
  bindings: `${APIS_GROUP}/apibindings`,
  schemas: `${APIS_GROUP}/apiresourceschemas`,
};
const SYSTEM = { name: 'system:tmc:apis-controller', groups: ['system:masters'] };

export interface PermissionClaim { group?: string; resource: string; all?: boolean; identityHash?: string }

interface BoundExport { cluster: string; name: string; identityHash: string; claims: PermissionClaim[] }

export interface APIBindingsDeps {
  store: Store;
  informers: StoreInformers;
  generic: GenericStore;
  log: Logger;
  /** CRD-served resources of a cluster (a binding may not shadow them). */
  crdDefs: (cluster: string) => ResourceDef[];
  resolveDef: (cluster: string, group: string, version: string, resource: string) => ResourceDef | undefined;
  /** Base URL of this server, for status.virtualWorkspaces. */
  externalURL: () => string;
  /**
   * The compiled-in definition of a resource kubectl knows natively (apps/v1 Deployment…), used in
   * place of the schema-derived one so bound workload types keep strategic merge patch and their
   * computed printer columns, as kcp serves kube-native types.
   */
  nativeDef?: (group: string, resource: string, version: string) => ResourceDef | undefined;
}

const k = (cluster: string, name: string) => `${cluster}|${name}`;

/** The export's latestResourceSchemas that do not exist (yet). */
function missingSchemas(exp: KubeObject, exists: (schema: string) => boolean): string[] {
  return ((exp.spec?.latestResourceSchemas ?? []) as string[]).filter((s) => !exists(s));
}
const clusterOf = (o: KubeObject) => o.metadata.annotations?.['kcp.io/cluster'] ?? 'root';

export class APIBindings implements DefSource {
  private readonly exports = new Map<string, KubeObject>();
  private readonly schemas = new Map<string, KubeObject>();
  private readonly bindings = new Map<string, KubeObject>();
  /** cluster → binding name → served defs */
  private readonly served = new Map<string, Map<string, ResourceDef[]>>();
  /** cluster → binding name → the export it is bound to */
  private readonly boundTo = new Map<string, Map<string, BoundExport>>();
  private readonly unregister: Array<() => void> = [];
  private gen = 0;
  private pass: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private listed = false;

  constructor(private readonly d: APIBindingsDeps) {}

  async start(): Promise<void> {
    for (const [kind, map] of [[RES.schemas, this.schemas], [RES.exports, this.exports], [RES.bindings, this.bindings]] as const) {
      const informer = this.d.informers.informer(kind);
      const put = (o: KubeObject) => { map.set(k(clusterOf(o), o.metadata.name!), o); this.kick(); };
      this.unregister.push(informer.addEventHandler({
        onAdd: put,
        onUpdate: (_old, o) => put(o),
        onDelete: (o) => {
          map.delete(k(clusterOf(o), o.metadata.name!));
          if (kind === RES.bindings) this.unserve(clusterOf(o), o.metadata.name!);
          this.kick();
        },
      }));
      await informer.waitForSync();
    }
    // reconcile only once all three are listed: a binding must not be judged before its export is known
    this.listed = true;
    await this.reconcileAll();
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unregister.splice(0)) u();
  }

  /** Runs a reconcile pass soon; passes never overlap, and a kick during a pass runs one more. */
  private kick(): void {
    if (this.stopped || !this.listed) return;
    if (this.pass) { this.again = true; return; }
    this.pass = new Promise<void>((r) => setImmediate(r)).then(() => this.reconcileAll()).catch((err) => {
      this.d.log.error({ err }, 'API binding reconcile failed');
    }).finally(() => {
      this.pass = undefined;
      if (this.again) { this.again = false; this.kick(); }
    });
  }

  /** Waits until no reconcile pass is pending (tests and bootstrap). */
  async settle(): Promise<void> {
    while (this.pass) await this.pass;
  }

  private scope(cluster: string, namespace = ''): RequestScope {
    return { cluster, namespace, user: SYSTEM, dryRun: false, fieldValidation: 'Ignore', warnings: [], fieldManager: 'apis-controller' };
  }

  private async reconcileAll(): Promise<void> {
    for (const exp of [...this.exports.values()]) await this.reconcileExport(exp);
    for (const b of [...this.bindings.values()]) await this.reconcileBinding(b);
  }

  // ------------------------------------------------------------------ exports

  private async reconcileExport(exp: KubeObject): Promise<void> {
    if (exp.metadata.deletionTimestamp) return;
    const cluster = clusterOf(exp);
    const name = exp.metadata.name!;
    const hash = await this.identityOf(cluster, exp);
    const url = `${this.d.externalURL()}/services/apiexport/${cluster}/${name}`;
    const now = nowRFC3339();
    const status = {
      ...(exp.status ?? {}),
      identityHash: hash,
      virtualWorkspaces: [{ url }],
      conditions: setCondition(exp.status?.conditions, { type: 'IdentityValid', status: 'True' }, now),
    };
    if (JSON.stringify(status) === JSON.stringify(exp.status)) return;
    await this.writeStatus(cluster, 'apiexports', name, status);
  }

  private async identityOf(cluster: string, exp: KubeObject): Promise<string> {
    const ref = exp.spec?.identity?.secretRef as { namespace?: string; name?: string } | undefined;
    const ns = ref?.namespace ?? IDENTITY_NAMESPACE;
    const secretName = ref?.name ?? exp.metadata.name!;
    const key = { cluster, resource: 'secrets', namespace: ns, name: secretName };
    let secret = await this.d.store.get(key);
    if (!secret) {
      await this.ensureNamespace(cluster, ns);
      const data = { [IDENTITY_KEY]: Buffer.from(newIdentityKey()).toString('base64') };
      const def = this.d.resolveDef(cluster, '', 'v1', 'secrets')!;
      try {
        secret = await this.d.generic.create(this.scope(cluster, ns), def, { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace: ns }, type: 'Opaque', data });
      } catch (e) {
        if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
        secret = (await this.d.store.get(key))!;
      }
    }
    const raw = secret.data?.[IDENTITY_KEY] as string | undefined;
    return identityHash(raw ? Buffer.from(raw, 'base64').toString('utf8') : '');
  }

  private async ensureNamespace(cluster: string, ns: string): Promise<void> {
    if (await this.d.store.get({ cluster, resource: 'namespaces', namespace: '', name: ns })) return;
    const def = this.d.resolveDef(cluster, '', 'v1', 'namespaces')!;
    try {
      await this.d.generic.create(this.scope(cluster), def, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
    }
  }

  private async writeStatus(cluster: string, resource: 'apiexports' | 'apibindings', name: string, status: unknown): Promise<void> {
    const def = this.d.resolveDef(cluster, APIS_GROUP, 'v1alpha1', resource);
    if (!def) return;
    try {
      await this.d.generic.patch(this.scope(cluster), def, name, 'status', async (live) => ({ object: { ...live!, status } as KubeObject }), { allowCreate: false });
    } catch (e) {
      if (e instanceof StatusError && (e.reason === 'NotFound' || e.reason === 'Conflict')) { this.kick(); return; }
      throw e;
    }
  }

  // ------------------------------------------------------------------ bindings

  private async reconcileBinding(b: KubeObject): Promise<void> {
    const cluster = clusterOf(b);
    const name = b.metadata.name!;
    const now = nowRFC3339();
    let conditions: Condition[] = b.status?.conditions ?? [];
    const ref = b.spec?.reference?.export as { path?: string; name?: string } | undefined;
    const exportCluster = ref?.path || cluster;
    const exp = ref?.name ? this.exports.get(k(exportCluster, ref.name)) : undefined;
    const status: Record<string, unknown> = { ...(b.status ?? {}) };
    let defs: ResourceDef[] = [];

    if (!exp || !exp.status?.identityHash) {
      conditions = setCondition(conditions, {
        type: 'APIExportValid', status: 'False', reason: 'APIExportNotFound',
        message: `APIExport ${exportCluster}:${ref?.name ?? ''} not found (or has no identity yet)`,
      }, now);
      conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'APIExportNotFound', message: 'waiting for the APIExport' }, now);
      status.phase = status.phase === 'Bound' ? 'Bound' : 'Binding';
      this.unserve(cluster, name);
    } else if (missingSchemas(exp, (s) => this.schemas.has(k(exportCluster, s))).length) {
      // kcp keeps such a binding Binding until every schema of the export exists, naming what is missing
      const missing = missingSchemas(exp, (s) => this.schemas.has(k(exportCluster, s)));
      const message = `APIExport ${exportCluster}:${exp.metadata.name} references APIResourceSchema${missing.length > 1 ? 's' : ''} ${missing.map((s) => `${exportCluster}:${s}`).join(', ')} that do${missing.length > 1 ? '' : 'es'} not exist`;
      conditions = setCondition(conditions, { type: 'APIExportValid', status: 'False', reason: 'APIResourceSchemaNotFound', message }, now);
      if (status.phase !== 'Bound') {
        conditions = setCondition(conditions, { type: 'InitialBindingCompleted', status: 'False', reason: 'APIResourceSchemaNotFound', message }, now);
        status.phase = 'Binding';
        this.unserve(cluster, name);
      }
      conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'APIResourceSchemaNotFound', message }, now);
    } else {
      conditions = setCondition(conditions, { type: 'APIExportValid', status: 'True' }, now);
      const hash = exp.status.identityHash as string;
      const boundResources: unknown[] = [];
      for (const schemaName of (exp.spec?.latestResourceSchemas ?? []) as string[]) {
        const schema = this.schemas.get(k(exportCluster, schemaName));
        if (!schema) continue;
        const sdefs = resourceDefsFromSpec(schema.spec ?? {}, { source: `binding:${name}`, identityHash: hash })
          .map((d) => this.nativeOr(d));
        defs.push(...sdefs);
        boundResources.push({
          group: schema.spec?.group ?? '', resource: schema.spec?.names?.plural ?? '',
          schema: { name: schemaName, UID: schema.metadata.uid, identityHash: hash },
          storageVersions: (schema.spec?.versions ?? []).filter((v: { storage?: boolean }) => v.storage).map((v: { name: string }) => v.name),
        });
      }
      const clash = this.findClash(cluster, name, defs);
      if (clash) {
        conditions = setCondition(conditions, { type: 'BindingUpToDate', status: 'False', reason: 'NamingConflict', message: clash }, now);
        conditions = setCondition(conditions, { type: 'Ready', status: 'False', reason: 'NamingConflict', message: clash }, now);
        if (status.phase !== 'Bound') status.phase = 'Binding';
        defs = [];
        this.unserve(cluster, name);
      } else {
        conditions = setCondition(conditions, { type: 'InitialBindingCompleted', status: 'True' }, now);
        conditions = setCondition(conditions, { type: 'BindingUpToDate', status: 'True' }, now);
        conditions = setCondition(conditions, { type: 'PermissionClaimsValid', status: 'True' }, now);
        conditions = setCondition(conditions, { type: 'Ready', status: 'True' }, now);
        status.phase = 'Bound';
        status.apiExportClusterName = exportCluster;
        status.boundResources = boundResources;
        const exportClaims = (exp.spec?.permissionClaims ?? []) as PermissionClaim[];
        status.exportPermissionClaims = exportClaims;
        const accepted = ((b.spec?.permissionClaims ?? []) as Array<PermissionClaim & { state?: string }>).filter((c) => c.state === 'Accepted');
        status.appliedPermissionClaims = accepted.map(({ state: _s, ...c }) => c);
        this.serve(cluster, name, defs, { cluster: exportCluster, name: exp.metadata.name!, identityHash: hash, claims: status.appliedPermissionClaims as PermissionClaim[] });
      }
    }
    status.conditions = conditions;
    if (JSON.stringify(status) !== JSON.stringify(b.status ?? {})) await this.writeStatus(cluster, 'apibindings', name, status);
  }

  private nativeOr(d: ResourceDef): ResourceDef {
    const native = this.d.nativeDef?.(d.group, d.resource, d.version);
    return native ? { ...native, source: d.source, identityHash: d.identityHash } : d;
  }

  /** A binding may not serve what a CRD or another binding already serves in the same workspace. */
  private findClash(cluster: string, bindingName: string, defs: ResourceDef[]): string | undefined {
    const others = [...(this.served.get(cluster) ?? new Map<string, ResourceDef[]>()).entries()].filter(([n]) => n !== bindingName).flatMap(([, d]) => d);
    return namingConflict(defs, {
      crdDefs: this.d.crdDefs(cluster),
      otherBindingDefs: others,
      resolve: (group, version, resource) => this.d.resolveDef(cluster, group, version, resource),
    });
  }

  private serve(cluster: string, binding: string, defs: ResourceDef[], bound: BoundExport): void {
    let m = this.served.get(cluster);
    if (!m) { m = new Map(); this.served.set(cluster, m); }
    const prev = m.get(binding);
    let b = this.boundTo.get(cluster);
    if (!b) { b = new Map(); this.boundTo.set(cluster, b); }
    const prevBound = b.get(binding);
    b.set(binding, bound);
    if (prev && JSON.stringify(prev) === JSON.stringify(defs) && JSON.stringify(prevBound) === JSON.stringify(bound)) return;
    m.set(binding, defs);
    this.gen++;
  }

  private unserve(cluster: string, binding: string): void {
    const had = this.served.get(cluster)?.delete(binding);
    this.boundTo.get(cluster)?.delete(binding);
    if (had) this.gen++;
  }

  // ------------------------------------------------------------------ DefSource + queries

  defsFor(cluster: string): ResourceDef[] {
    const m = this.served.get(cluster);
    return m ? [...m.values()].flat() : [];
  }

  generation(): number { return this.gen; }

  /** The workspaces bound to an export, with the claims each accepted. */
  bindingsOf(exportCluster: string, exportName: string): Array<{ cluster: string; claims: PermissionClaim[] }> {
    const out: Array<{ cluster: string; claims: PermissionClaim[] }> = [];
    for (const [cluster, m] of this.boundTo) {
      for (const b of m.values()) if (b.cluster === exportCluster && b.name === exportName) out.push({ cluster, claims: b.claims });
    }
    return out;
  }

  getExport(cluster: string, name: string): KubeObject | undefined {
    return this.exports.get(k(cluster, name));
  }

  /** The resources an export serves (from its schemas), as defs. */
  exportDefs(cluster: string, name: string): ResourceDef[] {
    const exp = this.exports.get(k(cluster, name));
    if (!exp) return [];
    return ((exp.spec?.latestResourceSchemas ?? []) as string[]).flatMap((s) => {
      const schema = this.schemas.get(k(cluster, s));
      return schema ? resourceDefsFromSpec(schema.spec ?? {}, { source: `export:${name}`, identityHash: exp.status?.identityHash }).map((d) => this.nativeOr(d)) : [];
    });
  }

  /** Which APIExports are bound where: the answer for tooling (`tmcctl`) and controllers. */
  bindingTable(): Array<{ cluster: string; binding: string; exportCluster: string; exportName: string }> {
    const out: Array<{ cluster: string; binding: string; exportCluster: string; exportName: string }> = [];
    for (const [cluster, m] of this.boundTo) for (const [binding, b] of m) out.push({ cluster, binding, exportCluster: b.cluster, exportName: b.name });
    return out;
  }
}
