/**
 * API server throughput: GET one object, LIST 1k and 10k, CREATE at 10 and 50 connections, and
 * watch fan-out (one write, 1 000 watchers) — tmc-server (sqlite, child process) beside a raw
 * node:https server doing the same work (the ceiling; its creates are durable in sqlite too),
 * measured in the same run. Beside each c=10 figure, the server's CPU time per request (from
 * /proc/<pid>/stat), which holds on a loaded machine where requests/s swing. Before each run the
 * server and this process are left to go idle, so one case's backlog (a 10k LIST still being
 * answered, or still being parsed here) is not billed to the next.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchOutput, BenchRow, Goal } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const SERVER_BIN = join(here, '..', '..', 'src', 'cmd', 'tmc-server.js');
const RAW_BIN = join(here, 'fixtures', 'raw-server.js');
const DURATION = Number(process.env.BENCH_SECONDS ?? 4);

interface Target { name: string; port: number; child: ChildProcess }

function waitLine(child: ChildProcess, re: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(re);
      if (m) resolve(m);
    });
    child.once('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
}

/** CPU time (user + system) a process has used, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Waits (at most 30 s) until the process uses under a tenth of a core over 300 ms. */
async function idle(pid: number): Promise<void> {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 300));
    if (cpuMs(pid) - before < 30) return;
  }
}

