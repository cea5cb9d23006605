/**
 * Open watches on one APIExport view, told when a workspace enters or leaves it for a resource: a
 * binding appears or goes, a claim is accepted or rejected. No stored object changes then, so the
 * store's filtered watch (which turns "entered/left the filter" into ADDED/DELETED only when an
 * object is written) would not notice; kcp makes such objects visible by labelling them when a
 * claim is accepted, which is a write. Here the view itself tells its watchers instead:
 *
 * - every open watch whose resource changed gets ADDED for each object of a workspace that entered
 *   (and matches the watch's selectors), DELETED for each of one that left;
 * - those events carry the revision the watcher had already reached (they are not new writes), so
 *   a client resuming from it would not see them again: a watch that resumes from a revision older
 *   than its resource's last visibility change gets 410 Expired, and the client relists (which
 *   shows the current view).
 *
 * Nothing is written to consumers' objects (kcp's labels bump every claimed object's
 * resourceVersion and wake every other watcher of it).
 */
import { expired } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { GenericStore, ListQuery, RequestScope } from '../../registry/generic-store.js';
import { storageResource, type ResourceDef } from '../../registry/types.js';
import type { KubeObject, Store, WatchEvent, WatchHandlers, Watcher } from '../../storage/types.js';
import { grKey, type ExportView } from './export-view.js';

interface OpenWatch {
  scope: RequestScope;
  def: ResourceDef;
  q: ListQuery;
  handlers: WatchHandlers;
  /** The last revision this watcher was sent. */
  rv: string;
  closed: boolean;
}

interface Change { entered: string[]; left: string[] }

export class ViewWatches {
  private readonly open = new Set<OpenWatch>();
  private seen: Map<string, Set<string>>;
  /** group/resource → the store revision when its visibility last changed. */
  private readonly changedAt = new Map<string, number>();
  private scheduled = false;
  /** Changes are applied one pass at a time, in order. */
  private applying: Promise<void> = Promise.resolve();

  constructor(
    private readonly view: ExportView,
    /** The unfiltered generic store: lists a workspace's objects whatever the view shows. */
    private readonly generic: GenericStore,
    private readonly store: Store,
    private readonly log: Logger,
  ) {
    this.seen = copy(view.visibility());
  }

  /** Something the view derives from changed: compare on the next turn (one pass for a burst). */
  changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.applying = this.applying.then(() => this.apply()).catch((err) => {
        this.log.warn({ err, export: `${this.view.exportCluster}:${this.view.exportName}` }, 'telling view watchers about a binding change failed');
      });
    });
  }

  /** Waits for pending passes (tests). */
  async settle(): Promise<void> {
    while (this.scheduled) await new Promise((r) => setImmediate(r));
    await this.applying;
  }

  /**
   * Starts a watch through `start` (the view's filtered watch) and keeps it informed. Throws 410
   * for a resume from before the resource's last visibility change.
   */
  watch(scope: RequestScope, def: ResourceDef, q: ListQuery, resourceVersion: string | undefined,
    handlers: WatchHandlers, start: (h: WatchHandlers) => Watcher): Watcher {
    const since = this.changedAt.get(grKey(def.group, def.resource));
    if (since !== undefined && resourceVersion && resourceVersion !== '0' && Number(resourceVersion) < since) {
      throw expired(`too old resource version: ${resourceVersion} (${since}): the workspaces in APIExport `
        + `${this.view.exportCluster}:${this.view.exportName}'s view of ${def.resource} changed since; list again`);
    }
    const w: OpenWatch = { scope, def, q, handlers, rv: resourceVersion ?? '0', closed: false };
    const close = () => { w.closed = true; this.open.delete(w); };
    const inner = start({
      onEvent: (ev) => { w.rv = ev.resourceVersion; handlers.onEvent(ev); },
      onClose: (err) => { close(); handlers.onClose?.(err); },
    });
    this.open.add(w);
    return { stop: () => { close(); inner.stop(); } };
  }

  private async apply(): Promise<void> {
    const next = copy(this.view.visibility());
    const changes = new Map<string, Change>();
    for (const gr of new Set([...this.seen.keys(), ...next.keys()])) {
      const before = this.seen.get(gr) ?? new Set<string>();
      const after = next.get(gr) ?? new Set<string>();
      const entered = [...after].filter((c) => !before.has(c));
      const left = [...before].filter((c) => !after.has(c));
      if (entered.length || left.length) changes.set(gr, { entered, left });
    }
    this.seen = next;
    if (changes.size === 0) return;
    const rv = Number(await this.store.currentResourceVersion());
    for (const gr of changes.keys()) this.changedAt.set(gr, rv);
    await Promise.all([...this.open].map((w) => {
      const change = changes.get(grKey(w.def.group, w.def.resource));
      return change ? this.tell(w, change) : undefined;
    }));
  }

  /** ADDED/DELETED for the objects of the workspaces that entered/left, as this watcher would see them. */
  private async tell(w: OpenWatch, change: Change): Promise<void> {
    const mine = (c: string) => w.scope.cluster === '*' || w.scope.cluster === c;
    const sends: Array<{ cluster: string; type: 'ADDED' | 'DELETED' }> = [
      ...change.entered.filter(mine).map((cluster) => ({ cluster, type: 'ADDED' as const })),
      ...change.left.filter(mine).map((cluster) => ({ cluster, type: 'DELETED' as const })),
    ];
    for (const { cluster, type } of sends) {
      const list = await this.generic.list({ ...w.scope, cluster }, w.def,
        { labelSelector: w.q.labelSelector, fieldSelector: w.q.fieldSelector });
      // the view may have moved on while listing: send only what still holds
      const visible = this.view.clustersFor(w.def).has(cluster);
      if (w.closed || visible !== (type === 'ADDED')) continue;
      for (const object of list.items) {
        if (w.closed) return;
        w.handlers.onEvent(syntheticEvent(type, cluster, w.def, object, w.rv));
      }
    }
  }
}

function syntheticEvent(type: 'ADDED' | 'DELETED', cluster: string, def: ResourceDef, object: KubeObject, rv: string): WatchEvent {
  return {
    type, object, resourceVersion: rv,
    key: { cluster, resource: storageResource(def), namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' },
  };
}

function copy(m: Map<string, Set<string>>): Map<string, Set<string>> {
  return new Map([...m].map(([k, v]) => [k, new Set(v)]));
}
