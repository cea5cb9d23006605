/**
 * WATCH: a chunked stream of one compact JSON event per line, as client-go and client-node read
 * it. Errors found after the stream started (a too-old resourceVersion) are sent as one ERROR
 * event carrying a Status, then the stream ends. Serialization of an event is shared by every
 * watcher that wants the same representation, so one write fanning out to many watchers costs
 * one JSON.stringify.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError } from '../../errors/status.js';
import type { RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject, WatchEvent, Watcher } from '../../storage/types.js';
import type { ApiContext } from '../context.js';
import { wantsTable } from '../negotiation.js';
import type { ParsedListOptions } from '../params.js';
import { toStatusError } from '../responses.js';
import { toTable } from '../table.js';
import { apiserverRegisteredWatchers, apiserverWatchEventsTotal } from '../../observability/metrics.js';

/** Cached serialized JSON events, keyed by the storage event (shared across watchers). */
const encoded = new WeakMap<WatchEvent, string>();

/** How much unflushed output a slow watcher may accumulate before it is cut off (it will relist). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 15_000;

export async function handleWatch(ctx: ApiContext, req: IncomingMessage, res: ServerResponse,
  def: ResourceDef, scope: RequestScope, opts: ParsedListOptions): Promise<void> {
  const table = wantsTable(req.headers.accept);
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  let headerSent = false;

  const encodeObject = (type: string, obj: KubeObject): string => {
    if (!table.table) return `{"type":"${type}","object":${JSON.stringify(obj)}}\n`;
    const t = toTable(def, [obj], { include: 'Metadata', tableVersion: table.version, resourceVersion: obj.metadata.resourceVersion, noHeaders: headerSent });
    headerSent = true;
    return JSON.stringify({ type, object: t }) + '\n';
  };
  const encodeEvent = (ev: WatchEvent): string => {
    if (table.table) return encodeObject(ev.type, ev.object);
    let s = encoded.get(ev);
    if (s === undefined) {
      s = encodeObject(ev.type, ev.object);
      encoded.set(ev, s);
    }
    return s;
  };

  let closed = false;
  let watcher: Watcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let bookmarkTimer: NodeJS.Timeout | undefined;
  let lastRV = opts.resourceVersion ?? '0';
  const watcherLabels = { resource: def.resource };
  apiserverRegisteredWatchers.inc(watcherLabels);
  const finish = () => {
    if (closed) return;
    closed = true;
    apiserverRegisteredWatchers.dec(watcherLabels);
    watcher?.stop();
    if (timer) clearTimeout(timer);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    if (!res.writableEnded) res.end();
  };
  const write = (line: string) => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      ctx.log.warn({ resource: def.resource, cluster: scope.cluster }, 'watcher too slow; closing its stream');
      finish();
    }
  };
  const errorEvent = (err: unknown) => {
    const se = toStatusError(err);
    write(JSON.stringify({ type: 'ERROR', object: se.toStatus() }) + '\n');
    finish();
  };

  req.on('close', finish);
  res.on('close', finish);

  // 1. initial state when the client did not ask to start at an exact revision
  const startFresh = opts.resourceVersion === undefined || opts.resourceVersion === '0' || opts.sendInitialEvents === true;
  let initial: KubeObject[] = [];
  let fromRV = opts.resourceVersion;
  if (startFresh) {
    const list = await ctx.generic.list(scope, def, { ...opts, limit: undefined, continue: undefined, resourceVersion: undefined, resourceVersionMatch: undefined });
    initial = list.items;
    fromRV = list.resourceVersion;
  }

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  for (const obj of initial) write(encodeObject('ADDED', obj));
  if (fromRV) lastRV = fromRV;
  if (opts.sendInitialEvents) {
    write(JSON.stringify({
      type: 'BOOKMARK',
      object: { kind: def.kind, apiVersion, metadata: { resourceVersion: lastRV, annotations: { 'k8s.io/initial-events-end': 'true' } } },
    }) + '\n');
  }
  if (closed) return;

  // 2. stream changes after fromRV
  try {
    watcher = ctx.generic.watch(scope, def, opts, fromRV, {
      onEvent: (ev) => {
        lastRV = ev.resourceVersion;
        apiserverWatchEventsTotal.inc(watcherLabels);
        write(encodeEvent(ev));
      },
      onClose: (err) => {
        if (err) errorEvent(err);
        else finish();
      },
    });
  } catch (err) {
    if (err instanceof StatusError) { errorEvent(err); return; }
    throw err;
  }

  // 3. time limits and bookmarks
  const timeoutMs = opts.timeoutSeconds !== undefined ? opts.timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  timer = setTimeout(finish, timeoutMs);
  if (opts.allowWatchBookmarks) {
    bookmarkTimer = setInterval(() => {
      write(JSON.stringify({ type: 'BOOKMARK', object: { kind: def.kind, apiVersion, metadata: { resourceVersion: lastRV } } }) + '\n');
    }, BOOKMARK_INTERVAL_MS);
    bookmarkTimer.unref();
  }
}
