/**
 * What one APIExport's virtual workspace shows: the export's own resources in every workspace
 * bound to it, plus each claimed resource in the workspaces whose binding accepted the claim.
 *
 * As in kcp, the view serves every resource the export claims (built-in ones, and ones another
 * export serves, found by the claim's identity hash) whether or not any consumer accepted the
 * claim: `clusters/*` then lists only what accepting workspaces hold (nothing, if none accepted),
 * and a bound workspace that did not accept shows nothing of that resource (`claimRefusal`).
 *
 * It is the view's DefSource (discovery/OpenAPI/resolution per URL cluster) and the source of the
 * object filter (by the workspace path every stored object carries in `kcp.io/path`, see clusterOf). The
 * snapshot is recomputed only when bindings, the catalog or the export change.
 */
import { clusterOf } from '../../apis/contract.js';
import type { ResourceCatalog, DefSource } from '../../registry/catalog.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject, ObjectFilter } from '../../storage/types.js';
import type { APIBindings, PermissionClaim } from '../../tenancy/apis/api-bindings.js';

export const grKey = (group: string, resource: string) => `${group}/${resource}`;

interface Snapshot {
  /** Workspaces bound to the export. */
  bound: Set<string>;
  /** The export's own resources (every version served). */
  exported: ResourceDef[];
  /** Claimed resources: group/resource → its defs and the workspaces that accepted the claim. */
  claimed: Map<string, { defs: ResourceDef[]; clusters: Set<string> }>;
}

/** kcp's claim key: group, resource and identity hash (a claim accepted without the export's identity is another claim). */
function sameClaim(a: PermissionClaim, b: PermissionClaim): boolean {
  return (a.group ?? '') === (b.group ?? '') && a.resource === b.resource && (a.identityHash ?? '') === (b.identityHash ?? '');
}

/** A claim on events covers both Event APIs (core/v1 and events.k8s.io/v1), as in kcp. */
function claimedGroupResources(claim: PermissionClaim): Array<{ group: string; resource: string }> {
  const group = claim.group ?? '';
  if (claim.resource !== 'events' || (group !== '' && group !== 'events.k8s.io')) return [{ group, resource: claim.resource }];
  return [{ group: '', resource: 'events' }, { group: 'events.k8s.io', resource: 'events' }];
}

export class ExportView implements DefSource {
  private signature = '';
  private gen = 0;
  private snap: Snapshot = { bound: new Set(), exported: [], claimed: new Map() };

  constructor(
    private readonly bindings: APIBindings,
    private readonly catalog: ResourceCatalog,
    readonly exportCluster: string,
    readonly exportName: string,
  ) {}

  export(): KubeObject | undefined {
    return this.bindings.getExport(this.exportCluster, this.exportName);
  }

  /** Rebuilds the snapshot when anything it derives from may have changed. */
  generation(): number {
    const exp = this.export();
    // cheap (it runs per filtered object): bindings bump their generation whenever what a
    // workspace binds or the claims it accepted change
    const sig = `${this.catalog.generation()}|${this.bindings.generation()}|${exp?.metadata.resourceVersion ?? '-'}`;
    if (sig !== this.signature) {
      this.signature = sig;
      this.snap = this.build(exp);
      this.gen++;
    }
    return this.gen;
  }

  private build(exp: KubeObject | undefined): Snapshot {
    const snap: Snapshot = { bound: new Set(), exported: [], claimed: new Map() };
    if (!exp) return snap;
    const bound = this.bindings.bindingsOf(this.exportCluster, this.exportName);
    for (const b of bound) snap.bound.add(b.cluster);
    snap.exported = this.bindings.exportDefs(this.exportCluster, this.exportName);
    const exportedGR = new Set(snap.exported.map((d) => grKey(d.group, d.resource)));
    const exportClaims = (exp.spec?.permissionClaims ?? []) as PermissionClaim[];
    for (const claim of exportClaims) {
      // only `all: true` claims grant access (resourceSelector claims are not served)
      const accepting = bound.filter((b) => b.claims.some((c) => sameClaim(c, claim) && c.all === true)).map((b) => b.cluster);
      for (const { group, resource } of claimedGroupResources(claim)) {
        const gr = grKey(group, resource);
        // the export's own resources win over a claim on the same group/resource, as in kcp
        if (exportedGR.has(gr) || snap.claimed.has(gr)) continue;
        const defs = this.claimDefs(group, resource, claim.identityHash, accepting);
        if (defs.length) snap.claimed.set(gr, { defs, clusters: new Set(accepting) });
      }
    }
    return snap;
  }

