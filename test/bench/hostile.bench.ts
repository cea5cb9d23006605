/**
 * Event-loop delay under attack: a tmc-server child process serves a steady GET load (autocannon,
 * 4 connections) while a battery of hostile requests runs one after another (the 40-copy doubling
 * patch, 10 001 operations, deep JSON/YAML, an alias bomb, a ReDoS VAP, a 2 MiB merge patch over a
 * 2 MiB object, a 4 MiB body sent whole, YAML 9 990 levels deep). Reports the server's own event-loop delay quantiles
 * (tmc_event_loop_delay_seconds over the run), stalls over 1 s, and GET latency, beside the same
 * GET load without the battery.
 */
import https from 'node:https';
import autocannon from 'autocannon';
import { spawnServer, type SpawnedServer } from '../helpers/tmc.js';
import { readKubeconfigFile } from '../../src/security/kubeconfig.js';
import type { BenchOutput, BenchRow } from './report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

interface Tls { ca: string; cert: string; key: string }

function send(srv: SpawnedServer, tls: Tls, method: string, path: string, body?: string, type = 'application/json'): Promise<number> {
  const u = new URL(srv.url);
  return new Promise((resolve) => {
    const req = https.request({ hostname: u.hostname, port: u.port, path, method, ...tls,
      headers: body !== undefined ? { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

async function metrics(srv: SpawnedServer, tls: Tls): Promise<Record<string, number>> {
  const u = new URL(srv.url);
  const text = await new Promise<string>((resolve) => {
    https.get({ hostname: u.hostname, port: u.port, path: '/metrics', ...tls }, (res) => {
      let t = '';
      res.on('data', (c) => { t += c; });
      res.on('end', () => resolve(t));
    });
  });
  const q = (k: string) => Number(new RegExp(`^tmc_event_loop_delay_seconds\\{quantile="${k}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
  return { p50Ms: q('0.5') * 1000, p99Ms: q('0.99') * 1000, maxMs: q('1') * 1000, stalls: Number(/^tmc_event_loop_stalls_total (\S+)$/m.exec(text)?.[1]) };
}

const nested = (d: number) => '{"a":'.repeat(d) + '1' + '}'.repeat(d);

async function battery(srv: SpawnedServer, tls: Tls, until: number): Promise<number> {
  await send(srv, tls, 'POST', CM, JSON.stringify({ metadata: { name: 'bomb', annotations: { a: 'x'.repeat(50) } } }));
  await send(srv, tls, 'POST', CM, JSON.stringify({ metadata: { name: 'big' }, data: { a: 'y'.repeat(2 * 1024 * 1024) } }));
  await send(srv, tls, 'POST', '/clusters/root/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', JSON.stringify({ metadata: { name: 'redos' }, spec: {
    failurePolicy: 'Fail', matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
    validations: [{ expression: "!has(object.data) || !('v' in object.data) || object.data.v.matches('^(a+)+$')" }] } }));
  await send(srv, tls, 'POST', '/clusters/root/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', JSON.stringify({ metadata: { name: 'redos' }, spec: { policyName: 'redos', validationActions: ['Deny'] } }));
  const laughs = ['metadata: {name: laughs}', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) laughs.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  const attacks: Array<() => Promise<number>> = [
    () => send(srv, tls, 'PATCH', `${CM}/bomb`, JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/k${i}` }))), 'application/json-patch+json'),
    () => send(srv, tls, 'PATCH', `${CM}/bomb`, JSON.stringify(Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/metadata/name', value: 'bomb' }))), 'application/json-patch+json'),
    () => send(srv, tls, 'POST', CM, `{"metadata":{"name":"deep","labels":${nested(200_000)}}}`),
    () => send(srv, tls, 'POST', CM, `metadata: {name: deepy, labels: ${nested(5_000).replace(/"/g, '')}}`, 'application/yaml'),
    // YAML as deep as kube reads: parsed in the server's YAML worker, off the event loop
    () => send(srv, tls, 'POST', CM, `metadata: {name: deepest, labels: ${nested(9_990).replace(/"/g, '')}}`, 'application/yaml'),
    () => send(srv, tls, 'POST', CM, laughs.join('\n'), 'application/yaml'),
    () => send(srv, tls, 'POST', CM, JSON.stringify({ metadata: { name: `evil-${Date.now()}` }, data: { v: 'a'.repeat(5_000) + '!' } })),
    () => send(srv, tls, 'PATCH', `${CM}/big`, JSON.stringify({ data: { b: 'z'.repeat(2 * 1024 * 1024) } }), 'application/merge-patch+json'),
    () => send(srv, tls, 'POST', CM, JSON.stringify({ metadata: { name: 'huge' }, data: { a: 'q'.repeat(4 * 1024 * 1024) } })),
  ];
  let n = 0;
  while (Date.now() < until) for (const a of attacks) { await a(); n++; }
  return n;
}

async function getLoad(srv: SpawnedServer, tls: Tls): Promise<{ reqPerSec: number; p99Ms: number; maxMs: number }> {
  const u = new URL(srv.url);
  const r = await autocannon({ url: `https://${u.hostname}:${u.port}${CM}/steady`, connections: 4, duration: SECONDS, tlsOptions: { ...tls } as never });
  return { reqPerSec: Math.round(r.requests.average), p99Ms: r.latency.p99, maxMs: r.latency.max };
}

export async function run(): Promise<BenchOutput> {
  const cleanups: Array<() => unknown> = [];
  const srv = await spawnServer({ teardown: (f) => cleanups.push(f) }, ['--storage', 'memory']);
  try {
    const kc = readKubeconfigFile(srv.kubeconfigPath);
    const tls: Tls = { ca: kc.caPem!, cert: kc.certPem!, key: kc.keyPem! };
    await send(srv, tls, 'POST', CM, JSON.stringify({ metadata: { name: 'steady' }, data: { a: 'b' } }));
    await metrics(srv, tls); // resets the delay window
    const quiet = await getLoad(srv, tls);
    const quietLoop = await metrics(srv, tls);
    const [underAttack, attacks] = await Promise.all([getLoad(srv, tls), battery(srv, tls, Date.now() + SECONDS * 1000)]);
    const attackLoop = await metrics(srv, tls);
    const details = { seconds: SECONDS, quiet: { get: quiet, eventLoop: quietLoop }, hostile: { attacks, get: underAttack, eventLoop: attackLoop } };
    process.stdout.write(`${JSON.stringify(details, null, 2)}\n`);
    const round = (x: number) => Number(x.toFixed(1));
    const rows: BenchRow[] = [
      // issue 12: the server stays responsive (/readyz under 1 s) while any hostile request runs
      { metric: 'event-loop delay p99 under the hostile battery', unit: 'ms', measured: round(attackLoop.p99Ms), baseline: round(quietLoop.p99Ms),
        baselineName: 'same GET load, no battery', goal: { op: '<=', value: 1000 }, note: `${attacks} attacks` },
      { metric: 'event-loop delay max under the hostile battery', unit: 'ms', measured: round(attackLoop.maxMs), baseline: round(quietLoop.maxMs), baselineName: 'same GET load, no battery' },
      { metric: 'event-loop stalls over 1 s under the hostile battery', unit: '', measured: attackLoop.stalls, goal: { op: '<=', value: 0 } },
      { metric: 'GET p99 under the hostile battery', unit: 'ms', measured: underAttack.p99Ms, baseline: quiet.p99Ms, baselineName: 'same GET load, no battery' },
    ];
    return { rows, details };
  } finally {
    await srv.kill('SIGTERM');
    for (const c of cleanups) await c();
  }
}