export async function run(): Promise<BenchOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'tmc-bench-'));
  const tmc = spawn(process.execPath, [SERVER_BIN, '--data-dir', dir, '--port', '0', '--log-level', 'error'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const m = await waitLine(tmc, /ready at https:\/\/127\.0\.0\.1:(\d+)/);
  const raw = spawn(process.execPath, [RAW_BIN, join(dir, 'pki'), join(dir, 'raw-server.sqlite')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rm = await waitLine(raw, /port (\d+)/);
  const targets: Target[] = [
    { name: 'tmc', port: Number(m[1]), child: tmc },
    { name: 'raw', port: Number(rm[1]), child: raw },
  ];
  const tls = {
    ca: readFileSync(join(dir, 'pki', 'ca.crt')), cert: readFileSync(join(dir, 'pki', 'admin.crt')), key: readFileSync(join(dir, 'pki', 'admin.key')),
  };
  const agent = new https.Agent({ ...tls, keepAlive: true, maxSockets: 64 });
  const req = (port: number, method: string, path: string, body?: unknown) => new Promise<{ status: number; text: string }>((resolve, reject) => {
    const r = https.request({ host: '127.0.0.1', port, method, path, agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('error', reject);
    if (body !== undefined) r.write(JSON.stringify(body));
    r.end();
  });
  const base = '/clusters/root/api/v1/namespaces';
  const results: Record<string, unknown> = {};
  const rows: BenchRow[] = [];
  const fanout: Record<string, number> = {};
  try {
    // fixtures: namespaces with 1k and 10k configmaps on both servers
    for (const t of targets) {
      for (const ns of ['bench1', 'bench1k', 'bench10k', 'benchcreate']) await req(t.port, 'POST', '/clusters/root/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await req(t.port, 'POST', `${base}/bench1/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'bench1' }, data: { a: 'b' } });
      for (const [ns, n] of [['bench1k', 1000], ['bench10k', 10000]] as const) {
        let i = 0;
        await Promise.all(Array.from({ length: 32 }, async () => {
          while (i < n) {
            const k = i++;
            const r = await req(t.port, 'POST', `${base}/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${k}`, namespace: ns }, data: { key: `value-${k}`, other: 'x'.repeat(64) } });
            if (r.status !== 201) throw new Error(`${t.name} fixture create failed: ${r.status} ${r.text}`);
          }
        }));
      }
    }
    const cannon = async (t: Target, path: string, connections: number, method = 'GET') => {
      let seq = 0;
      // the server, and this process: autocannon's sockets of a 10k LIST keep parsing megabytes
      // after it returned, which starved the next run's connections (0 req/s measured)
      await idle(t.child.pid!);
      await idle(process.pid);
      const cpu0 = cpuMs(t.child.pid!);
      const r = await autocannon({
        url: `https://127.0.0.1:${t.port}${path}`, connections, duration: DURATION, method: method as 'GET', tlsOptions: tls,
        headers: { 'Content-Type': 'application/json' },
        requests: method === 'POST' ? [{
          method: 'POST',
          setupRequest: (r: Record<string, unknown>) => ({ ...r, body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${connections}-${process.pid}-${seq++}`, namespace: 'benchcreate' }, data: { a: 'b' } }) }),
        }] : undefined,
      } as autocannon.Options);
      const cpuUs = r.requests.total ? Math.round((cpuMs(t.child.pid!) - cpu0) * 1000 / r.requests.total) : NaN;
      return { rps: Math.round(r.requests.average), p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx, cpuUs };
    };
    const cases: Array<[string, string, string]> = [
      ['GET one', `${base}/bench1/configmaps/one`, 'GET'],
      ['LIST 1k', `${base}/bench1k/configmaps`, 'GET'],
      ['LIST 10k', `${base}/bench10k/configmaps`, 'GET'],
      ['CREATE', `${base}/benchcreate/configmaps`, 'POST'],
    ];
    // Goals from issue 13, as a ratio to the raw server measured in the same run.
    const goals: Record<string, Goal> = { 'GET one': { op: '>=', value: 0.6, on: 'ratio' }, CREATE: { op: '>=', value: 0.4, on: 'ratio' } };
    let turn = 0;
    for (const [label, path, method] of cases) {
      // the bodies each side answers, so the table says when they differ in size
      const bytes = method === 'GET' ? { measured: (await req(targets[0].port, 'GET', path)).text.length, baseline: (await req(targets[1].port, 'GET', path)).text.length } : undefined;
      for (const c of [10, 50]) {
        const row: Record<string, unknown> = {};
        // tmc and raw take turns going first, so a busy phase of the machine does not favour one
        for (const t of turn++ % 2 ? [...targets].reverse() : targets) row[t.name] = await cannon(t, path, c, method);
        const tr = (row.tmc as { rps: number }).rps, rr = (row.raw as { rps: number }).rps;
        row.ratio = rr ? Number((tr / rr).toFixed(2)) : null;
        results[`${label} c=${c}`] = row;
        rows.push({ metric: `${label} c=${c}`, goal: goals[label], measured: tr, baseline: rr, baselineName: 'raw node:https', unit: 'req/s', bytes });
        if (c === 10) {
          const cpu = (name: string) => (row[name] as { cpuUs: number }).cpuUs;
          rows.push({ metric: `${label} c=${c}, server CPU per request`, measured: cpu('tmc'), baseline: cpu('raw'), baselineName: 'raw node:https', unit: 'µs' });
        }
        process.stdout.write(`${label} c=${c}: tmc ${tr} rps, raw ${rr} rps, ratio ${row.ratio}\n`);
      }
    }

    // watch fan-out: 1000 watchers, one write, time until every watcher has the event. Each
    // watch starts from the revision a list just returned, as an informer does (a revision the
    // store never reached is refused with 410, so it cannot be a made-up number).
    for (const t of targets) {
      const n = 1000;
      const listed = await req(t.port, 'GET', `${base}/benchcreate/configmaps?limit=1`);
      const fromRV = (JSON.parse(listed.text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      const watchAgent = new https.Agent({ ...tls, keepAlive: false, maxSockets: Infinity });
      const got: number[] = [];
      let writeAt = 0;
      const streams: import('node:http').ClientRequest[] = [];
      let opened = 0;
      await new Promise<void>((resolve) => {
        for (let i = 0; i < n; i++) {
          const r = https.request({ host: '127.0.0.1', port: t.port, path: `${base}/benchcreate/configmaps?watch=true&resourceVersion=${fromRV}&fieldSelector=metadata.name%3Dfanout`, agent: watchAgent }, (res) => {
            if (++opened === n) resolve();
            let buf = '';
            res.on('data', (c) => {
              buf += c;
              if (buf.includes('fanout') && writeAt) { got.push(performance.now() - writeAt); buf = ''; }
            });
          });
          r.on('error', () => {});
          r.end();
          streams.push(r);
        }
      });
      writeAt = performance.now();
      await req(t.port, 'POST', `${base}/benchcreate/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fanout', namespace: 'benchcreate' } });
      const deadline = Date.now() + 20_000;
      while (got.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      got.sort((a, b) => a - b);
      results[`watch fan-out 1000 (${t.name})`] = { delivered: got.length, p50ms: Number(got[Math.floor(got.length / 2)]?.toFixed(1)), lastms: Number(got[got.length - 1]?.toFixed(1)) };
      fanout[t.name] = got.length === n ? got[got.length - 1] : NaN;
      process.stdout.write(`watch fan-out ${t.name}: ${got.length}/${n} delivered, last after ${got[got.length - 1]?.toFixed(1)} ms\n`);
      for (const s of streams) s.destroy();
      watchAgent.destroy();
    }
  } finally {
    agent.destroy();
    for (const t of targets) t.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  rows.push({ metric: 'watch fan-out, 1 write → 1 000 watchers, last delivery', goal: { op: '<=', value: 50 }, measured: fanout.tmc, baseline: fanout.raw, baselineName: 'raw node:https', unit: 'ms' });
  return { rows, details: results };
}