  /**
   * A claimed resource's definition: the built-in one when the claim names no identity; else the
   * one the export with that identity serves; failing that, what an accepting workspace serves
   * under that identity (an export this server cannot see, e.g. behind a proxy).
   */
  private claimDefs(group: string, resource: string, identityHash: string | undefined, accepting: string[]): ResourceDef[] {
    const matches = (d: ResourceDef) => d.group === group && d.resource === resource;
    if (!identityHash) return this.catalog.all(this.exportCluster).filter((d) => matches(d) && d.source === 'builtin');
    for (const e of this.bindings.exportsWithIdentity(identityHash)) {
      const defs = this.bindings.exportDefs(e.cluster, e.name).filter(matches);
      if (defs.length) return defs;
    }
    for (const c of accepting) {
      const defs = this.catalog.all(c).filter((d) => matches(d) && d.identityHash === identityHash);
      if (defs.length) return defs;
    }
    return [];
  }

  private current(): Snapshot {
    this.generation();
    return this.snap;
  }

  /** '*' and every bound workspace serve the same resources, as in kcp; an unbound workspace none. */
  defsFor(cluster: string): ResourceDef[] {
    const s = this.current();
    if (cluster !== '*' && !s.bound.has(cluster)) return [];
    const out = [...s.exported];
    for (const { defs } of s.claimed.values()) out.push(...defs);
    return out;
  }

  isBound(cluster: string): boolean {
    return this.current().bound.has(cluster);
  }

  /** The workspaces whose objects of `def` the view may show. */
  clustersFor(def: Pick<ResourceDef, 'group' | 'resource'>): Set<string> {
    const s = this.current();
    const gr = grKey(def.group, def.resource);
    if (s.exported.some((d) => grKey(d.group, d.resource) === gr)) return s.bound;
    return s.claimed.get(gr)?.clusters ?? new Set();
  }

  /** Every group/resource of the view with the workspaces it shows them for (to tell what changed). */
  visibility(): Map<string, Set<string>> {
    const s = this.current();
    const out = new Map<string, Set<string>>();
    for (const d of s.exported) out.set(grKey(d.group, d.resource), s.bound);
    for (const [gr, { clusters }] of s.claimed) out.set(gr, clusters);
    return out;
  }

  /**
   * Why a bound workspace shows nothing of a claimed resource (its binding did not accept the
   * claim), or undefined when it does (or the resource is not a claim of this view).
   */
  claimRefusal(cluster: string, group: string, resource: string): string | undefined {
    const s = this.current();
    const entry = s.claimed.get(grKey(group, resource));
    if (!entry || !s.bound.has(cluster) || entry.clusters.has(cluster)) return undefined;
    const claims = (this.export()?.spec?.permissionClaims ?? []) as PermissionClaim[];
    const claim = claims.find((c) => claimedGroupResources(c).some((x) => x.group === group && x.resource === resource));
    const stated = claim ? `{group: "${claim.group ?? ''}", resource: ${claim.resource}${claim.identityHash ? `, identityHash: ${claim.identityHash}` : ''}, all: true}` : resource;
    return `workspace "${cluster}" has not accepted APIExport ${this.exportCluster}:${this.exportName}'s permission claim ${stated}; `
      + 'accept it in its APIBinding (spec.permissionClaims[], state: Accepted, as the export states it)';
  }

  /**
   * Objects of workspaces allowed for `def`. The set is looked up per object (not captured), so a
   * long watch follows bindings made after it started.
   */
  filter(def: ResourceDef): ObjectFilter {
    return (o) => {
      const c = clusterOf(o);
      return c !== '' && this.clustersFor(def).has(c);
    };
  }
}
