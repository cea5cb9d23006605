/**
 * The watch cache: a bounded, revision-ordered history of events (a ring buffer) and the watchers
 * that stream from it. Every backend feeds its committed writes here in revision order (sqlite and
 * memory right after the commit, etcd from its own watch stream), so watch semantics — resume from
 * a revision without gaps, 410 for revisions older than the history, filter transitions — are
 * implemented once.
 *
 * Delivery is synchronous and in revision order per watcher. One event object is shared by every
 * watcher that receives it (no per-watcher copies or serialisation), so handlers must treat events
 * as read-only.
 */
import { expired } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import { keyMatchesPrefix } from './keys.js';
import { parseRevision } from './revision.js';
import type { KeyPrefix, ObjectFilter, WatchEvent, WatchHandlers, WatchOptions, Watcher } from './types.js';

export const DEFAULT_HISTORY_SIZE = 10_000;

export interface WatchCacheOptions {
  /** Events retained for resuming watches. */
  capacity?: number;
  /** The store's revision when the cache starts: no history exists at or before it. */
  startRevision: number;
  logger?: Logger;
}

/** A retained event, plus the variants filtered watchers see, built once and shared. */
class Entry {
  private added?: WatchEvent;
  private leftFilter?: WatchEvent;

  constructor(readonly ev: WatchEvent, readonly rv: number) {}

  /** MODIFIED into a filter's match reads as ADDED to that watcher. */
  asAdded(): WatchEvent {
    this.added ??= { type: 'ADDED', key: this.ev.key, object: this.ev.object, resourceVersion: this.ev.resourceVersion };
    return this.added;
  }

  /**
   * MODIFIED out of a filter's match reads as DELETED, carrying the last state the watcher could
   * see (the previous object) stamped with this event's revision, as kube's cacher does.
   */
  asLeftFilter(): WatchEvent {
    if (!this.leftFilter) {
      const prev = this.ev.prevObject ?? this.ev.object;
      const object = { ...prev, metadata: { ...prev.metadata, resourceVersion: this.ev.resourceVersion } };
      this.leftFilter = { type: 'DELETED', key: this.ev.key, object, prevObject: prev, resourceVersion: this.ev.resourceVersion };
    }
    return this.leftFilter;
  }
}

class CacheWatcher implements Watcher {
  /** The last revision this watcher has been offered; it only ever sees revisions above it. */
  cursor: number;
  /** False while a resumed watch is still replaying history. */
  live = false;
  stopped = false;

  constructor(
    private readonly cache: WatchCache,
    readonly prefix: KeyPrefix,
    readonly filter: ObjectFilter | undefined,
    readonly handlers: WatchHandlers,
    from: number,
  ) {
    this.cursor = from;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cache.detach(this);
  }

  /** Ends the watch from the cache's side and tells the consumer why. */
  end(reason: Error | undefined): void {
    if (this.stopped) return;
    this.stop();
    this.handlers.onClose?.(reason);
  }

