/**
 * Storage figures, memory vs sqlite: create/s, get/s, list of 1k and 10k objects, and watch
 * fan-out of one write to 1 000 watchers. Run: node dist/test/bench/storage.bench.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemoryStore } from '../../src/storage/memory.js';
import { SqliteStore } from '../../src/storage/sqlite.js';
import type { KubeObject, ObjectKey, Store } from '../../src/storage/types.js';

const CREATES = 5_000;
const GETS = 20_000;
const WATCHERS = 1_000;
const FANOUT_WRITES = 50;

const key = (resource: string, name: string, namespace = 'default'): ObjectKey => ({ cluster: 'root:bench', resource, namespace, name });

/** A ConfigMap of realistic size (~600 bytes of JSON). */
function object(name: string, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name, namespace, uid: `uid-${name}`, labels: { app: 'bench', tier: name.length % 2 ? 'a' : 'b' },
      annotations: { 'kcp.io/cluster': 'root:bench' }, creationTimestamp: '2026-01-01T00:00:00Z',
    },
    data: { payload: 'x'.repeat(400) },
  };
}

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

async function median(times: number, fn: () => Promise<void>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = now();
    await fn();
    samples.push(now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function measure(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};

  let t0 = now();
  for (let i = 0; i < CREATES; i++) await store.create(key('configmaps', `c${i}`), object(`c${i}`));
  out.createPerSec = Math.round(CREATES / ((now() - t0) / 1000));

  t0 = now();
  for (let i = 0; i < GETS; i++) await store.get(key('configmaps', `c${i % CREATES}`));
  out.getPerSec = Math.round(GETS / ((now() - t0) / 1000));

  t0 = now();
  for (let i = 0; i < 1000; i++) await store.update(key('configmaps', `c${i}`), (o) => ({ ...o, data: { payload: `y${i}` } }));
  out.updateFnPerSec = Math.round(1000 / ((now() - t0) / 1000));

  // 1k objects in one namespace, 10k in another resource.
  for (let i = 0; i < 1000; i++) await store.create(key('secrets', `s${i}`, 'small'), object(`s${i}`, 'small'));
  for (let i = 0; i < 10_000; i++) await store.create(key('apps/deployments', `d${i}`), object(`d${i}`));
  out.list1kMs = round(await median(7, async () => { await store.list({ cluster: 'root:bench', resource: 'secrets', namespace: 'small' }); }));
  out.list10kMs = round(await median(5, async () => { await store.list({ cluster: 'root:bench', resource: 'apps/deployments' }); }));
  out.list10kPaged500Ms = round(await median(3, async () => {
    let cont: string | undefined;
    do cont = (await store.list({ cluster: 'root:bench', resource: 'apps/deployments' }, { limit: 500, continue: cont })).continue;
    while (cont);
  }));

  // Fan-out: 1 000 watchers on the resource, each with a cheap filter like a label selector.
  let delivered = 0;
  const watchers = Array.from({ length: WATCHERS }, () => store.watch(
    { cluster: 'root:bench', resource: 'configmaps' }, { filter: (o) => o.metadata.labels?.app === 'bench' },
    { onEvent: () => { delivered++; } }));
  // Time the fan-out alone: the write itself (commit) is measured separately above.
  const writeOnly = await median(FANOUT_WRITES, async () => {
    await store.update(key('configmaps', 'c1'), (o) => ({ ...o, data: { payload: String(Math.random()) } }));
  });
  for (const w of watchers) w.stop();
  const bare = await median(FANOUT_WRITES, async () => {
    await store.update(key('configmaps', 'c1'), (o) => ({ ...o, data: { payload: String(Math.random()) } }));
  });
  out.fanoutDeliveries = delivered;
  out.fanoutWriteWith1kWatchersMs = round(writeOnly);
  out.fanoutWriteNoWatchersMs = round(bare);
  out.fanoutUsPerDelivery = round(Math.max(0, writeOnly - bare) * 1000 / WATCHERS);
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tmc-storage-bench-'));
  try {
    const memory = new MemoryStore();
    const mem = await measure(memory);
    await memory.close();
    const sqliteStore = new SqliteStore({ path: join(dir, 'bench.db') });
    const sql = await measure(sqliteStore);
    await sqliteStore.close();
    const figures = { memory: mem, sqlite: sql };
    console.log(JSON.stringify({ bench: 'storage', ...figures }, null, 2));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await run();
}
