/**
 * Many empty workspaces in one server, for real: tmc-server (sqlite, child process) gets N
 * Workspaces under root (created over HTTPS, 32 in flight), then
 * - memory: once the server has settled (its controllers made every workspace's LogicalCluster,
 *   default Namespace and ServiceAccount: no CPU used for a while), a forced full GC, then RSS and
 *   the V8 heap in use, read through a probe only this bench loads (fixtures/heap-probe.ts, with
 *   --expose-gc); the same at N/2, so the growth per workspace over the second half is known
 *   without the fixed costs (the watch cache's bounded history fills during the first thousands);
 * - a new workspace's first request at that size: create one more, wait for Ready, time its first
 *   GET (`/clusters/<ws>/api/v1/namespaces/default/configmaps`), 20 times, p50/p99.
 * Goals (issue 13): at 100 000 workspaces RSS ≤ 1.5 GiB and the first request ≤ 10 ms. A smaller N
 * (`BENCH_WORKSPACES`) extrapolates RSS to 100 000 from the heap growth per workspace, marked so.
 * `BENCH_WORKSPACES_SERVER` runs another build's dist/src/cmd/tmc-server.js (e.g. the session's
 * base) through the same bench.
 *
 * Run: npm run bench -- workspaces   (BENCH_WORKSPACES=20000 for a shorter run)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HeapReport } from './fixtures/heap-probe.js';
import { pct } from './fixtures/stats.js';
import { loadAverage, type BenchOutput, type BenchRow } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const SERVER_BIN = process.env.BENCH_WORKSPACES_SERVER ?? join(here, '..', '..', 'src', 'cmd', 'tmc-server.js');
const PROBE = join(here, 'fixtures', 'heap-probe.js');
const TARGET = 100_000;
const MiB = 1024 * 1024;
const progress = (msg: string): void => { process.stderr.write(`[workspaces ${new Date().toISOString().slice(11, 19)}] ${msg}\n`); };

/** user+system CPU seconds of a process so far, from /proc */
function cpuSeconds(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(child: ChildProcess): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

/** Waits until the server has used under 0.1 s of CPU in 2 s: its controllers are done. */
async function settled(child: ChildProcess, maxMs = 600_000): Promise<number> {
  const started = Date.now();
  let prev = cpuSeconds(child);
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 2000));
    const now = cpuSeconds(child);
    if (now - prev < 0.1) break;
    prev = now;
  }
  return Date.now() - started;
}

function heap(child: ChildProcess): Promise<HeapReport> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('heap probe did not answer')), 60_000);
    const onMessage = (m: HeapReport) => {
      if (m?.type !== 'heap') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(m);
    };
    child.on('message', onMessage);
    child.send({ type: 'heap' });
  });
}

