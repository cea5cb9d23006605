/**
 * What every step of a sync needs, built once per Syncer.
 */
import type { Clock } from '../client/clock.js';
import type { KubeClient } from '../client/kube-client.js';
import type { EventSink } from '../controllers/event-recorder.js';
import type { Logger } from '../observability/logger.js';
import type { DownstreamCache } from './downstream/downstream-cache.js';
import type { SyncedResource } from './resources.js';
import type { UpstreamSource } from './upstream/source.js';

export interface SyncContext {
  clusterKey: string;
  resources: readonly SyncedResource[];
  source: UpstreamSource;
  downstreamClient: KubeClient;
  cache: DownstreamCache;
  logger?: Logger;
  /** RFC 3339 "now" for condition times. */
  now(): string;
  /**
   * What the syncer's own last apply produced per downstream object (resourceVersion + desired
   * hash): a cluster that normalises a field differently must not cause an apply loop.
   */
  lastApplied: Map<string, { resourceVersion: string; hash: string }>;
  /**
   * When this process created a downstream copy (ms, per `<ns>/<name>` of the copy): its first
   * status report waits briefly for the copy to settle (status/report-pacing.ts). Optional so
   * hand-built contexts in tests need not carry it.
   */
  createdCopies?: Map<string, number>;
  /**
   * When this syncer last wrote each object's status report (ms, by queue key), for the pacing of
   * status/report-pacing.ts. Optional like createdCopies.
   */
  reportedAt?: Map<string, number>;
  /**
   * Downstream namespaces being created by one of this syncer's workers: the others wanting the
   * same namespace wait for that creation instead of racing it (a 409 and a GET each). Optional
   * like createdCopies.
   */
  namespacesCreating?: Map<string, Promise<unknown>>;
  /** The time createdCopies and reportedAt are kept in (tests drive a fake one). @default realClock */
  clock?: Clock;
  /** The ClusterRegistration's name, for metric labels. @default clusterKey */
  clusterName?: string;
  /** Events about upstream objects (sync failures, conflicts). @default none */
  events?: EventSink;
}
