/**
 * The status simulator: plays kube-controller-manager, the scheduler and the kubelets for the
 * workload types. It reads them (and the nodes) from the server's shared store informers (their
 * recovery rules: a workload deleted while a watch was down is gone after the relist) and, on any
 * change, recomputes the whole picture: which pods fit (capacity.ts), whose ready delay has passed (progress.ts), and what
 * each status should say (workload-status.ts). Only differing statuses are written, through the
 * `status` subresource of the generic store, as any controller would.
 *
 * Recomputing everything on each (coalesced) change keeps the model simple and right: capacity is
 * shared, so one workload's change can move another's ready count.
 */
import { DAEMONSETS, DEPLOYMENTS, JOBS, SERVICES, STATEFULSETS } from '../apis/gvr.js';
import { isNotFound } from '../errors/status.js';
import { deepEqual } from '../machinery/objects.js';
import type { Logger } from '../observability/logger.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import type { GenericStore, RequestScope } from '../registry/generic-store.js';
import { storageResource, type ResourceDef } from '../registry/types.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';
import { IncrementalPacker, demandSignature, nodeSignature, nodeView, podRequest, type Demand, type NodeView } from './capacity.js';
import { ProgressTracker } from './progress.js';
import { CLUSTER, SIMULATOR_USER } from './types.js';
import {
  daemonSetStatus, deploymentStatus, desiredReplicas, jobActivePods, jobStatus, serviceStatus, statefulSetStatus,
  type StatusInput,
} from './workload-status.js';
import { stringifyJSON } from '../machinery/json-text.js';

interface Kind {
  group: string;
  version: string;
  resource: string;
  /** Pods it wants (0 for Services); 'perNode' for DaemonSets. */
  pods: ((o: KubeObject) => number) | 'perNode';
  status: (inp: StatusInput) => Record<string, unknown> | undefined;
}

/** DaemonSets first: like node-critical pods they get capacity before anything else. */
const KINDS: Kind[] = [
  { ...DAEMONSETS, pods: 'perNode', status: daemonSetStatus },
  { ...DEPLOYMENTS, pods: desiredReplicas, status: deploymentStatus },
  { ...STATEFULSETS, pods: desiredReplicas, status: statefulSetStatus },
  { ...JOBS, pods: jobActivePods, status: jobStatus },
  { ...SERVICES, pods: () => 0, status: serviceStatus },
];

interface Item { kind: Kind; def: ResourceDef; obj: KubeObject; key: string; seq: number }

/** What a pass derives from one watched object alone: computed once per object version, not per pass. */
interface Derived { key: string; demand: Demand | undefined; signature: string }

export interface StatusSimulatorOptions {
  informers: StoreInformers;
  generic: GenericStore;
  catalog: ResourceCatalog;
  log: Logger;
  readyDelayMs: number;
  /** Injected for tests; defaults to Date.now. */
  now?: () => number;
}

const RETRY_MS = 1000;
/**
 * Passes start at least this far apart. A pass looks at every workload, so during a burst (each
 * create, apply and status write is an event) back-to-back passes made the simulator cost
 * O(events × workloads); spaced, one pass takes in every change of the interval. Small beside
 * any ready delay.
 */
export const MIN_PASS_INTERVAL_MS = 50;

