/**
 * The storage contract. Callers (registry, tenancy, apiserver) see only this interface, so the
 * sqlite, memory and etcd backends are interchangeable.
 *
 * Objects are plain JSON (`KubeObject`); the store owns `metadata.resourceVersion`: it assigns one
 * cluster-wide, monotonically increasing revision on every write (sqlite/memory: a counter; etcd:
 * the mod revision) and writes it into the stored object. Everything else in the object is the
 * caller's business.
 *
 * May import: errors/ (leaves).
 */

import type { KubeObject, ObjectMeta } from '../apis/object.js';

export type { KubeObject, ObjectMeta };

/**
 * Where an object lives. `resource` is the group-qualified resource, `configmaps` or
 * `apps/deployments` (group first, so etcd keys read `/registry/apps/deployments/...`).
 * `namespace` is '' for cluster-scoped objects.
 */
export interface ObjectKey {
  cluster: string;
  resource: string;
  namespace: string;
  name: string;
}

/**
 * A set of keys for list and watch: one resource, in one logical cluster or all of them (`'*'`,
 * used by virtual workspaces), in one namespace or all ('' or undefined).
 */
export interface KeyPrefix {
  cluster: string | '*';
  resource: string;
  namespace?: string;
  /** Restrict to one name (fieldSelector metadata.name=x is pushed down here). */
  name?: string;
}

/** A predicate applied to objects by list/watch (label and field selectors compile into one). */
export type ObjectFilter = (obj: KubeObject) => boolean;

export interface ListOptions {
  filter?: ObjectFilter;
  /** Page size; 0 or undefined = everything. */
  limit?: number;
  /** Opaque token from a previous page. */
  continue?: string;
  /**
   * Consistency: undefined/'' = most recent; '0' = any (same as most recent here);
   * a number with match 'Exact' must be the revision served, or 410.
   */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface ListResult {
  items: KubeObject[];
  /** The revision the list is consistent at. */
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * A list whose items are the stored JSON texts (each exactly what `get` would return, serialized),
 * so a wire layer can answer a LIST without parsing and re-serializing every object.
 */
export interface RawListResult extends Omit<ListResult, 'items'> {
  items: string[];
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  key: ObjectKey;
  /** For DELETED: the last state, with the deletion's resourceVersion. */
  object: KubeObject;
  /** The previous state for MODIFIED/DELETED (lets filtered watchers emit DELETED when an object leaves the filter). */
  prevObject?: KubeObject;
  resourceVersion: string;
}

export interface WatchOptions {
  filter?: ObjectFilter;
  /**
   * Start after this revision (events with rv > it). undefined = from now.
   * A revision older than the retained history fails with 410 Expired.
   */
  resourceVersion?: string;
}

export interface Watcher {
  /** Stop delivering; idempotent. */
  stop(): void;
}

export interface WatchHandlers {
  /**
   * Called synchronously, in revision order. The event object is shared by every watcher that
   * receives it: read it (serialise it), never mutate it. Must not block; a throw ends this watch.
   */
  onEvent(ev: WatchEvent): void;
  /** The store is closing or the watcher fell too far behind; the watch is over. */
  onClose?(reason: Error | undefined): void;
}

/**
 * `update` and `delete` take a transform so read-modify-write is one atomic step in every
 * backend (sqlite: inside a transaction; etcd: compare-and-swap on the mod revision, retried).
 */
export type UpdateFn = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export interface Store {
  readonly backend: 'sqlite' | 'memory' | 'etcd';

  get(key: ObjectKey): Promise<KubeObject | undefined>;

  list(prefix: KeyPrefix, opts?: ListOptions): Promise<ListResult>;

  /**
   * Optional fast reads for backends that keep each object as JSON text with its resourceVersion
   * inside (sqlite, memory): the text as stored, the same JSON `get`/`list` would give. Backends
   * that must build the object on read (etcd adds the mod revision) leave them out and callers
   * fall back to `get`/`list`.
   */
  getRaw?(key: ObjectKey): Promise<string | undefined>;
  listRaw?(prefix: KeyPrefix, opts?: ListOptions): Promise<RawListResult>;

  /** Stores a new object; AlreadyExists (409) if the key is taken. Returns it with its resourceVersion. */
  create(key: ObjectKey, obj: KubeObject): Promise<KubeObject>;

  /**
   * Replaces an existing object. `preconditions.resourceVersion` (when given) must equal the stored
   * one, else Conflict (409); the object's own metadata.resourceVersion is ignored (the store
   * overwrites it). NotFound (404) if absent. The UpdateFn form reads and writes atomically.
   * Returns the stored object; when the new object equals the old one the write is skipped and the
   * old object is returned unchanged (no new revision, no event), as kube does.
   */
  update(key: ObjectKey, next: KubeObject | UpdateFn, preconditions?: Preconditions): Promise<KubeObject>;

  /** Removes an object; returns its last state (with the deletion revision). NotFound if absent. */
  delete(key: ObjectKey, preconditions?: Preconditions): Promise<KubeObject>;

  /**
   * The resources with at least one object stored in a logical cluster, whether or not anything
   * serves them any more (a deleted workspace's leftovers: objects of a CRD or an APIBinding gone
   * earlier). Optional: wrappers pass it through when their inner store has it.
   */
  resourcesIn?(cluster: string): Promise<string[]>;

  /** Streams changes under a prefix. Throws 410 Expired (synchronously, before any event) for too-old revisions. */
  watch(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher;

  /** The latest revision written. */
  currentResourceVersion(): Promise<string>;

  close(): Promise<void>;
}
