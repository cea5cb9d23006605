/**
 * The main thread's side of the YAML worker: one worker thread, started on the first deep YAML body
 * and kept (unreferenced while idle, so it never holds the process open), parsing bodies one at a
 * time with a stack large enough for kube's 10 000 levels. The parse also leaves the event loop
 * free: a deep body costs the worker a few hundred milliseconds, not every other request.
 */
import { Worker } from 'node:worker_threads';
import { badRequest } from '../errors/status.js';
import { assertNestingDepth, objectTooLarge } from './limits.js';
import { yamlFailure } from './yaml-parse.js';
import { setOwn } from '../machinery/objects.js';

/** js-yaml needs a few hundred bytes of stack per level; 10 000 levels fit in 16 MB with room. */
const WORKER_STACK_MB = 64;
/** A 3 MiB body parses into far less; past this the worker dies and the request gets a 400. */
const WORKER_HEAP_MB = 512;

type Path = Array<string | number>;
export interface YamlWorkerRequest { id: number; text: string }
export type YamlWorkerReply = { id: number } & (
  /** `json` is absent for an empty document; `numbers` are the values JSON cannot carry (±Infinity, NaN, -0). */
  | { json?: string; numbers: Array<[Path, number]> }
  | { failure: 'too-deep' | 'stack' | 'syntax'; message: string }
  | { tooLarge: number }
);

interface Waiter { resolve(r: YamlWorkerReply): void; reject(e: Error): void }

let worker: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, Waiter>();

function yamlWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./yaml-worker.js', import.meta.url), {
    resourceLimits: { stackSizeMb: WORKER_STACK_MB, maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  w.on('message', (reply: YamlWorkerReply) => {
    const waiter = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (waiting.size === 0) w.unref();
    waiter?.resolve(reply);
  });
  const fail = (e: Error) => {
    if (worker === w) worker = undefined;
    for (const waiter of waiting.values()) waiter.reject(e);
    waiting.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the YAML worker exited with code ${code}`)));
  worker = w;
  return w;
}

/** Decodes a YAML body in the worker: the same value, or the same Status, as decodeYamlBody. */
export async function decodeYamlInWorker(text: string): Promise<unknown> {
  const w = yamlWorker();
  const id = nextId++;
  let reply: YamlWorkerReply;
  try {
    reply = await new Promise<YamlWorkerReply>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ id, text } satisfies YamlWorkerRequest);
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      throw badRequest('error decoding YAML: the document needs more memory to decode than the server allows');
    }
    throw e;
  }
  if ('failure' in reply) throw yamlFailure(reply);
  if ('tooLarge' in reply) throw objectTooLarge(reply.tooLarge);
  if (reply.json === undefined) return undefined;
  let value = JSON.parse(reply.json) as unknown;
  for (const [path, n] of reply.numbers) value = setAt(value, path, n);
  assertNestingDepth(value);
  return value;
}

function setAt(root: unknown, path: Path, v: unknown): unknown {
  if (path.length === 0) return v;
  let cur = root as Record<string | number, unknown>;
  for (let i = 0; i < path.length - 1; i++) cur = cur[path[i]] as Record<string | number, unknown>;
  setOwn(cur, String(path[path.length - 1]), v);
  return root;
}
