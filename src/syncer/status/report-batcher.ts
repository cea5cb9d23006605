/**
 * Per-cluster status reports of one upstream object, written together. Every upstream write is
 * fanned out by the API server to every watcher of the object (each cluster's syncer, the
 * aggregator, the placement controller) and then aggregated, so M clusters reporting one by one
 * cost M writes, M × watchers events and up to M aggregate writes. The syncers of one process
 * (the in-process SyncerManager) hand their reports here instead; one merge patch carries every
 * report pending for the object:
 *
 * - while a cluster the object is synced to has not reported yet, the reports of the others wait
 *   for it (at most `holdMs`, 5 s, from the first one): a new workload's M first reports become one
 *   write, which lands the moment the last cluster reports — no later than one by one would;
 * - later reports wait `windowMs`, so changes of several clusters at once (a rollout) share a write;
 * - an urgent report (a failure or a recovery of `Synced`) goes out at once, with whatever is pending.
 *
 * Submitting never waits for the write: a syncer worker is not held for the batch. A failed write
 * is retried here with backoff, the newest report per cluster winning; an object that is gone
 * (404) drops its reports. One write per object is in flight at a time.
 */
import { statusAnnotation } from '../../apis/contract.js';
import { Backoff } from '../../client/backoff.js';
import { realClock, type Clock, type TimerHandle } from '../../client/clock.js';
import type { KubeObject } from '../../client/types.js';
import { isNotFound } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { ReportedStatus } from '../aggregate/types.js';
import { SYNCED } from '../conditions.js';
import { objectKey, type UpstreamRef } from '../keys.js';
import { unreportedClusters } from './cluster-status.js';
import { stringifyJSON } from '../../machinery/json-text.js';
import { FIRST_REPORT_WAIT_MS } from './report-pacing.js';

/** Writes annotations (null removes) on the upstream object with one merge patch; returns the object written. */
export type AnnotationWriter = (ref: UpstreamRef, annotations: Record<string, string | null>) => Promise<KubeObject | undefined>;

export interface ReportBatcherOptions {
  write: AnnotationWriter;
  /**
   * Longest a report waits for the clusters that have not reported yet: as long as a new copy's
   * own first report may wait for its rollout (report-pacing.ts). @default FIRST_REPORT_WAIT_MS
   */
  holdMs?: number;
  /** How long a report waits for others once every cluster has reported. @default 100 */
  windowMs?: number;
  /** Retry backoff of a failed write: base, doubling up to max. @default 200, 10000 */
  retryBaseMs?: number;
  retryMaxMs?: number;
  logger?: Logger;
  /** Time for the hold, the window and the retries (tests drive a fake one). @default realClock */
  clock?: Clock;
}

interface Batch {
  ref: UpstreamRef;
  /** cluster key → JSON report, or null to remove it */
  reports: Map<string, string | null>;
  /** The newest upstream object a syncer reported against: which clusters are still awaited. */
  upstream: KubeObject;
  firstAt: number;
  urgent: boolean;
  timer?: TimerHandle;
  dueAt?: number;
  writing: boolean;
  /** The write in flight, for discard() to wait on. */
  inFlight?: Promise<void>;
  /** Clusters discarded while a write was in flight: a failed write must not put theirs back. */
  discarded: Set<string>;
  /** Set while writes of this object fail: the shared capped backoff giving the next retry's delay. */
  retryBackoff?: Backoff;
}

export class ReportBatcher {
  private readonly batches = new Map<string, Batch>();
  private readonly holdMs: number;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private stopped = false;
  /** Writes issued and reports carried (for the bench and tests). */
  readonly stats = { writes: 0, reports: 0 };

  constructor(private readonly opts: ReportBatcherOptions) {
    this.holdMs = opts.holdMs ?? FIRST_REPORT_WAIT_MS;
    this.windowMs = opts.windowMs ?? 100;
    this.clock = opts.clock ?? realClock;
  }

  /**
   * Queues `clusterKey`'s report (undefined: remove it) for the object `upstreamObj` is the latest
   * known state of.
   */
  submit(ref: UpstreamRef, clusterKey: string, report: unknown, upstreamObj: KubeObject, urgent = false): void {
    if (this.stopped) return;
    const key = objectKey(ref);
    let b = this.batches.get(key);
    if (!b) {
      b = { ref, reports: new Map(), upstream: upstreamObj, firstAt: this.clock.now(), urgent: false, writing: false, discarded: new Set() };
      this.batches.set(key, b);
    }
    if (b.reports.size === 0) b.firstAt = this.clock.now();
    b.reports.set(clusterKey, report === undefined ? null : stringifyJSON(report));
    if (newer(upstreamObj, b.upstream)) b.upstream = upstreamObj;
    b.urgent ||= urgent;
    this.schedule(key, b);
  }

  /** Reports waiting or being written (tests; a stop drops them). */
  pending(): number {
    let n = 0;
    for (const b of this.batches.values()) n += b.reports.size;
    return n;
  }

