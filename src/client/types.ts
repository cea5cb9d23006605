/**
 * Wire shapes the client returns: lists, watch events, and option bags for each verb.
 * KubeObject is the plain-JSON object type shared by every layer (src/apis/object.ts).
 */
import type { KubeObject } from '../apis/object.js';

export type { KubeObject };

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /** The object; for ERROR a metav1.Status; for BOOKMARK only metadata.resourceVersion matters. */
  object: KubeObject;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface WatchOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: 'All';
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface PatchOptions extends WriteOptions {
  type: PatchType;
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: 'All';
}

export interface WatchHandle {
  /** End the watch. onDone is not called for a stop the caller asked for. */
  stop(): void;
}

/** Called once when a watch ends by itself: null = the server closed the stream normally. */
export type WatchDone = (err: Error | null) => void;