export class StatusSimulator {
  private readonly progress: ProgressTracker;
  private readonly now: () => number;
  private readonly unregister: Array<() => void> = [];
  /** What we last wrote per workload, so a status the store normalises differently is not rewritten forever. */
  private readonly lastWritten = new Map<string, { rv: string; status: string }>();
  /** What each workload's status was last computed from (see reconcile). */
  private readonly lastInput = new Map<string, { obj: KubeObject; placed: number; eligible: number; settled: boolean; rollout: boolean; failed: boolean }>();
  /** Order in which workloads were first seen: earlier ones keep their capacity. */
  private readonly firstSeen = new Map<string, number>();
  private nextSeq = 0;
  /**
   * Watched objects are immutable and a pass looks at every one of them, so what depends on one
   * object only (its key, pod request, node view) is kept per object; during a burst a pass then
   * costs O(workloads) cheap lookups plus the work for what changed.
   */
  private readonly derived = new WeakMap<KubeObject, Derived>();
  private readonly nodeViews = new WeakMap<KubeObject, { view: NodeView; signature: string } | null>();
  private readonly packer = new IncrementalPacker();
  private lastPassAt = -Infinity;
  private running = false;
  private pending = false;
  private stopped = false;
  private kickTimer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly o: StatusSimulatorOptions) {
    this.progress = new ProgressTracker(o.readyDelayMs);
    this.now = o.now ?? Date.now;
  }

  /**
   * A pass reads the informers' caches instead of listing (and parsing) every workload again, which
   * made a burst of N creates cost O(N²); every change of a followed resource schedules one.
   */
  async start(): Promise<void> {
    const kick = () => this.kick();
    for (const resource of ['nodes', ...KINDS.map((k) => storageResource(k))]) {
      const informer = this.o.informers.informer(resource);
      this.unregister.push(informer.addEventHandler({ onAdd: kick, onUpdate: kick, onDelete: kick }));
      await informer.waitForSync();
    }
    this.kick();
  }

  /** The objects as last watched (shared with the store and the informer: never mutated). */
  private cached(resource: string): KubeObject[] {
    return this.o.informers.informer(resource).list();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unregister.splice(0)) u();
    clearTimeout(this.kickTimer);
    clearTimeout(this.wakeTimer);
    await this.idle;
  }

  /** Schedules one reconcile pass soon; bursts of events coalesce into one. */
  private kick(delayMs = 0): void {
    if (this.stopped || this.kickTimer) return;
    const spacing = this.lastPassAt + MIN_PASS_INTERVAL_MS - Date.now();
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      if (this.running) { this.pending = true; return; }
      this.idle = this.run();
    }, Math.max(delayMs, spacing));
  }

  private async run(): Promise<void> {
    this.running = true;
    this.lastPassAt = Date.now();
    try {
      await this.reconcile();
    } catch (err) {
      this.o.log.error({ err }, 'simulator pass failed; retrying');
      this.pending = false;
      this.kick(RETRY_MS);
    } finally {
      this.running = false;
    }
    if (this.pending) { this.pending = false; this.kick(); }
  }

  private async reconcile(): Promise<void> {
    const nodes: NodeView[] = [];
    const nodeSigs: string[] = [];
    for (const n of this.cached('nodes')) {
      let v = this.nodeViews.get(n);
      if (v === undefined) {
        const view = nodeView(n);
        this.nodeViews.set(n, v = view ? { view, signature: nodeSignature(view) } : null);
      }
      if (v) { nodes.push(v.view); nodeSigs.push(v.signature); }
    }
    const items = this.listWorkloads();
    const demands: Demand[] = [];
    const demandSigs: string[] = [];
    for (const it of items) {
      const d = this.derive(it.kind, it.obj);
      if (d.demand) { demands.push(d.demand); demandSigs.push(d.signature); }
    }
    const placement = this.packer.pack(nodes, nodeSigs, demands, demandSigs);

    const now = this.now();
    let nextWake: number | undefined;
    let failed = false;
    for (const it of items) {
      const placed = placement.placed.get(it.key) ?? 0;
      const eligible = placement.eligible.get(it.key) ?? 0;
      const p = this.progress.observe(it.key, it.obj, placed, now);
      if (p.settlesAt !== undefined) nextWake = Math.min(nextWake ?? Infinity, p.settlesAt);
      // Same object (watched objects are immutable), same fit, same progress: the status computed
      // last pass still holds. Passes run on every change, so this keeps a pass over N mostly
      // unchanged workloads O(N) cheap checks instead of N status computations.
      const seen = this.lastInput.get(it.key);
      if (seen && seen.obj === it.obj && seen.placed === placed && seen.eligible === eligible
        && seen.settled === p.settled && seen.rollout === p.rollout && !seen.failed) continue;
      const input = { obj: it.obj, placed, eligible, settled: p.settled, rollout: p.rollout, failed: false };
      this.lastInput.set(it.key, input);
      const status = it.kind.status({
        obj: it.obj, placed, eligible, settled: p.settled, rollout: p.rollout, since: p.since, now: new Date(now), templateHash: p.template,
      });
      if (status === undefined || deepEqual(status, it.obj.status)) continue;
      const last = this.lastWritten.get(it.key);
      const text = stringifyJSON(status);
      if (last && last.rv === it.obj.metadata.resourceVersion && last.status === text) continue;
      try {
        await this.writeStatus(it, status, text);
      } catch (err) {
        if (isNotFound(err)) continue;
        failed = true;
        input.failed = true;
        this.o.log.warn({ err, resource: it.kind.resource, namespace: it.obj.metadata.namespace, name: it.obj.metadata.name }, 'simulator status write failed');
      }
    }
    const live = new Set(items.map((it) => it.key));
    for (const k of this.lastWritten.keys()) if (!live.has(k)) this.lastWritten.delete(k);
    for (const k of this.lastInput.keys()) if (!live.has(k)) this.lastInput.delete(k);
    for (const k of this.firstSeen.keys()) if (!live.has(k)) this.firstSeen.delete(k);
    this.progress.retain(live);
    if (failed) this.kick(RETRY_MS);
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (nextWake !== undefined && !this.stopped) {
      this.wakeTimer = setTimeout(() => this.kick(), Math.max(0, nextWake - this.now()) + 1);
    }
  }

  private listWorkloads(): Item[] {
    const items: Item[] = [];
    for (const kind of KINDS) {
      const def = this.o.catalog.resolve(CLUSTER, kind.group, kind.version, kind.resource);
      if (!def) continue;
      for (const obj of this.cached(storageResource(kind))) {
        const key = this.derive(kind, obj).key;
        items.push({ kind, def, obj, key, seq: this.firstSeen.get(key) ?? Infinity });
      }
    }
    // DaemonSets keep their lead; the rest get capacity in the order the simulator first saw them,
    // so pods already running keep their nodes (creationTimestamp has only second precision)
    const rank = (it: Item) => (it.kind.pods === 'perNode' ? 0 : 1);
    const rv = (it: Item) => Number(it.obj.metadata.resourceVersion) || 0;
    items.sort((a, b) => rank(a) - rank(b) || (a.seq !== b.seq ? a.seq - b.seq : 0)
      || String(a.obj.metadata.creationTimestamp).localeCompare(String(b.obj.metadata.creationTimestamp))
      || rv(a) - rv(b) || a.key.localeCompare(b.key));
    for (const it of items) if (it.seq === Infinity) this.firstSeen.set(it.key, it.seq = this.nextSeq++);
    return items;
  }

  private derive(kind: Kind, obj: KubeObject): Derived {
    let d = this.derived.get(obj);
    if (!d) {
      const m = obj.metadata;
      const key = `${storageResource(kind)}/${m.namespace ?? ''}/${m.name}/${m.uid}`;
      const demand = this.demand(kind, key, obj);
      this.derived.set(obj, d = { key, demand, signature: demand ? demandSignature(demand) : '' });
    }
    return d;
  }

  private demand(kind: Kind, key: string, obj: KubeObject): Demand | undefined {
    const spec = obj.spec?.template?.spec ?? {};
    const pods = kind.pods;
    const count = pods === 'perNode' ? 0 : pods(obj);
    if (pods !== 'perNode' && count === 0) return undefined;
    return {
      key, request: podRequest(spec), count, perNode: pods === 'perNode',
      nodeSelector: spec.nodeSelector ?? {}, tolerations: Array.isArray(spec.tolerations) ? spec.tolerations : [],
    };
  }

  private async writeStatus(it: Item, status: Record<string, unknown>, text: string): Promise<void> {
    const scope: RequestScope = {
      cluster: CLUSTER, namespace: it.obj.metadata.namespace ?? '', user: SIMULATOR_USER, dryRun: false,
      fieldValidation: 'Ignore', warnings: [], fieldManager: 'kube-controller-manager',
    };
    const { uid, generation } = it.obj.metadata;
    const { object } = await this.o.generic.patch(scope, it.def, it.obj.metadata.name!, 'status', async (live) => {
      // the object moved on since we listed it: leave it, its change event brings another pass
      if (!live || live.metadata.uid !== uid || live.metadata.generation !== generation) return { object: live! };
      return { object: { ...live, status } };
    }, { allowCreate: false });
    this.lastWritten.set(it.key, { rv: object.metadata.resourceVersion ?? '', status: text });
  }
}
