/**
 * The YAML worker thread (started by yaml-worker-client.ts with a large stack): parses a body with
 * the main thread's parser and options, measures alias expansion before expanding anything, and
 * sends the value back as JSON text, which the main thread reads without recursion (structured
 * cloning would recurse per level on the receiving side).
 */
import { parentPort } from 'node:worker_threads';
import { jsonSizeAtLeast, MAX_OBJECT_BYTES } from './limits.js';
import { parseYaml } from './yaml-parse.js';
import type { YamlWorkerReply, YamlWorkerRequest } from './yaml-worker-client.js';

parentPort!.on('message', (req: YamlWorkerRequest) => parentPort!.postMessage(decode(req)));

function decode({ id, text }: YamlWorkerRequest): YamlWorkerReply {
  const parsed = parseYaml(text);
  if ('failure' in parsed) return { id, failure: parsed.failure, message: parsed.message };
  const size = jsonSizeAtLeast(parsed.value, MAX_OBJECT_BYTES);
  if (size > MAX_OBJECT_BYTES) return { id, tooLarge: size };
  try {
    return { id, json: JSON.stringify(parsed.value), numbers: numbersJsonLoses(parsed.value) };
  } catch (e) {
    return { id, failure: 'stack', message: (e as Error).message };
  }
}

/** Where the value holds numbers JSON text turns into null or 0 (`.inf`, `.nan`, `-0`). */
function numbersJsonLoses(root: unknown): Array<[Array<string | number>, number]> {
  const found: Array<[Array<string | number>, number]> = [];
  // every visited value with its parent's index and its key there, to rebuild a path when needed
  const values: unknown[] = [root];
  const parents: number[] = [-1];
  const keys: Array<string | number> = [''];
  const pending = [0];
  while (pending.length) {
    const i = pending.pop()!;
    const v = values[i];
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) found.push([pathTo(i, parents, keys), v]);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const entries: Iterable<[string | number, unknown]> = Array.isArray(v) ? v.entries() : Object.entries(v);
    for (const [k, child] of entries) {
      if (typeof child !== 'number' && (typeof child !== 'object' || child === null)) continue;
      values.push(child); parents.push(i); keys.push(k); pending.push(values.length - 1);
    }
  }
  return found;
}

function pathTo(i: number, parents: number[], keys: Array<string | number>): Array<string | number> {
  const path: Array<string | number> = [];
  for (let at = i; parents[at] !== -1; at = parents[at]) path.push(keys[at]);
  return path.reverse();
}
