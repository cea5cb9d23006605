/**
 * A live, read-only copy of one list of Kubernetes objects: list, then watch from the list's
 * resourceVersion (as client-go's reflector does), applying ADDED/MODIFIED/DELETED and following
 * BOOKMARKs. A watch that ends is resumed from the last version seen; 410 Gone relists; a broken
 * connection is retried with backoff. No polling: the server pushes every change.
 *
 * Collections are shared and reference-counted (`acquire`/`release`): a browser holds at most six
 * HTTP/1.1 connections per server and every open watch takes one, so a view keeps only the
 * watches it shows and they close as soon as nobody uses them.
 */
import { Api, ApiError, toApiError } from './api.js';
import { listQuery, resourcePath, type ListOptions, type Resource } from '../model/api-paths.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

export type CollectionState = 'loading' | 'ready' | 'error';

export interface Snapshot<T> {
  state: CollectionState;
  items: T[];
  error?: ApiError;
  /** Bumped on every change, so views can memoise on it. */
  version: number;
}

interface WatchEvent { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'; object: KubeObject & { code?: number } }

const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export class Collection<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly listeners = new Set<() => void>();
  private snapshot: Snapshot<T> = { state: 'loading', items: [], version: 0 };
  private abort?: AbortController;
  private resourceVersion = '';
  private refs = 0;
  private notifyScheduled = false;

  constructor(private readonly api: Api, private readonly ws: string, private readonly resource: Resource,
    private readonly opts: ListOptions & { namespace?: string }) {}

  get path(): string { return resourcePath(this.ws, this.resource, this.opts.namespace); }

  current(): Snapshot<T> { return this.snapshot; }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  acquire(): void {
    if (this.refs++ === 0) this.start();
  }

  /** True when the last user left (the watch is closed). */
  release(): boolean {
    if (--this.refs > 0) return false;
    this.abort?.abort();
    this.abort = undefined;
    return true;
  }

  private start(): void {
    const abort = new AbortController();
    this.abort = abort;
    void this.run(abort.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    let relist = true;
    while (!signal.aborted) {
      try {
        if (relist) {
          await this.list(signal);
          relist = false;
        }
        // the server ends a watch after timeoutSeconds; spread the restarts of many watches
        const gone = await this.watch(signal, 240 + Math.floor(Math.random() * 60));
        failures = 0;
        if (gone) relist = true;
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof ApiError && (err.forbidden || err.unauthorized || err.status === 404)) {
          this.publish('error', err);
          return; // retrying cannot help; the view says why
        }
        if (err instanceof ApiError && err.status === 410) { relist = true; continue; }
        failures++;
        if (failures > 1) this.publish(this.snapshot.state === 'loading' ? 'loading' : 'ready', err instanceof ApiError ? err : new ApiError(0, 'ServiceUnavailable', `lost the connection to the server: ${(err as Error).message}; reconnecting`));
        await sleep(Math.min(10_000, 500 * 2 ** Math.min(failures, 5)), signal);
      }
    }
  }

  private async list(signal: AbortSignal): Promise<void> {
    const res = await this.api.fetch(this.path + listQuery(this.opts), { signal });
    if (!res.ok) throw await toApiError(res);
    const list = await res.json() as { metadata?: { resourceVersion?: string }; items?: T[] };
    this.items.clear();
    for (const item of list.items ?? []) this.items.set(key(item), item);
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    this.publish('ready');
  }

  /** Streams one watch; resolves true when the server says the version is gone (relist). */
  private async watch(signal: AbortSignal, timeoutSeconds: number): Promise<boolean> {
    const res = await this.api.fetch(this.path + listQuery({ ...this.opts, watch: true, resourceVersion: this.resourceVersion, timeoutSeconds }), { signal });
    if (res.status === 410) return true;
    if (!res.ok || !res.body) throw await toApiError(res);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      buf += value;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line && this.apply(JSON.parse(line) as WatchEvent)) {
          await reader.cancel();
          return true;
        }
      }
    }
  }

  /** Applies one event; true when it says the resourceVersion expired. */
  private apply(ev: WatchEvent): boolean {
    if (ev.type === 'ERROR') {
      if (ev.object.code === 410) return true;
      throw new ApiError(ev.object.code ?? 500, String(ev.object.reason ?? 'InternalError'), String(ev.object.message ?? 'watch error'));
    }
    const rv = ev.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (ev.type === 'BOOKMARK') return false;
    if (ev.type === 'DELETED') this.items.delete(key(ev.object));
    else this.items.set(key(ev.object), ev.object as T);
    this.publish('ready');
    return false;
  }

  private publish(state: CollectionState, error?: ApiError): void {
    this.snapshot = { state, items: [...this.items.values()], error, version: this.snapshot.version + 1 };
    // several events in one chunk: one re-render
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      for (const fn of this.listeners) fn();
    });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

/** Shares collections between views: one list+watch per (workspace, resource, namespace, selectors). */
export class Collections {
  private readonly byKey = new Map<string, Collection>();
  constructor(private readonly api: Api) {}

  acquire<T extends KubeObject>(ws: string, resource: Resource, opts: ListOptions & { namespace?: string } = {}): { collection: Collection<T>; release(): void } {
    const k = JSON.stringify([ws, resource.group, resource.resource, opts.namespace ?? '', opts.labelSelector ?? '', opts.fieldSelector ?? '']);
    let c = this.byKey.get(k);
    if (!c) {
      c = new Collection(this.api, ws, resource, opts);
      this.byKey.set(k, c);
    }
    const col = c;
    col.acquire();
    let released = false;
    return {
      collection: col as unknown as Collection<T>,
      release: () => {
        if (released) return;
        released = true;
        if (col.release()) this.byKey.delete(k);
      },
    };
  }
}
