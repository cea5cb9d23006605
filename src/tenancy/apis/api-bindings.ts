/**
 * APIExports and APIBindings, embedded: kcp's apiexport and apibinding controllers
 * (apibinding-controller.ts, deciding in apibinding-reconcile.ts) plus the serving side: every
 * export gets an identity, consumer workspaces bind to exports, and bound resources are served in
 * the consumer's discovery, OpenAPI and REST paths (as a catalog DefSource).
 *
 * It runs inside the server on the store, as kcp's own controllers run inside kcp; TMC's
 * controllers (reconcilers/) stay on the client side of the API.
 */
import { clusterOf } from '../../apis/contract.js';
import type { DefSource } from '../../registry/catalog.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';
import { APIBindingController, APIS_RESOURCES, type APIBindingControllerDeps } from './apibinding-controller.js';
import { schemaDefs, type PermissionClaim } from './apibinding-reconcile.js';
import { ServedBindings } from './served-bindings.js';

export { APIS_GROUP } from './apibinding-controller.js';
export type { PermissionClaim } from './apibinding-reconcile.js';

/** What the controller needs, less what the façade owns (what is served). */
export type APIBindingsDeps = Omit<APIBindingControllerDeps, 'served'>;

export class APIBindings implements DefSource {
  private readonly served = new ServedBindings();
  private readonly controller: APIBindingController;

  constructor(private readonly d: APIBindingsDeps) {
    this.controller = new APIBindingController({ ...d, served: this.served });
  }

  /** Resolves once the informers have listed and what they listed is reconciled. */
  start(): Promise<void> {
    return this.controller.start();
  }

  stop(): Promise<void> {
    return this.controller.stop();
  }

  /** Waits until what was changed so far is reconciled (tests and bootstrap). */
  settle(): Promise<void> {
    return this.controller.settle();
  }

  // ------------------------------------------------------------------ DefSource + queries

  defsFor(cluster: string): ResourceDef[] {
    return this.served.defsFor(cluster);
  }

  generation(): number { return this.served.generation(); }

  /** See ServedBindings.onChange. */
  onChange(fn: () => void): () => void {
    return this.served.onChange(fn);
  }

  /** The workspaces bound to an export, with the claims each accepted. */
  bindingsOf(exportCluster: string, exportName: string): Array<{ cluster: string; claims: PermissionClaim[] }> {
    return this.served.bindingsOf(exportCluster, exportName);
  }

  getExport(cluster: string, name: string): KubeObject | undefined {
    return this.d.informers.informer(APIS_RESOURCES.exports).get(cluster, undefined, name);
  }

  /** The exports whose identity is `identityHash` (one, unless an owner shares its identity key). */
  exportsWithIdentity(identityHash: string): Array<{ cluster: string; name: string }> {
    return this.d.informers.informer(APIS_RESOURCES.exports).list()
      .filter((e) => e.status?.identityHash === identityHash)
      .map((e) => ({ cluster: clusterOf(e), name: e.metadata.name! }));
  }

  /** The resources an export serves (from its schemas), as defs. */
  exportDefs(cluster: string, name: string): ResourceDef[] {
    const exp = this.getExport(cluster, name);
    if (!exp) return [];
    const schemas = this.d.informers.informer(APIS_RESOURCES.schemas);
    return ((exp.spec?.latestResourceSchemas ?? []) as string[]).flatMap((s) => {
      const schema = schemas.get(cluster, undefined, s);
      return schema ? schemaDefs(schema, { source: `export:${name}`, identityHash: exp.status?.identityHash }, this.d.nativeDef) : [];
    });
  }

  /** Which APIExports are bound where: the answer for tooling (`tmcctl`) and controllers. */
  bindingTable(): Array<{ cluster: string; binding: string; exportCluster: string; exportName: string }> {
    return this.served.table();
  }
}
