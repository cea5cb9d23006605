/**
 * Seeded fuzz of the API surface over real mTLS against a tmc-server child process: mutated
 * JSON/YAML/protobuf bodies, every patch type, selectors, paths, query parameters, deep and wide
 * documents. Asserts: never a 5xx, the process never dies, the event loop never stalls over 1 s
 * (the server's own guard counts stalls), and objects in the tracked namespace change only through
 * accepted requests. Rerun a failure with FUZZ_SEED=<the printed seed>; FUZZ_REQUESTS sets the
 * count (default 2000); FUZZ_TRACE=<dir> logs each request and saves its body there.
 */
import t from 'tap';
import https from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { stringify as yamlStringify } from 'yaml';
import { spawnServer, type SpawnedServer } from '../helpers/tmc.js';
import { readKubeconfigFile } from '../../src/security/kubeconfig.js';
import { envelope, f, mapField, msg } from '../apiserver/protobuf/encoder.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const NS = 'fuzz';
const ROOT = '/clusters/root';
const CM = `${ROOT}/api/v1/namespaces/${NS}/configmaps`;

/** mulberry32: small, fast, good enough to drive mutations reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number) => rand() < p;

const WEIRD_STRINGS = ['', ' ', 'a', '..', '/', '%2F', '\u0000', '\uffff', '\ud800', '💥', 'x'.repeat(300), 'null', '-1', '1e309',
  '${x}', '<script>', 'a=b', 'a,b', '!a', 'a in (b,c)', 'a notin ()', 'metadata.name=x', 'k:{"a":1}', '~1', '\\', '"'];
const WEIRD_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53 + 1, 1e308, '', 'x', [], {}, [null], { '': null }, [[[]]]];

function weirdValue(depth = 0): unknown {
  const r = int(10);
  if (r < 3 || depth > 3) return chance(0.5) ? pick(WEIRD_VALUES) : pick(WEIRD_STRINGS);
  if (r < 5) return Array.from({ length: int(4) }, () => weirdValue(depth + 1));
  if (r === 5) return deep(chance(0.5) ? 50 + int(900) : 1001 + int(chance(0.8) ? 5000 : 9000));
  if (r === 6) return wide(chance(0.9) ? 10 + int(2000) : 10_000);
  const o: Record<string, unknown> = {};
  for (let i = int(4); i > 0; i--) o[chance(0.5) ? pick(WEIRD_STRINGS) : `k${int(100)}`] = weirdValue(depth + 1);
  return o;
}

/** encodeURIComponent, except that a lone surrogate is sent as raw invalid UTF-8 bytes' escapes. */
function enc(s: string): string {
  try { return encodeURIComponent(s); } catch { return '%ED%A0%80'; }
}

/**
 * YAML text: block style from the yaml library, or (always for values too deep for it, which
 * recurses per level) flow style with plain keys and scalars, which is YAML but not JSON, so the
 * server's YAML parser, not JSON.parse, reads it.
 */
function toYAML(v: unknown): string {
  if (chance(0.2)) return toFlowYAML(v);
  try { return yamlStringify(v); } catch { return toFlowYAML(v); }
}

const PLAIN = /^[a-z][a-z0-9-]*$/i;
const YAML_WORDS = /^(true|false|null|yes|no|on|off|y|n|nan|inf)$/i;
const scalarYAML = (x: unknown) => (typeof x === 'string' && PLAIN.test(x) && !YAML_WORDS.test(x) ? x : JSON.stringify(x) ?? 'null');

/** Flow-style YAML written from an explicit stack: any depth. */
function toFlowYAML(root: unknown): string {
  const out: string[] = [];
  // punctuation to write is queued as a Raw, values as themselves
  class Raw { constructor(readonly text: string) {} }
  const todo: unknown[] = [root];
  while (todo.length) {
    const v = todo.pop();
    if (v instanceof Raw) { out.push(v.text); continue; }
    if (Array.isArray(v)) {
      out.push('[');
      todo.push(new Raw(']'));
      for (let i = v.length - 1; i >= 0; i--) { todo.push(v[i]); if (i > 0) todo.push(new Raw(', ')); }
    } else if (typeof v === 'object' && v !== null) {
      out.push('{');
      todo.push(new Raw('}'));
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        todo.push(entries[i][1]);
        todo.push(new Raw(`${i > 0 ? ', ' : ''}${scalarYAML(entries[i][0])}: `));
      }
    } else {
      out.push(scalarYAML(v));
    }
  }
  return out.join('') + '\n';
}

