/**
 * Kubernetes Events from controllers, written through src/client as `events.k8s.io/v1` Events
 * (the server stores them as core/v1 too, so `kubectl describe` and `kubectl get events` show
 * them). Behaves like client-go's recorders:
 *
 * - aggregation: the same event (object, type, reason, action, note, controller) again within
 *   SERIES_WINDOW_MS becomes a series on the first Event (`series.count`, `lastObservedTime`),
 *   not a new object; updates to one series are coalesced (at most one write in flight);
 * - rate limit: a token bucket per object (burst 25, one token per 5 minutes, as the core/v1
 *   recorder's spam filter), so a flapping object cannot flood the store; what is dropped is
 *   counted in `tmc_events_total{result="dropped"}`;
 * - never blocks or fails the caller: writes run in the background; a failed write is logged at
 *   debug and counted.
 *
 * The Event goes to the object's namespace (cluster-scoped objects: `default`, as kube does) in the
 * object's workspace (its `kcp.io/cluster` annotation; '' = the client's own).
 */
import { microTime } from '../apis/time.js';
import { clusterOf } from '../apis/contract.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject } from '../client/types.js';
import type { Logger } from '../observability/logger.js';
import { eventsRecordedTotal } from '../observability/tmc-metrics.js';

export const EVENTS_V1 = { group: 'events.k8s.io', version: 'v1', resource: 'events' } as const;

export type EventType = 'Normal' | 'Warning';

/** What a reconciler emits through; `NO_EVENTS` drops everything (tests, tools). */
export interface EventSink {
  /** `regarding` needs apiVersion, kind and metadata (name, namespace, uid); `note` is for a person. */
  event(regarding: KubeObject, type: EventType, reason: string, action: string, note: string, related?: KubeObject): void;
}

export const NO_EVENTS: EventSink = { event: () => undefined };

export interface EventRecorderOptions {
  /** A client for the workspace ('' = the client's own logical cluster, e.g. cluster mode). */
  clientFor(workspace: string): KubeClient;
  /** reportingController, e.g. `tmc.kcp.io/workloadplacement-controller`. */
  controller: string;
  /** reportingInstance. @default the host name and pid */
  instance?: string;
  logger?: Logger;
  now?: () => number;
  /** @default 25 */
  burst?: number;
  /** One token back per this many ms. @default 300000 */
  refillMs?: number;
}

/** client-go's window for folding isomorphic events into a series. */
export const SERIES_WINDOW_MS = 6 * 60_000;
const MAX_NOTE = 1024;
const MAX_TRACKED = 4096;

interface Series {
  workspace: string;
  namespace: string;
  name: string;
  count: number;
  lastObserved: number;
  /** The write in flight (create or series patch); later occurrences chain onto it. */
  writing: Promise<void>;
  dirty: boolean;
}

interface Bucket { tokens: number; at: number }

export class EventRecorder implements EventSink {
  private readonly series = new Map<string, Series>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly instance: string;
  private counter = 0;
  private stopped = false;

  constructor(private readonly opts: EventRecorderOptions) {
    this.now = opts.now ?? Date.now;
    this.instance = opts.instance ?? `${process.env.HOSTNAME || 'tmc'}-${process.pid}`;
  }

  event(regarding: KubeObject, type: EventType, reason: string, action: string, note: string, related?: KubeObject): void {
    if (this.stopped) return;
    const meta = regarding.metadata ?? {};
    const workspace = clusterOf(regarding);
    const objectKey = `${workspace}|${regarding.kind}|${meta.namespace ?? ''}|${meta.name}|${meta.uid ?? ''}`;
    const seriesKey = `${objectKey}|${type}|${reason}|${action}|${note}`;
    const now = this.now();
    const existing = this.series.get(seriesKey);
    if (existing && now - existing.lastObserved < SERIES_WINDOW_MS) {
      existing.count++;
      existing.lastObserved = now;
      this.track(this.patchSeries(existing));
      eventsRecordedTotal.inc({ type, result: 'aggregated' });
      return;
    }
    if (!this.take(objectKey, now)) {
      eventsRecordedTotal.inc({ type, result: 'dropped' });
      this.opts.logger?.debug({ reason, object: objectKey }, 'event dropped by the rate limit');
      return;
    }
    const namespace = meta.namespace || 'default';
    const name = `${meta.name}.${(BigInt(now) * 1_000_000n + BigInt(this.counter++ % 1_000_000)).toString(16)}`;
    const body: KubeObject = {
      apiVersion: 'events.k8s.io/v1', kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTime(now), type, reason, action,
      note: note.length > MAX_NOTE ? `${note.slice(0, MAX_NOTE - 3)}...` : note,
      reportingController: this.opts.controller, reportingInstance: this.instance,
      regarding: reference(regarding),
      ...(related ? { related: reference(related) } : {}),
    };
    const s: Series = { workspace, namespace, name, count: 1, lastObserved: now, writing: Promise.resolve(), dirty: false };
    this.remember(seriesKey, s);
    s.writing = this.track(this.opts.clientFor(workspace).create(EVENTS_V1, namespace, body).then(
      () => { eventsRecordedTotal.inc({ type, result: 'created' }); },
      (err) => this.failed(type, reason, err)));
  }

  /** Waits for every write started so far (tests; shutdown). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Stops accepting events and waits for the writes in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.flush();
  }

  private patchSeries(s: Series): Promise<void> {
    if (s.dirty) return s.writing; // the queued write will carry this occurrence too
    s.dirty = true;
    s.writing = s.writing.then(async () => {
      s.dirty = false;
      const patch = { series: { count: s.count, lastObservedTime: microTime(s.lastObserved) } };
      await this.opts.clientFor(s.workspace).patch(EVENTS_V1, s.namespace, s.name, patch, { type: 'merge' })
        .catch((err) => this.failed('Normal', 'series', err));
    });
    return s.writing;
  }

  private take(objectKey: string, now: number): boolean {
    const burst = this.opts.burst ?? 25;
    const refillMs = this.opts.refillMs ?? 300_000;
    const b = this.buckets.get(objectKey) ?? { tokens: burst, at: now };
    const refilled = Math.floor((now - b.at) / refillMs);
    if (refilled > 0) { b.tokens = Math.min(burst, b.tokens + refilled); b.at += refilled * refillMs; }
    if (b.tokens >= burst) b.at = now;
    this.buckets.set(objectKey, b);
    if (b.tokens <= 0) return false;
    b.tokens--;
    if (this.buckets.size > MAX_TRACKED) this.buckets.delete(this.buckets.keys().next().value as string);
    return true;
  }

  private remember(key: string, s: Series): void {
    this.series.delete(key);
    this.series.set(key, s);
    if (this.series.size > MAX_TRACKED) this.series.delete(this.series.keys().next().value as string);
  }

  private track(p: Promise<void>): Promise<void> {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return p;
  }

  private failed(type: string, reason: string, err: unknown): void {
    eventsRecordedTotal.inc({ type, result: 'error' });
    this.opts.logger?.debug({ reason, error: err instanceof Error ? err.message : String(err) }, 'could not write an event');
  }
}


function reference(o: KubeObject): Record<string, string> {
  const ref: Record<string, string> = { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', name: o.metadata?.name ?? '' };
  if (o.metadata?.namespace) ref.namespace = o.metadata.namespace;
  if (o.metadata?.uid) ref.uid = o.metadata.uid;
  if (o.metadata?.resourceVersion) ref.resourceVersion = o.metadata.resourceVersion;
  return ref;
}