  /**
   * Drops `clusterKey`'s pending report of the object and waits for a write in flight, so that a
   * release that removes the cluster's report (lifecycle/deletion.ts) lands after anything this
   * batcher writes for it: a held report must not come back once the copy is gone.
   */
  async discard(ref: UpstreamRef, clusterKey: string): Promise<void> {
    const key = objectKey(ref);
    const b = this.batches.get(key);
    if (!b) return;
    b.reports.delete(clusterKey);
    if (b.writing) {
      b.discarded.add(clusterKey);
      await b.inFlight;
    } else if (b.reports.size === 0) {
      if (b.timer !== undefined) this.clock.clearTimeout(b.timer);
      if (this.batches.get(key) === b) this.batches.delete(key);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const b of this.batches.values()) if (b.timer !== undefined) this.clock.clearTimeout(b.timer);
    this.batches.clear();
  }

  private schedule(key: string, b: Batch): void {
    if (b.writing || b.reports.size === 0) return;
    const now = this.clock.now();
    let dueAt: number;
    if (b.retryBackoff) dueAt = b.dueAt ?? now;
    else if (b.urgent || this.allReported(b)) dueAt = now;
    else dueAt = b.firstAt + (this.awaited(b).length > 0 ? this.holdMs : this.windowMs);
    if (b.timer && b.dueAt !== undefined && b.dueAt <= dueAt) return;
    if (b.timer !== undefined) this.clock.clearTimeout(b.timer);
    b.dueAt = dueAt;
    // A timer even at 0: reports submitted in the same turn (M syncers woken by one event) share the write.
    b.timer = this.clock.setTimeout(() => { void this.flush(key, b); }, Math.max(0, dueAt - now));
  }

  /** Clusters the object is synced to that have no report upstream yet. */
  private awaited(b: Batch): string[] {
    return unreportedClusters(b.upstream);
  }

  /** Every awaited cluster has a report here (then nobody is worth waiting for). */
  private allReported(b: Batch): boolean {
    const awaited = this.awaited(b);
    return awaited.length > 0 && awaited.every((k) => b.reports.has(k));
  }

  private async flush(key: string, b: Batch): Promise<void> {
    b.timer = undefined;
    b.dueAt = undefined;
    if (this.stopped || b.writing || b.reports.size === 0) return;
    let done!: () => void;
    b.inFlight = new Promise((r) => { done = r; });
    try {
      await this.write(key, b);
    } finally {
      b.inFlight = undefined;
      b.discarded.clear();
      done();
    }
  }

  private async write(key: string, b: Batch): Promise<void> {
    const reports = new Map(b.reports);
    b.reports.clear();
    b.urgent = false;
    b.writing = true;
    const annotations: Record<string, string | null> = {};
    for (const [cluster, value] of reports) annotations[statusAnnotation(cluster)] = value;
    let retry = false;
    try {
      this.stats.writes++;
      this.stats.reports += reports.size;
      const written = await this.opts.write(b.ref, annotations);
      // What was just written no longer counts as awaited for the reports that came meanwhile.
      if (written?.metadata && newer(written, b.upstream)) b.upstream = written;
      b.retryBackoff = undefined;
    } catch (err) {
      if (!isNotFound(err) && !this.stopped) {
        retry = true;
        b.retryBackoff ??= new Backoff(this.opts.retryBaseMs ?? 200, this.opts.retryMaxMs ?? 10_000);
        // Put back what no newer report has replaced meanwhile.
        for (const [cluster, value] of reports) if (!b.reports.has(cluster) && !b.discarded.has(cluster)) b.reports.set(cluster, value);
        const delay = b.retryBackoff.next();
        b.dueAt = this.clock.now() + delay;
        this.opts.logger?.warn({ object: key, clusters: [...reports.keys()], err, retryInMs: delay }, 'writing status reports upstream failed; retrying');
      }
    } finally {
      b.writing = false;
    }
    if (this.stopped) return;
    if (b.reports.size === 0) {
      if (this.batches.get(key) === b) this.batches.delete(key);
      return;
    }
    if (!retry) b.firstAt = this.clock.now();
    this.schedule(key, b);
  }
}

/** A failure of `Synced`, or the recovery from one: never held back. */
export function isUrgentReport(previous: ReportedStatus | undefined, next: ReportedStatus | undefined): boolean {
  const synced = (s: ReportedStatus | undefined) => s?.conditions?.find((c) => c.type === SYNCED)?.status;
  if (next === undefined) return false;
  return synced(next) !== 'True' || (previous !== undefined && synced(previous) !== 'True');
}

function newer(a: KubeObject, b: KubeObject): boolean {
  const ra = Number(a.metadata?.resourceVersion);
  const rb = Number(b.metadata?.resourceVersion);
  return !Number.isFinite(rb) || (Number.isFinite(ra) && ra > rb);
}