export async function run(): Promise<BenchOutput> {
  const n = Number(process.env.BENCH_WORKSPACES ?? TARGET);
  const dir = mkdtempSync(join(tmpdir(), 'tmc-bench-ws-'));
  const server = spawn(process.execPath, ['--expose-gc', '--import', PROBE, SERVER_BIN, '--data-dir', dir, '--port', '0', '--log-level', 'error'],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d) => { out += d; const m = /ready at https:\/\/127\.0\.0\.1:(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
      server.once('exit', (c) => reject(new Error(`tmc-server exited ${c}: ${out}`)));
    });
    const tls = { ca: readFileSync(join(dir, 'pki', 'ca.crt')), cert: readFileSync(join(dir, 'pki', 'admin.crt')), key: readFileSync(join(dir, 'pki', 'admin.key')) };
    const agent = new https.Agent({ ...tls, keepAlive: true, maxSockets: 64 });
    const req = (method: string, path: string, body?: unknown) => new Promise<{ status: number; text: string }>((resolve, reject) => {
      const r = https.request({ host: '127.0.0.1', port, method, path, agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      r.on('error', reject);
      if (body !== undefined) r.write(JSON.stringify(body));
      r.end();
    });
    const create = async (name: string) => {
      const r = await req('POST', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } });
      if (r.status !== 201) throw new Error(`create workspace ${name}: ${r.status} ${r.text}`);
    };
    const waitReady = async (name: string) => {
      for (;;) {
        const r = await req('GET', `/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/${name}`);
        if ((JSON.parse(r.text) as { status?: { phase?: string } }).status?.phase === 'Ready') return;
        await new Promise((res) => setTimeout(res, 2));
      }
    };

    await settled(server);
    const empty = await heap(server);
    const started = Date.now();
    let next = 0;
    let lastReport = Date.now();
    const createUpTo = (limit: number) => Promise.all(Array.from({ length: 32 }, async () => {
      while (next < limit) {
        const i = next++;
        await create(`w${i}`);
        if (Date.now() - lastReport > 15_000) { lastReport = Date.now(); progress(`${i} of ${n} created, RSS ${rssMiB(server).toFixed(0)} MiB`); }
      }
    }));
    const half = Math.floor(n / 2);
    await createUpTo(half);
    await settled(server);
    const atHalf = await heap(server);
    await createUpTo(n);
    const createdMs = Date.now() - started;
    const settleMs = await settled(server);
    const settledMs = Date.now() - started;
    const atN = await heap(server);
    progress(`${n} created in ${(createdMs / 1000).toFixed(0)} s, settled ${(settleMs / 1000).toFixed(0)} s later; heap ${(atN.usedHeap / MiB).toFixed(0)} MiB, RSS ${(atN.rss / MiB).toFixed(0)} MiB`);
    const perWorkspaceKiB = (atN.usedHeap - atHalf.usedHeap) / 1024 / (n - half);

    const first: number[] = [];
    for (let k = 0; k < 20; k++) {
      const name = `fresh-${k}`;
      await create(name);
      await waitReady(name);
      const t0 = performance.now();
      const r = await req('GET', `/clusters/root:${name}/api/v1/namespaces/default/configmaps`);
      first.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`first request to ${name}: ${r.status} ${r.text}`);
    }
    const warm: number[] = [];
    for (let k = 0; k < 20; k++) {
      const t0 = performance.now();
      await req('GET', `/clusters/root:fresh-${k}/api/v1/namespaces/default/configmaps`);
      warm.push(performance.now() - t0);
    }
    agent.destroy();
    const load = loadAverage();
    const extrapolated = n < TARGET;
    const rssAtTarget = (atN.rss + (extrapolated ? perWorkspaceKiB * 1024 * (TARGET - n) : 0)) / MiB;
    const rows: BenchRow[] = [
      {
        metric: `RSS with 100 000 empty workspaces, after GC${extrapolated ? ` (extrapolated from ${n} by the heap growth)` : ''}`, goal: { op: '<=', value: 1536 },
        measured: Math.round(rssAtTarget), baseline: Math.round(empty.rss / MiB), baselineName: 'the empty server', unit: 'MiB', load,
      },
      {
        metric: `V8 heap in use with ${n} empty workspaces, after GC`, measured: Math.round(atN.usedHeap / MiB),
        baseline: Math.round(empty.usedHeap / MiB), baselineName: 'the empty server', unit: 'MiB', load,
      },
      {
        metric: 'heap per empty workspace (growth over the second half, after GC)', measured: Number(perWorkspaceKiB.toFixed(2)), unit: 'KiB', load,
        note: 'a workspace: its Workspace, LogicalCluster, default Namespace and ServiceAccount',
      },
      {
        metric: `a new workspace's first request (${n} exist), p99`, goal: { op: '<=', value: 10 },
        measured: Number(pct(first, 99).toFixed(1)), baseline: Number(pct(warm, 99).toFixed(1)), baselineName: 'the same request again', unit: 'ms', load,
      },
      { metric: `workspaces created and settled per second (${n})`, measured: Math.round(n / (settledMs / 1000)), unit: '/s', load },
    ];
    const details = {
      workspaces: n, server: SERVER_BIN, createdMs, settledMs, createdPerS: Math.round(n / (createdMs / 1000)), settledPerS: Math.round(n / (settledMs / 1000)),
      empty, atHalf, atN, perWorkspaceKiB, firstRequestMs: first, warmRequestMs: warm,
    };
    progress(JSON.stringify({ ...details, firstRequestMs: undefined, warmRequestMs: undefined, firstP50: pct(first, 50), firstP99: pct(first, 99) }));
    return { rows, details };
  } finally {
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => { process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); process.exit(0); },
    (e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exit(1); });
}