function deep(n: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < n; i++) v = chance(0.5) ? { a: v } : [v];
  return v;
}

function wide(n: number): Record<string, string> {
  const o: Record<string, string> = {};
  for (let i = 0; i < n; i++) o[`k${i}`] = 'v';
  return o;
}

const PATHS = [[], ['metadata'], ['metadata', 'name'], ['metadata', 'labels'], ['metadata', 'annotations'], ['metadata', 'finalizers'],
  ['metadata', 'resourceVersion'], ['metadata', 'namespace'], ['metadata', 'managedFields'], ['metadata', 'ownerReferences'],
  ['data'], ['data', 'k'], ['binaryData'], ['immutable'], ['apiVersion'], ['kind'], ['spec'], ['status']] as const;

/** A ConfigMap-ish object with a few random mutations. */
function mutatedObject(name: string): Record<string, any> {
  const obj: Record<string, any> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { fuzz: 'true' } }, data: { k: 'v' } };
  for (let m = int(4); m > 0; m--) {
    const path = pick(PATHS);
    if (path.length === 0) continue;
    let cur: any = obj;
    for (const p of path.slice(0, -1)) { if (typeof cur[p] !== 'object' || cur[p] === null) cur[p] = {}; cur = cur[p]; }
    const last = path[path.length - 1];
    if (chance(0.25)) delete cur[last];
    else cur[last] = weirdValue();
  }
  return obj;
}

