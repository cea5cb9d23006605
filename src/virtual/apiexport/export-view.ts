/**
 * What one APIExport's virtual workspace shows: the export's own resources in every workspace
 * bound to it, plus each claimed resource in the workspaces whose binding accepted the claim.
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


const grKey = (group: string, resource: string) => `${group}/${resource}`;

interface Snapshot {
  /** Workspaces bound to the export. */
  bound: Set<string>;
  /** The export's own resources (every version served). */
  exported: ResourceDef[];
  /** Claimed resources: group/resource → its def and the workspaces that accepted the claim. */
  claimed: Map<string, { defs: ResourceDef[]; clusters: Set<string> }>;
}

/** Exported claims match accepted ones by group, resource and identity; only `all: true` claims grant access. */
function sameClaim(a: PermissionClaim, b: PermissionClaim): boolean {
  return (a.group ?? '') === (b.group ?? '') && a.resource === b.resource && (a.identityHash ?? '') === (b.identityHash ?? '');
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
      const gr = grKey(claim.group ?? '', claim.resource);
      if (exportedGR.has(gr)) continue;
      for (const b of bound) {
        const accepted = b.claims.find((c) => sameClaim(c, claim));
        if (!accepted || accepted.all !== true) continue;
        let entry = snap.claimed.get(gr);
        if (!entry) {
          // the consumer's own definition: built-in (configmaps) or bound with the claimed identity
          const defs = this.catalog.all(b.cluster).filter((d) => d.group === (claim.group ?? '') && d.resource === claim.resource
            && (!claim.identityHash || d.identityHash === claim.identityHash));
          if (defs.length === 0) continue;
          entry = { defs, clusters: new Set() };
          snap.claimed.set(gr, entry);
        }
        entry.clusters.add(b.cluster);
      }
    }
    return snap;
  }

  private current(): Snapshot {
    this.generation();
    return this.snap;
  }

  /** '*' shows everything anyone bound; a concrete workspace only what it bound and accepted. */
  defsFor(cluster: string): ResourceDef[] {
    const s = this.current();
    if (cluster !== '*' && !s.bound.has(cluster)) return [];
    const out = [...s.exported];
    for (const { defs, clusters } of s.claimed.values()) {
      if (cluster === '*' || clusters.has(cluster)) out.push(...defs);
    }
    return out;
  }

  isBound(cluster: string): boolean {
    return this.current().bound.has(cluster);
  }

  /** The workspaces whose objects of `def` the view may show. */
  clustersFor(def: ResourceDef): Set<string> {
    const s = this.current();
    const gr = grKey(def.group, def.resource);
    if (s.exported.some((d) => grKey(d.group, d.resource) === gr)) return s.bound;
    return s.claimed.get(gr)?.clusters ?? new Set();
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
