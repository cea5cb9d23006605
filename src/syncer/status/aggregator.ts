/**
 * The status coordinator: one per TMC server (not per cluster), like kcp's deployment
 * coordinator. For every workload placed on at least one cluster it computes the aggregate of all
 * per-cluster status annotations (aggregate/) and writes it to `.status` through the /status
 * subresource. Separate from the syncers because in pull mode a syncer can only write its own
 * cluster's status (through the syncer VW), never the sum.
 */
import {
  DELETION_ANNOTATION_PREFIX, FAILOVER_ANNOTATION_PREFIX, SPEC_DIFF_ANNOTATION_PREFIX, STATE_LABEL_PREFIX, STATUS_ANNOTATION_PREFIX,
} from '../../apis/contract.js';
import { Informer } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import { clusterOf } from '../../client/object-cache.js';
import type { KubeObject } from '../../client/types.js';
import { Controller } from '../../controllers/controller.js';
import type { ReconcileResult } from '../../controllers/reconcile.js';
import { deepEqual } from '../../controllers/merge-patch.js';
import { WorkQueue } from '../../controllers/workqueue.js';
import type { Logger } from '../../observability/logger.js';
import { aggregateStatus } from '../aggregate/aggregate.js';
import { SYNCED } from '../conditions.js';
import { objectKey, parseSyncKey } from '../keys.js';
import { CONFIGMAPS, DEFAULT_RESOURCES, SECRETS, resourceId, type SyncedResource } from '../resources.js';
import { ownInformer, type InformerLease, type SharedUpstreamInformers } from '../upstream/shared-informers.js';
import type { WorkspaceProvider } from '../upstream/workspaces.js';
import { clusterStatusesOf, unreportedClusters } from './cluster-status.js';
import { FIRST_REPORT_WAIT_MS } from './report-pacing.js';

export interface StatusAggregatorOptions {
  rootClient: KubeClient;
  workspaces: WorkspaceProvider;
  resources?: readonly SyncedResource[];
  /** @default 4 */
  workers?: number;
  /**
   * An object is aggregated this long after the first change that needs it, so the status writes
   * of its M clusters (and each cluster's successive ones) that land in that window cost one
   * aggregate write instead of M. @default 100
   */
  debounceMs?: number;
  /**
   * A newly placed object is not aggregated while a cluster it is synced to has not reported,
   * for at most this long: its first aggregate then counts every cluster, one write instead of a
   * "not reported" one followed by another per report. @default FIRST_REPORT_WAIT_MS (report-pacing.ts)
   */
  firstReportHoldMs?: number;
  logger?: Logger;
  /** The process's shared upstream informers (the SyncerManager's), instead of our own. */
  shared?: SharedUpstreamInformers;
}

/** Resources without a status subresource keep their per-cluster annotations only. */
const NO_STATUS = new Set([CONFIGMAPS, SECRETS]);

export class StatusAggregator {
  private readonly informers = new Map<string, { lease: InformerLease; detach: () => void }>();
  private readonly queue = new WorkQueue({ name: 'status-aggregator', rateLimiter: { baseDelayMs: 20, maxDelayMs: 10_000 } });
  private readonly controller: Controller;
  private readonly resources: SyncedResource[];
  private unsubscribe: (() => void) | undefined;
  /** Queue key → when it was first found waiting for a cluster's first report. */
  private readonly awaitingSince = new Map<string, number>();

