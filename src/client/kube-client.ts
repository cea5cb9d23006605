/**
 * KubeClient: a dynamic (untyped) Kubernetes client over a Transport. Resources are addressed by
 * GroupVersionResource; a resource is namespaced in a call exactly when a namespace is passed.
 * Every non-2xx answer becomes a StatusError (status-error.ts), so callers use `isNotFound(e)`,
 * `isConflict(e)` the same way the server code does.
 *
 * kcp workspaces: `forCluster('root:org')` returns a client whose paths start with
 * `/clusters/root:org`; `withPrefix('/services/apiexport/...')` reaches virtual workspaces.
 */
import type { StatusError } from '../errors/status.js';
import { discoverResources, type DiscoveryResult, type ServerVersion } from './discovery.js';
import { PATCH_CONTENT_TYPES } from './patch-content-type.js';
import { clusterPrefix, resourcePath, type GroupVersionResource } from './resource-path.js';
import { statusErrorFromResponse, statusErrorFromStatus } from './status-error.js';
import type { HttpMethod, QueryValue, Transport } from './transport.js';
import type {
  DeleteOptions, KubeList, KubeObject, ListOptions, PatchOptions, WatchDone, WatchEvent, WatchHandle,
  WatchOptions, WriteOptions,
} from './types.js';
import { stringifyJSON } from '../machinery/json-text.js';

const JSON_TYPE = 'application/json';

export class KubeClient {
  constructor(readonly transport: Transport, readonly pathPrefix = '') {}

  /** A client whose every path is prefixed by `pathPrefix` (appended to this client's prefix). */
  withPrefix(pathPrefix: string): KubeClient {
    return new KubeClient(this.transport, this.pathPrefix + pathPrefix.replace(/\/+$/, ''));
  }

  /** A client for one kcp logical cluster (`root:org:team`), or `*` for wildcard views. */
  forCluster(clusterPath: string): KubeClient {
    return this.withPrefix(clusterPrefix(clusterPath));
  }

  async get<T extends KubeObject = KubeObject>(
    gvr: GroupVersionResource, namespace: string | undefined, name: string, subresource?: string,
  ): Promise<T> {
    return this.requestJson<T>('GET', resourcePath(gvr, namespace, name, subresource));
  }

