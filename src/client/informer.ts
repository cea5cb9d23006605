/**
 * The informer over an API server (KubeClient, or anything with its list/watch): the leaf
 * informer (src/informer/informer.ts, where the recovery rules are written down) fed by paged
 * LISTs and WATCH streams with bookmarks and a server-side timeout. A watch ERROR event is the
 * watch's end with that Status (410 → relist; anything else → backoff).
 */
import { Informer as CoreInformer, type CoreInformerOptions, type ListerWatcher } from '../informer/informer.js';
import { watchEventError } from './kube-client.js';
import type { GroupVersionResource } from './resource-path.js';
import type { KubeList, KubeObject, ListOptions, WatchDone, WatchEvent, WatchHandle, WatchOptions } from './types.js';

export type { EventHandlers } from '../informer/informer.js';

/** The two calls an informer needs; KubeClient provides them. */
export interface ListWatchSource {
  list(gvr: GroupVersionResource, opts: ListOptions): Promise<KubeList>;
  watch(gvr: GroupVersionResource, opts: WatchOptions, onEvent: (e: WatchEvent) => void, onDone: WatchDone): WatchHandle;
}

export interface InformerOptions extends Omit<CoreInformerOptions<KubeObject>, 'listWatch' | 'resource'> {
  source: ListWatchSource;
  gvr: GroupVersionResource;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Asked of the server per watch; it ends the stream after this. @default 300 */
  watchTimeoutSeconds?: number;
}

/** ListerWatcher over an API server's list and watch. */
export function apiListWatch(o: Pick<InformerOptions, 'source' | 'gvr' | 'namespace' | 'labelSelector' | 'fieldSelector' | 'watchTimeoutSeconds'>): ListerWatcher<KubeObject> {
  const { source, gvr, namespace, labelSelector, fieldSelector } = o;
  return {
    async list(page) {
      const l = await source.list(gvr, { namespace, labelSelector, fieldSelector, limit: page.limit, continue: page.continue });
      return { items: l.items, resourceVersion: l.metadata?.resourceVersion ?? '', continue: l.metadata?.continue };
    },
    watch(resourceVersion, onEvent, onDone) {
      let ended = false;
      const handle = source.watch(gvr, {
        namespace, labelSelector, fieldSelector, resourceVersion,
        allowWatchBookmarks: true, timeoutSeconds: o.watchTimeoutSeconds ?? 300,
      }, (event) => {
        if (ended) return;
        if (event.type === 'ERROR') {
          ended = true;
          handle.stop();
          onDone(watchEventError(event));
          return;
        }
        onEvent(event as WatchEvent & { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' });
      }, (err) => {
        if (ended) return;
        ended = true;
        onDone(err);
      });
      return { stop: () => { ended = true; handle.stop(); } };
    },
  };
}

/** An informer over one resource of an API server. */
export class Informer extends CoreInformer<KubeObject> {
  constructor(opts: InformerOptions) {
    const { source: _s, gvr, namespace: _n, labelSelector: _l, fieldSelector: _f, watchTimeoutSeconds: _w, ...core } = opts;
    super({ ...core, listWatch: apiListWatch(opts), resource: gvr.group ? `${gvr.group}/${gvr.resource}` : gvr.resource });
  }
}
