/**
 * WATCH: a chunked stream of one compact JSON event per line, as client-go and client-node read
 * it. Errors found after the stream started (a too-old resourceVersion) are sent as one ERROR
 * event carrying a Status, then the stream ends.
 *
 * One write fanning out to many watchers costs one JSON.stringify and one UTF-8 encoding: the JSON
 * encoding of an event is built once, already framed as an HTTP/1.1 chunk, and that same Buffer is
 * written to every watcher's socket. Going through `res.write` instead would re-encode the line
 * for each watcher and queue four pieces (size, CRLF, line, CRLF) flushed a tick later; for 1 000
 * watchers that per-watcher work was most of the fan-out time.
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
import { stringifyJSON } from '../../machinery/json-text.js';

/** Each storage event's JSON line, framed as one HTTP chunk (shared across watchers). */
const framedEvents = new WeakMap<WatchEvent, Buffer>();

/** `<size in hex>\r\n<line>\r\n`: what node's chunked encoder would send for `res.write(line)`. */
export function frameChunk(line: string): Buffer {
  const size = Buffer.byteLength(line);
  const head = `${size.toString(16)}\r\n`;
  const out = Buffer.allocUnsafe(head.length + size + 2);
  out.write(head, 0, 'latin1');
  out.write(line, head.length, 'utf8');
  out.write('\r\n', head.length + size, 'latin1');
  return out;
}

function framedEvent(ev: WatchEvent): Buffer {
  let b = framedEvents.get(ev);
  if (b === undefined) {
    b = frameChunk(`{"type":"${ev.type}","object":${stringifyJSON(ev.object)}}\n`);
    framedEvents.set(ev, b);
  }
  return b;
}

/** How much unflushed output a slow watcher may accumulate before it is cut off (it will relist). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 15_000;

export async function handleWatch(ctx: ApiContext, req: IncomingMessage, res: ServerResponse,
  def: ResourceDef, scope: RequestScope, opts: ParsedListOptions): Promise<void> {
  const table = wantsTable(req.headers.accept);
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  let headerSent = false;

  const encodeObject = (type: string, obj: KubeObject): string => {
    if (!table.table) return `{"type":"${type}","object":${stringifyJSON(obj)}}\n`;
    const t = toTable(def, [obj], { include: 'Metadata', tableVersion: table.version, resourceVersion: obj.metadata.resourceVersion, noHeaders: headerSent });
    headerSent = true;
    return stringifyJSON({ type, object: t }) + '\n';
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
  /**
   * Sends a prebuilt chunk straight to the socket. Only while node frames this response as chunked
   * (an HTTP/1.0 client gets plain writes) and after the headers went out; both go through the same
   * socket stream, so order with `res.write` output is kept.
   */
  const writeEvent = (ev: WatchEvent) => {
    if (closed) return;
    const socket = res.socket;
    if (!socket || !(res as { chunkedEncoding?: boolean }).chunkedEncoding) {
      write(encodeObject(ev.type, ev.object));
      return;
    }
    socket.write(framedEvent(ev));
    if (socket.writableLength > MAX_BUFFERED_BYTES) {
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
        if (table.table) write(encodeObject(ev.type, ev.object));
        else writeEvent(ev);
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