  constructor(private readonly opts: StatusAggregatorOptions) {
    this.resources = (opts.resources ?? DEFAULT_RESOURCES).filter((r) => !NO_STATUS.has(r));
    this.controller = new Controller({
      name: 'status-aggregator', queue: this.queue, workers: opts.workers ?? 4, logger: opts.logger,
      reconcile: (key) => this.reconcile(key),
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.opts.workspaces.onChange((ws) => { void this.sync(ws); });
    await this.sync(this.opts.workspaces.current());
    this.controller.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    for (const { lease, detach } of this.informers.values()) { detach(); lease.release(); }
    this.informers.clear();
    await this.controller.stop();
  }

  private async sync(workspaces: readonly string[]): Promise<void> {
    const wanted = new Set<string>();
    const started: Informer[] = [];
    for (const ws of workspaces) {
      for (const resource of this.resources) {
        const k = `${ws}#${resourceId(resource)}`;
        wanted.add(k);
        if (this.informers.has(k)) continue;
        const lease = this.opts.shared
          ? this.opts.shared.acquire(ws, resource)
          : ownInformer(new Informer({ source: this.opts.rootClient.forCluster(ws), gvr: resource.gvr, logger: this.opts.logger, backoff: { initialMs: 200, maxMs: 10_000 } }));
        const debounce = this.opts.debounceMs ?? 100;
        const enqueue = (obj: KubeObject): void => {
          if (!isPlaced(obj)) return;
          this.queue.addAfter(objectKey({ resource, workspace: clusterOf(obj), namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' }), debounce);
        };
        // Finalizer patches and the like change nothing the aggregate is made of.
        const detach = lease.informer.addEventHandler({ onAdd: enqueue, onUpdate: (o, n) => { if (aggregateInputsChanged(o, n)) enqueue(n); } });
        this.informers.set(k, { lease, detach });
        started.push(lease.informer);
      }
    }
    for (const [k, { lease, detach }] of this.informers) if (!wanted.has(k)) { detach(); lease.release(); this.informers.delete(k); }
    await Promise.all(started.map((i) => i.waitForSync()));
  }

  private async reconcile(key: string): Promise<ReconcileResult> {
    const parsed = parseSyncKey(key, this.resources);
    if (parsed.kind !== 'object') return;
    const { ref } = parsed;
    const obj = this.informers.get(`${ref.workspace}#${resourceId(ref.resource)}`)?.lease.informer.get(ref.workspace, ref.namespace, ref.name);
    if (!obj || obj.metadata?.deletionTimestamp) { this.awaitingSince.delete(key); return; }
    const clusters = clusterStatusesOf(obj);
    const current = ((obj as { status?: Record<string, unknown> }).status ?? {}) as Record<string, unknown>;
    // Never placed (no clusters, never aggregated by us): the status is not ours to touch.
    if (clusters.length === 0 && !hasSyncedCondition(current)) return;
    if (!hasSyncedCondition(current) && unreportedClusters(obj).length > 0) {
      const since = this.awaitingSince.get(key) ?? Date.now();
      this.awaitingSince.set(key, since);
      const left = since + (this.opts.firstReportHoldMs ?? FIRST_REPORT_WAIT_MS) - Date.now();
      if (left > 0) return { requeueAfter: left };
    }
    this.awaitingSince.delete(key);
    const next = aggregateStatus(ref.resource.kind, obj.metadata?.generation, clusters);
    if (deepEqual(current, next)) return;
    // The aggregator is the only writer of .status and a key is never reconciled twice at once, so
    // the whole status is replaced without a resourceVersion precondition: the syncers' annotation
    // writes would otherwise make most of these PUTs a 409 and a retry. A change that lands after
    // our cache read is a new event, hence another pass.
    await this.opts.rootClient.forCluster(ref.workspace).patch(ref.resource.gvr, ref.namespace, ref.name,
      [{ op: 'add', path: '/status', value: next }], { type: 'json', subresource: 'status' });
  }
}

/**
 * Per-cluster statuses, shares (spec-diff) and old-copy marks (failover, deletion), state labels,
 * generation or `.status` itself (someone else wrote it).
 */
function aggregateInputsChanged(o: KubeObject, n: KubeObject): boolean {
  const pick = (m: Record<string, string> | undefined, prefix: string): string =>
    Object.entries(m ?? {}).filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join('\n');
  type Json = Parameters<typeof deepEqual>[0];
  const status = (x: KubeObject): Json => ((x as { status?: Json }).status ?? null);
  return o.metadata?.generation !== n.metadata?.generation || o.metadata?.deletionTimestamp !== n.metadata?.deletionTimestamp
    || [STATUS_ANNOTATION_PREFIX, SPEC_DIFF_ANNOTATION_PREFIX, FAILOVER_ANNOTATION_PREFIX, DELETION_ANNOTATION_PREFIX]
      .some((prefix) => pick(o.metadata?.annotations, prefix) !== pick(n.metadata?.annotations, prefix))
    || pick(o.metadata?.labels, STATE_LABEL_PREFIX) !== pick(n.metadata?.labels, STATE_LABEL_PREFIX)
    || !deepEqual(status(o), status(n));
}

function isPlaced(obj: KubeObject): boolean {
  const has = (m: Record<string, string> | undefined, prefix: string): boolean => Object.keys(m ?? {}).some((k) => k.startsWith(prefix));
  return has(obj.metadata?.labels, STATE_LABEL_PREFIX) || has(obj.metadata?.annotations, STATUS_ANNOTATION_PREFIX)
    || hasSyncedCondition((obj as { status?: Record<string, unknown> }).status);
}

function hasSyncedCondition(status: Record<string, unknown> | undefined): boolean {
  const conditions = status?.conditions;
  return Array.isArray(conditions) && conditions.some((c) => (c as { type?: string }).type === SYNCED);
}