function corruptText(s: string): string {
  switch (int(6)) {
    case 0: return s.slice(0, int(s.length + 1));
    case 1: { const i = int(s.length + 1); return s.slice(0, i) + pick(['{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', '\n- ', '&a', '*a', '!!binary ']) + s.slice(i); }
    case 2: return s.repeat(2);
    case 3: return s.replace(/"/g, chance(0.5) ? "'" : '');
    default: return s;
  }
}

function protobufBody(): Buffer {
  const meta = msg(f(1, `pb-${int(50)}`), ...(chance(0.5) ? [mapField(11, { fuzz: 'true' })] : []));
  let raw = msg(f(1, meta), mapField(2, { k: pick(WEIRD_STRINGS) }));
  if (chance(0.6)) {
    // flip bytes, truncate or lie about lengths
    const b = Buffer.from(raw);
    for (let i = int(4); i > 0 && b.length; i--) b[int(b.length)] = int(256);
    raw = chance(0.5) ? b.subarray(0, int(b.length + 1)) : b;
  }
  if (chance(0.05)) {
    // an unknown field holding groups nested far past the call stack (kube skips them)
    const depth = 1 + int(200_000);
    raw = Buffer.concat([raw, Buffer.alloc(depth, 15 * 8 + 3), Buffer.alloc(depth - (chance(0.8) ? 0 : 1), 15 * 8 + 4)]);
  }
  const env = envelope(pick(['v1', 'v1', 'apps/v1', 'x/y', '']), pick(['ConfigMap', 'ConfigMap', 'Secret', 'Nope', '']), raw);
  return chance(0.2) ? env.subarray(0, int(env.length)) : env;
}

const SELECTORS = ['', 'fuzz', 'fuzz=true', 'fuzz!=true', '!fuzz', 'fuzz in (true,false)', 'fuzz notin (x)', 'a=b,c=d', '=', '==', 'a==', 'in', ',,', 'a in (', 'x'.repeat(500)];
const FIELD_SELECTORS = ['', 'metadata.name=cm-1', 'metadata.namespace!=x', 'spec.nope=1', 'metadata.name', '=x', 'metadata.name==a,metadata.name=b'];
const QUERY_KEYS = ['limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'dryRun', 'fieldManager', 'fieldValidation', 'force',
  'propagationPolicy', 'gracePeriodSeconds', 'labelSelector', 'fieldSelector', 'timeoutSeconds', 'pretty', 'orphanDependents', 'allowWatchBookmarks'];
const QUERY_VALUES = ['', '0', '-1', '1', '500', '99999999999999999999', 'All', 'all', 'Strict', 'Warn', 'Ignore', 'true', 'false',
  'NotOlderThan', 'Exact', 'Foreground', 'Orphan', 'Background', 'eyJ2IjoxfQ', '%00', 'x'.repeat(200)];

function query(allowDryRunOnly = false): string {
  const parts: string[] = [];
  for (let i = int(4); i > 0; i--) {
    const k = pick(QUERY_KEYS);
    if (k === 'dryRun' && allowDryRunOnly) continue;
    parts.push(`${k}=${enc(k === 'labelSelector' ? pick(SELECTORS) : k === 'fieldSelector' ? pick(FIELD_SELECTORS) : pick(QUERY_VALUES))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

interface Req { method: string; path: string; body?: string | Buffer; contentType?: string; accept?: string }
interface Res { status: number; json: any; ms: number }

let srv: SpawnedServer;
let agent: https.Agent;

function send(r: Req): Promise<Res> {
  const base = new URL(srv.url);
  const start = Date.now();
  return new Promise((resolve, reject) => {
    // the path goes as is: a URL would read a fuzzed `//host/...` as another server
    const req = https.request({
      hostname: base.hostname, port: base.port, path: r.path, method: r.method, agent,
      // an explicit length: node frames a DELETE body only when told its size
      headers: { ...(r.contentType ? { 'Content-Type': r.contentType } : {}), ...(r.accept ? { Accept: r.accept } : {}),
        ...(r.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(r.body)) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let json: any;
        try { json = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, json, ms: Date.now() - start });
      });
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${r.method} ${r.path} hung`)));
    req.on('error', reject);
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/** name → resourceVersion of every object in the tracked namespace, as accepted responses left it. */
const model = new Map<string, string>();
const names = () => [...model.keys()];
const someName = () => (model.size && chance(0.85) ? pick(names()) : `cm-${int(40)}`);

/** One random request, and what an accepted answer does to the model. */
function nextRequest(): { req: Req; tracked?: (res: Res) => void | Promise<void> } {
  const dry = chance(0.15);
  const q = dry ? '?dryRun=All' : '';
  const track = (name: string, dryRun = dry) => (res: Res) => {
    if (dryRun || res.status >= 300) return;
    if (res.json?.kind === 'Status') model.delete(name);
    else if (res.json?.metadata?.name) model.set(res.json.metadata.name, res.json.metadata.resourceVersion);
  };
  switch (int(12)) {
    case 0: case 1: { // create, JSON (sometimes corrupted)
      const name = `cm-${int(40)}`;
      let text = JSON.stringify(mutatedObject(name));
      if (chance(0.2)) text = corruptText(text);
      return { req: { method: 'POST', path: CM + q, body: text, contentType: 'application/json' }, tracked: (res) => {
        if (!dry && res.status < 300 && res.json?.metadata?.name) model.set(res.json.metadata.name, res.json.metadata.resourceVersion);
      } };
    }
    case 2: { // create, YAML
      const name = `cm-${int(40)}`;
      let text = chance(0.1) ? `a: &a [${'*a,'.repeat(5)}]\n` : toYAML(mutatedObject(name));
      if (chance(0.3)) text = corruptText(text);
      return { req: { method: 'POST', path: CM + q, body: text, contentType: 'application/yaml' }, tracked: (res) => {
        if (!dry && res.status < 300 && res.json?.metadata?.name) model.set(res.json.metadata.name, res.json.metadata.resourceVersion);
      } };
    }
    case 3: // create, protobuf
      return { req: { method: 'POST', path: CM + q, body: protobufBody(), contentType: 'application/vnd.kubernetes.protobuf' }, tracked: (res) => {
        if (!dry && res.status < 300 && res.json?.metadata?.name) model.set(res.json.metadata.name, res.json.metadata.resourceVersion);
      } };
    case 4: { // update
      const name = someName();
      const obj = mutatedObject(name);
      if (chance(0.5) && model.has(name)) obj.metadata.resourceVersion = model.get(name);
      return { req: { method: 'PUT', path: `${CM}/${name}${q}`, body: JSON.stringify(obj), contentType: 'application/json' }, tracked: track(name) };
    }
    case 5: case 6: { // patches of every type
      const name = someName();
      const type = pick(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/x-nope']);
      let body: string;
      if (type === 'application/json-patch+json') {
        const ops = Array.from({ length: chance(0.05) ? 10_001 : 1 + int(6) }, () => {
          const op: Record<string, unknown> = { op: pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'nope']), path: `/${pick(PATHS).join('/')}` };
          if (chance(0.7)) op.value = weirdValue();
          if (chance(0.5)) op.from = `/${pick(PATHS).join('/')}`;
          return op;
        });
        body = JSON.stringify(chance(0.1) ? ops[0] : ops);
      } else if (type === 'application/apply-patch+yaml') {
        body = chance(0.5) ? JSON.stringify(mutatedObject(name)) : toYAML(mutatedObject(name));
      } else {
        body = JSON.stringify(chance(0.8) ? { metadata: { labels: weirdValue() }, data: weirdValue() } : weirdValue());
      }
      if (chance(0.15)) body = corruptText(body);
      const qs = [dry ? 'dryRun=All' : '', type === 'application/apply-patch+yaml' && chance(0.8) ? 'fieldManager=fuzz' : '', chance(0.2) ? 'force=true' : ''].filter(Boolean).join('&');
      return { req: { method: 'PATCH', path: `${CM}/${name}${qs ? `?${qs}` : ''}`, body, contentType: type }, tracked: track(name) };
    }
    case 7: { // delete, with random options
      const name = someName();
      const body = chance(0.5) ? JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...(chance(0.5) ? { preconditions: { resourceVersion: pick(['1', model.get(name) ?? 'x']) } } : {}), ...(dry ? { dryRun: ['All'] } : {}), propagationPolicy: pick(['Background', 'Foreground', 'Orphan', 'Nope']) }) : undefined;
      return { req: { method: 'DELETE', path: `${CM}/${name}${dry && !body ? '?dryRun=All' : ''}`, body, contentType: body ? 'application/json' : undefined }, tracked: track(name) };
    }
    case 8: // deletecollection: dry-run only, so the tracked set stays meaningful
      return { req: { method: 'DELETE', path: `${CM}?dryRun=All&labelSelector=${enc(pick(SELECTORS))}` } };
    case 9: // reads with random selectors and parameters (never a long watch)
      return { req: { method: 'GET', path: pick([CM, `${ROOT}/api/v1/configmaps`, `${CM}/${someName()}`]) + query(true).replace(/timeoutSeconds=[^&]*/, 'timeoutSeconds=1'),
        accept: pick([undefined, 'application/json;as=Table;v=v1;g=meta.k8s.io', 'application/vnd.kubernetes.protobuf', 'text/html', '*/*']) } };
    case 10: { // random paths and verbs
      const segs = Array.from({ length: int(8) }, () => enc(pick([...WEIRD_STRINGS, 'api', 'apis', 'v1', 'clusters', 'root', 'namespaces', 'fuzz-paths', 'configmaps', 'status', 'scale', 'proxy', 'log', 'openapi', 'version'])));
      return { req: { method: pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']), path: `/${segs.join('/')}${query()}`.replace(/timeoutSeconds=[^&]*/, 'timeoutSeconds=1').replace(/watch=true/, ''),
        body: chance(0.5) ? JSON.stringify(weirdValue()) : undefined, contentType: 'application/json' } };
    }
    default: { // mutating requests with random parameters: must be dry-run, or tracked
      const name = someName();
      return { req: { method: 'PATCH', path: `${CM}/${name}${query(true)}`, body: JSON.stringify({ metadata: { annotations: { n: String(int(1000)) } } }), contentType: 'application/merge-patch+json' }, tracked: track(name, false) };
    }
  }
}

/** The server's stall counters: every late loop, and those its own CPU work caused. */
async function stalls(): Promise<{ all: number; busy: number }> {
  return new Promise((resolve, reject) => {
    https.get(new URL('/metrics', srv.url), { agent }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({
        all: Number(/^tmc_event_loop_stalls_total (\S+)$/m.exec(text)?.[1] ?? 'NaN'),
        busy: Number(/^tmc_event_loop_busy_stalls_total (\S+)$/m.exec(text)?.[1] ?? 'NaN'),
      }));
    }).on('error', reject);
  });
}

t.before(async () => {
  srv = await spawnServer(t, ['--storage', 'memory'], { nodeArgs: ['--max-old-space-size=512'] });
  const kc = readKubeconfigFile(srv.kubeconfigPath);
  agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca: kc.caPem, cert: kc.certPem, key: kc.keyPem });
  t.teardown(() => agent.destroy());
  for (const ns of [NS, 'fuzz-paths']) await send({ method: 'POST', path: `${ROOT}/api/v1/namespaces`, body: JSON.stringify({ metadata: { name: ns } }), contentType: 'application/json' });
});

t.test(`fuzz: ${REQUESTS} requests, seed ${SEED}`, async (t) => {
  t.comment(`FUZZ_SEED=${SEED}`);
  const serverErrors: string[] = [];
  let slowest = 0;
  for (let i = 0; i < REQUESTS; i++) {
    let next: ReturnType<typeof nextRequest> | undefined;
    // generating can itself overflow on a deep value (JSON.stringify): draw again
    while (!next) { try { next = nextRequest(); } catch { next = undefined; } }
    const { req, tracked } = next;
    if (process.env.FUZZ_TRACE) {
      process.stderr.write(`#${i} ${req.method} ${req.path.slice(0, 150)} [${req.contentType}] ${String(req.body ?? '').length}B\n`);
      if (req.body !== undefined) writeFileSync(join(process.env.FUZZ_TRACE, `req-${i}.body`), req.body);
    }
    let res: Res;
    try {
      res = await send(req);
    } catch (e) {
      t.fail(`request ${i} (${req.method} ${req.path.slice(0, 120)}) failed: ${(e as Error).message}; FUZZ_SEED=${SEED}`);
      break;
    }
    slowest = Math.max(slowest, res.ms);
    if (process.env.FUZZ_TRACE) process.stderr.write(`  → #${i} ${res.ms} ms ${res.status} rv=${res.json?.metadata?.resourceVersion ?? ''} kind=${res.json?.kind ?? ''}\n`);
    // kube's own answer to a list at a future resourceVersion is 504 (ResourceVersionTooLarge)
    const kubeTimeout = res.status === 504 && res.json?.details?.causes?.[0]?.reason === 'ResourceVersionTooLarge';
    if (res.status >= 500 && !kubeTimeout) serverErrors.push(`#${i} ${req.method} ${req.path.slice(0, 120)} [${req.contentType}] → ${res.status} ${JSON.stringify(res.json)?.slice(0, 200)}`);
    await tracked?.(res);
    if (srv.child.exitCode !== null || srv.child.signalCode !== null) {
      t.fail(`server died at request ${i} (${req.method} ${req.path.slice(0, 120)}); FUZZ_SEED=${SEED}`);
      break;
    }
  }
  t.same(serverErrors, [], `no 5xx (FUZZ_SEED=${SEED})`);
  t.equal(srv.child.exitCode, null, 'server alive');
  // A late loop is also what the OS not running the process looks like (a machine oversubscribed
  // several times over); a busy stall is one where the server burnt at least 1 s of CPU holding
  // the loop, which only its own work does, whatever the load. That one is asserted.
  const stalled = await stalls();
  const load = loadavg()[0] / cpus().length;
  t.equal(stalled.busy, 0, `no request held the event loop for 1 s of CPU (slowest response ${slowest} ms; ${stalled.all} late loop(s) at load ${load.toFixed(1)} per core)`);

  const list = await send({ method: 'GET', path: CM });
  t.equal(list.status, 200);
  const stored = new Map<string, string>(list.json.items.map((o: any) => [o.metadata.name, o.metadata.resourceVersion]));
  t.same(Object.fromEntries([...stored].sort()), Object.fromEntries([...model].sort()),
    `stored objects are exactly what accepted requests left (FUZZ_SEED=${SEED})`);
});