  async list<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.requestJson<KubeList<T>>('GET', resourcePath(gvr, opts.namespace), {
      labelSelector: opts.labelSelector || undefined,
      fieldSelector: opts.fieldSelector || undefined,
      limit: opts.limit,
      continue: opts.continue || undefined,
      resourceVersion: opts.resourceVersion,
      resourceVersionMatch: opts.resourceVersionMatch,
    });
  }

  /** Lists every page (following `continue`); the result carries the first page's resourceVersion. */
  async listAll<T extends KubeObject = KubeObject>(
    gvr: GroupVersionResource, opts: Omit<ListOptions, 'continue'> = {},
  ): Promise<KubeList<T>> {
    const first = await this.list<T>(gvr, opts);
    const items = [...first.items];
    let token = first.metadata?.continue;
    while (token) {
      const page = await this.list<T>(gvr, { ...opts, resourceVersion: undefined, continue: token });
      items.push(...page.items);
      token = page.metadata?.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata?.resourceVersion }, items };
  }

  async create<T extends KubeObject = KubeObject>(
    gvr: GroupVersionResource, namespace: string | undefined, obj: T, opts: WriteOptions = {},
  ): Promise<T> {
    return this.requestJson<T>('POST', resourcePath(gvr, namespace), writeQuery(opts), obj);
  }

  async update<T extends KubeObject = KubeObject>(
    gvr: GroupVersionResource, namespace: string | undefined, obj: T, opts: WriteOptions = {},
  ): Promise<T> {
    return this.requestJson<T>('PUT', resourcePath(gvr, namespace, nameOf(obj)), writeQuery(opts), obj);
  }

  async updateStatus<T extends KubeObject = KubeObject>(
    gvr: GroupVersionResource, namespace: string | undefined, obj: T, opts: WriteOptions = {},
  ): Promise<T> {
    return this.requestJson<T>('PUT', resourcePath(gvr, namespace, nameOf(obj), 'status'), writeQuery(opts), obj);
  }

  async patch<T extends KubeObject = KubeObject>(
    gvr: GroupVersionResource, namespace: string | undefined, name: string, patch: unknown, opts: PatchOptions,
  ): Promise<T> {
    if (opts.type === 'apply' && !opts.fieldManager) {
      throw new Error('server-side apply needs a fieldManager');
    }
    const query = { ...writeQuery(opts), force: opts.type === 'apply' ? opts.force : undefined };
    return this.requestJson<T>('PATCH', resourcePath(gvr, namespace, name, opts.subresource), query, patch,
      PATCH_CONTENT_TYPES[opts.type]);
  }

  /** Returns what the server answered: the deleted object, the object now terminating, or a Status. */
  async delete(
    gvr: GroupVersionResource, namespace: string | undefined, name: string, opts: DeleteOptions = {},
  ): Promise<KubeObject> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body.propagationPolicy = opts.propagationPolicy;
    if (opts.preconditions) body.preconditions = opts.preconditions;
    if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
    const query = { dryRun: opts.dryRun };
    return this.requestJson<KubeObject>('DELETE', resourcePath(gvr, namespace, name), query, body);
  }

  /**
   * Streams watch events. `onEvent` sees every event, ERROR ones included (their object is a
   * Status). `onDone` is called once when the watch ends by itself: null when the server closed the
   * stream normally (timeoutSeconds), a StatusError for a non-2xx answer, or the connection error.
   */
  watch(
    gvr: GroupVersionResource, opts: WatchOptions, onEvent: (event: WatchEvent) => void, onDone: WatchDone,
  ): WatchHandle {
    const controller = new AbortController();
    let finished = false;
    const finish = (err: Error | null): void => {
      if (finished || controller.signal.aborted) return;
      finished = true;
      onDone(err);
    };
    const query: Record<string, QueryValue> = {
      watch: 'true',
      labelSelector: opts.labelSelector || undefined,
      fieldSelector: opts.fieldSelector || undefined,
      resourceVersion: opts.resourceVersion || undefined,
      allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: opts.timeoutSeconds,
    };
    this.transport.stream(
      { method: 'GET', path: this.pathPrefix + resourcePath(gvr, opts.namespace), query, headers: { accept: JSON_TYPE } },
      {
        signal: controller.signal,
        onObject: (raw) => {
          if (finished || controller.signal.aborted) return;
          const event = asWatchEvent(raw);
          if (event) onEvent(event);
        },
      },
    ).then((res) => {
      if (res.aborted) return;
      finish(res.status >= 200 && res.status < 300 ? null : statusErrorFromResponse(res.status, res.body));
    }, (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))));
    return { stop: () => controller.abort() };
  }

  /** Every resource the server serves (`/api`, `/apis`, then each group-version). */
  async discover(): Promise<DiscoveryResult> {
    return discoverResources((path) => this.requestJson<unknown>('GET', path));
  }

  /** `/version`: the server's build, used to record a cluster's Kubernetes version. */
  async version(): Promise<ServerVersion> {
    return this.requestJson<ServerVersion>('GET', '/version');
  }

  /**
   * The low-level call every verb goes through: JSON in, JSON out, StatusError on non-2xx.
   * `path` is relative to this client's prefix.
   */
  async requestJson<T>(
    method: HttpMethod, path: string, query?: Record<string, QueryValue>, body?: unknown, contentType = JSON_TYPE,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: JSON_TYPE };
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = contentType;
      payload = stringifyJSON(body);
    }
    const res = await this.transport.request({ method, path: this.pathPrefix + path, query, headers, body: payload });
    if (res.status < 200 || res.status >= 300) throw statusErrorFromResponse(res.status, res.body);
    if (res.body.length === 0) return {} as T;
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch {
      throw statusErrorFromResponse(500, res.body);
    }
  }
}

function writeQuery(opts: WriteOptions): Record<string, QueryValue> {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun, fieldValidation: opts.fieldValidation };
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  return name;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function asWatchEvent(raw: unknown): WatchEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { type, object } = raw as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !EVENT_TYPES.has(type) || !object || typeof object !== 'object') return undefined;
  return raw as WatchEvent;
}

/** The StatusError carried by a watch ERROR event. */
export function watchEventError(event: WatchEvent): StatusError {
  return statusErrorFromStatus(event.object as Record<string, unknown>, 500);
}