  offer(entry: Entry, log: Logger | undefined): void {
    if (this.stopped || entry.rv <= this.cursor) return;
    this.cursor = entry.rv;
    if (!keyMatchesPrefix(entry.ev.key, this.prefix)) return;
    let out: WatchEvent | undefined;
    try {
      out = this.filter ? filtered(entry, this.filter) : entry.ev;
      if (out) this.handlers.onEvent(out);
    } catch (err) {
      // One broken consumer or filter must not take the others down: end only this watch.
      log?.warn({ err, resource: this.prefix.resource }, 'watch handler failed; closing watcher');
      this.end(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/** What a filtered watcher sees of an event, or undefined when it is outside the filter throughout. */
function filtered(entry: Entry, filter: ObjectFilter): WatchEvent | undefined {
  const ev = entry.ev;
  if (ev.type !== 'MODIFIED') return filter(ev.object) ? ev : undefined;
  const now = filter(ev.object);
  const before = ev.prevObject ? filter(ev.prevObject) : now;
  if (now && before) return ev;
  if (now) return entry.asAdded();
  if (before) return entry.asLeftFilter();
  return undefined;
}

export class WatchCache {
  private readonly capacity: number;
  private readonly ring: Array<Entry | undefined>;
  private head = 0;
  private size = 0;
  /** Every event with a revision above this is still in the ring. */
  private floor: number;
  private latest: number;
  /** Watchers by resource, so a write only visits watchers of its own resource. */
  private readonly watchers = new Map<string, Set<CacheWatcher>>();
  /** Events appended while a fan-out is running (a handler that writes) wait their turn here. */
  private readonly pending: Entry[] = [];
  private dispatching = false;
  private closed = false;
  private readonly log?: Logger;

  constructor(opts: WatchCacheOptions) {
    this.capacity = Math.max(1, Math.floor(opts.capacity ?? DEFAULT_HISTORY_SIZE));
    this.ring = new Array<Entry | undefined>(this.capacity);
    this.floor = opts.startRevision;
    this.latest = opts.startRevision;
    this.log = opts.logger;
  }

  /** The highest revision seen. */
  get latestRevision(): number { return this.latest; }

  /** The oldest revision a watch may start after (older ones get 410). */
  get oldestResumableRevision(): number { return this.floor; }

  get watcherCount(): number {
    let n = 0;
    for (const s of this.watchers.values()) n += s.size;
    return n;
  }

  /** Records a committed event and fans it out. Revisions must arrive strictly increasing. */
  append(ev: WatchEvent): void {
    if (this.closed) return;
    const rv = Number(ev.resourceVersion);
    if (!(rv > this.latest)) {
      throw new Error(`watch cache: revision ${ev.resourceVersion} is not above ${this.latest}`);
    }
    const entry = new Entry(ev, rv);
    if (this.size === this.capacity) {
      this.floor = this.ring[this.head]!.rv;
      this.ring[this.head] = entry;
      this.head = (this.head + 1) % this.capacity;
    } else {
      this.ring[(this.head + this.size) % this.capacity] = entry;
      this.size++;
    }
    this.latest = rv;
    this.pending.push(entry);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let i = 0; i < this.pending.length; i++) this.fanOut(this.pending[i]);
    } finally {
      this.pending.length = 0;
      this.dispatching = false;
    }
  }

  private fanOut(entry: Entry): void {
    const set = this.watchers.get(entry.ev.key.resource);
    if (!set) return;
    for (const w of set) if (w.live) w.offer(entry, this.log);
  }

  /**
   * Starts a watch. Without a resourceVersion it streams from now. With one it replays retained
   * events after it (on a microtask, so the caller holds the Watcher before the first event), then
   * streams live ones; a revision older than the history throws 410 Expired right here. A revision
   * ahead of the cache waits for the events that pass it.
   */
  watch(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher {
    const from = parseRevision(opts.resourceVersion);
    if (from !== undefined && from !== 0 && from < this.floor) {
      throw expired(`too old resource version: ${from} (${this.floor})`);
    }
    // '0' means "any": for a store that is "now"; the initial state comes from a list.
    const resume = from !== undefined && from !== 0 && from < this.latest;
    const w = new CacheWatcher(this, prefix, opts.filter, handlers, resume ? from : Math.max(from ?? 0, this.latest));
    if (this.closed) {
      queueMicrotask(() => handlers.onClose?.(undefined));
      return w;
    }
    let set = this.watchers.get(prefix.resource);
    if (!set) this.watchers.set(prefix.resource, (set = new Set()));
    set.add(w);
    if (resume) queueMicrotask(() => this.replay(w));
    else w.live = true;
    return w;
  }

  private replay(w: CacheWatcher): void {
    // A handler may write while we replay, growing (even wrapping) the ring: re-find the position
    // from the watcher's cursor at every step rather than trusting an index.
    while (!w.stopped) {
      if (w.cursor < this.floor) {
        w.end(expired(`too old resource version: ${w.cursor} (${this.floor})`));
        return;
      }
      const i = this.firstIndexAfter(w.cursor);
      if (i >= this.size) break;
      w.offer(this.ring[(this.head + i) % this.capacity]!, this.log);
    }
    w.live = true;
  }

  /** Logical index of the first retained entry with rv > after (binary search; the ring is sorted). */
  private firstIndexAfter(after: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ring[(this.head + mid) % this.capacity]!.rv <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** @internal called by CacheWatcher.stop */
  detach(w: CacheWatcher): void {
    const set = this.watchers.get(w.prefix.resource);
    if (!set) return;
    set.delete(w);
    if (set.size === 0) this.watchers.delete(w.prefix.resource);
  }

  /** Ends every watch (store shutdown); later watches close at once. */
  close(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.watchers.values()].flatMap((s) => [...s]);
    for (const w of all) w.end(reason);
  }
}
