/**
 * An in-memory world for the workloadplacement reconciler: clusters, workloads and decisions in
 * maps, ReconcileDeps over them (patches really applied as merge patches), and a settable clock.
 * Used by the reconcile tests and the benchmark.
 */
import { clusterKey } from '../../../src/apis/contract.js';
import type { ClusterRegistration, PlacementDecision, WorkloadPlacement } from '../../../src/apis/tmc/index.js';
import type { ReconcileDeps, WorkloadObject } from '../../../src/reconcilers/workloadplacement/types.js';
import { reconcilePlacement } from '../../../src/reconcilers/workloadplacement/workloadplacement-reconcile.js';
import { defaultCelCompiler } from '../../../src/reconcilers/workloadplacement/cel-compiler.js';

export const WS = 'root:team';
export const T0 = Date.parse('2026-03-01T12:00:00Z');

export function readyCluster(name: string, labels: Record<string, string> = {}, extra: Partial<ClusterRegistration['spec']> = {}): ClusterRegistration {
  return {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration',
    metadata: { name, labels },
    spec: { location: labels.location ?? 'eu', ...extra },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'Heartbeat', message: '', lastTransitionTime: new Date(T0 - 3600_000).toISOString() }],
      allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
      allocated: { cpu: '0', memory: '0', pods: '0' },
      syncedResources: [{ group: 'apps', resource: 'deployments', state: 'Accepted' }],
      clusterKey: clusterKey(WS, name),
    },
  };
}

export function deployment(name: string, replicas = 3, labels: Record<string, string> = { app: name }): WorkloadObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'app', uid: `uid-${name}`, resourceVersion: '1', labels, annotations: { 'kcp.io/cluster': WS } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } } },
  };
}

export function placement(spec: WorkloadPlacement['spec'], name = 'web'): WorkloadPlacement {
  return {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement',
    metadata: { name, namespace: 'app', uid: `uid-p-${name}`, generation: 1, annotations: { 'kcp.io/cluster': WS } },
    spec: { workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }] }, ...spec },
  };
}

export const key = (cluster: string) => clusterKey(WS, cluster);

export class World {
  clusters = new Map<string, ClusterRegistration>();
  workloads = new Map<string, WorkloadObject>();
  decisions = new Map<string, PlacementDecision>();
  placements = new Map<string, WorkloadPlacement>();
  nowMs = T0;
  patches = 0;
  created = 0;
  private rv = 100;

  constructor(clusters: ClusterRegistration[] = [], workloads: WorkloadObject[] = []) {
    for (const c of clusters) this.clusters.set(c.metadata.name as string, c);
    for (const w of workloads) this.workloads.set(w.metadata.name, w);
  }

  advance(seconds: number): void {
    this.nowMs += seconds * 1000;
  }

  workload(name: string): WorkloadObject {
    return this.workloads.get(name) as WorkloadObject;
  }

  cluster(name: string): ClusterRegistration {
    return this.clusters.get(name) as ClusterRegistration;
  }

  /** Writes per-cluster status as a syncer would. */
  report(workload: string, cluster: string, status: Record<string, unknown>): void {
    const w = this.workload(workload);
    w.metadata.annotations = { ...w.metadata.annotations, [`status.tmc.kcp.io/${key(cluster)}`]: JSON.stringify(status) };
  }

  setFinalizer(workload: string, cluster: string, on: boolean): void {
    const w = this.workload(workload);
    const f = `tmc.kcp.io/syncer-${key(cluster)}`;
    const rest = (w.metadata.finalizers ?? []).filter((x) => x !== f);
    w.metadata.finalizers = on ? [...rest, f] : rest;
  }

  setReady(cluster: string, ready: boolean): void {
    const c = this.cluster(cluster);
    c.status!.conditions = [{ type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? 'Heartbeat' : 'HeartbeatMissed', message: '', lastTransitionTime: new Date(this.nowMs).toISOString() }];
  }

  /** Synced label keys → cluster names. */
  placedOn(workload: string): string[] {
    const labels = this.workload(workload).metadata.labels ?? {};
    return [...this.clusters.keys()].filter((c) => labels[`state.tmc.kcp.io/${key(c)}`] === 'Sync').sort();
  }

  history(): PlacementDecision[] {
    return [...this.decisions.values()].sort((a, b) => a.spec.revision - b.spec.revision);
  }

  deps(overrides: Partial<ReconcileDeps> = {}): ReconcileDeps {
    return {
      listClusters: () => [...this.clusters.values()],
      // The reconciler never mutates what it lists (it patches through patchWorkload), so no copies.
      listWorkloads: () => [...this.workloads.values()],
      patchWorkload: async (_ws, w, patch) => {
        const stored = this.workloads.get(w.metadata.name);
        if (!stored) throw new Error(`no workload ${w.metadata.name}`);
        if (stored.metadata.resourceVersion !== w.metadata.resourceVersion) throw new Error('409 conflict');
        mergeInto(stored as unknown as Record<string, unknown>, patch as unknown as Record<string, unknown>);
        stored.metadata.resourceVersion = String(++this.rv);
        this.patches++;
      },
      listDecisions: async (ref) => [...this.decisions.values()].filter((d) => d.spec.placementName === ref.name),
      createDecision: async (_ref, d) => {
        if (this.decisions.has(d.metadata.name as string)) throw new Error('409 AlreadyExists');
        this.decisions.set(d.metadata.name as string, d);
        this.created++;
      },
      deleteDecision: async (_ref, name) => {
        this.decisions.delete(name);
      },
      placementExists: (_ws, _ns, name) => this.placements.has(name),
      now: () => new Date(this.nowMs),
      celCompiler: defaultCelCompiler(),
      ...overrides,
    };
  }

  /**
   * The controller hands reconcilePlacement its informer's cached object, not a copy: the
   * reconcile must never mutate its input. Tests pass it deep-frozen so a write throws.
   */
  freezeInput = true;

  /** One reconcile; the placement's new status is stored back (as the committer would). */
  async reconcile(p: WorkloadPlacement, overrides: Partial<ReconcileDeps> = {}): Promise<{ placement: WorkloadPlacement; requeueAfterMs?: number }> {
    this.placements.set(p.metadata.name as string, p);
    const out = await reconcilePlacement(this.freezeInput ? deepFreeze(structuredClone(p)) : p, WS, this.deps(overrides));
    p.status = out.placement.status;
    return out;
  }
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (typeof v === 'object' && !Array.isArray(v)) {
      const cur = target[k];
      const next = (cur && typeof cur === 'object' && !Array.isArray(cur) ? cur : {}) as Record<string, unknown>;
      mergeInto(next, v as Record<string, unknown>);
      target[k] = next;
    } else target[k] = v;
  }
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}
