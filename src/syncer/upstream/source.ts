/**
 * Where a syncer reads its upstream objects and writes back to them. Two implementations:
 * - direct-source.ts: per-workspace informers on the TMC server (labelSelector
 *   `state.tmc.kcp.io/<key>=Sync`), writes by merge patch. Push mode, and pull mode until the
 *   syncer virtual workspace serves.
 * - syncer-vw-source.ts: one wildcard informer per resource through
 *   `/services/syncer/<ws>/<registration>/<uid>/clusters/*`; status writes go to the /status
 *   subresource, which the VW stores as the per-cluster status annotation.
 */
import type { KubeObject } from '../../client/types.js';
import type { ReportedStatus } from '../aggregate/types.js';
import type { UpstreamRef } from '../keys.js';
import type { SyncedResource } from '../resources.js';

/** One RFC 6902 operation (what the syncer uses: test and add). */
export interface JsonPatchOp { op: 'test' | 'add' | 'remove' | 'replace'; path: string; value?: unknown }

export type ConflictResolution = 'Abort' | 'Overwrite';
export type ChangeHandler = (resource: SyncedResource, obj: KubeObject, old?: KubeObject) => void;

/*
 * What the syncer VW allows (src/virtual/syncer): reads of Sync-labelled objects only, adding or
 * removing this cluster's finalizer, and status writes. So in that mode the syncer releases only
 * its finalizer (placement drops labels and annotations), and dependencies must be labelled Sync
 * to be visible.
 */

export interface UpstreamSource {
  readonly mode: 'direct' | 'syncer-vw';
  /** Starts watching; resolves once the first lists are in the cache. */
  start(): Promise<void>;
  stop(): void;
  /**
   * Called for every add/update/delete of a Sync-labelled object (and when it leaves the view);
   * `old` is the previous cached version on an update (for upstream/relevance.ts).
   */
  onChange(handler: ChangeHandler): void;
  /** The cached Sync-labelled object, or undefined when it is not (or no longer) in the view. */
  get(ref: UpstreamRef): KubeObject | undefined;
  /** Every cached object of a resource (resync, releaseCluster). */
  list(resource: SyncedResource): KubeObject[];
  /** A live GET, not filtered by the state label (dependencies, objects that left the view); undefined on 404. */
  fetch(ref: UpstreamRef): Promise<KubeObject | undefined>;
  /**
   * JSON merge patch on the object (finalizers, labels, annotations), or with `type: 'json'` an
   * RFC 6902 patch (a list of operations). Returns the patched object.
   */
  patch(ref: UpstreamRef, body: Record<string, unknown> | readonly JsonPatchOp[], type?: 'merge' | 'json' | 'strategic'): Promise<KubeObject>;
  /**
   * Records this cluster's status for the object (undefined = remove it); `previous` is what it
   * replaces. May be written later (batched with other clusters' reports: direct-source.ts).
   */
  writeClusterStatus(ref: UpstreamRef, status: ReportedStatus | undefined, previous?: ReportedStatus): Promise<void>;
  /** Drops a report not written yet and waits for one being written (before a release removes it). */
  discardReport?(ref: UpstreamRef): Promise<void>;
  /** The owning placement's spec.conflictResolution (annotation `tmc.kcp.io/placement`); Abort by default. */
  conflictResolution(ref: UpstreamRef, upstreamObj: KubeObject): Promise<ConflictResolution>;
}
