/**
 * The conformance corpus: real upstream manifests (test/conformance/manifests, sources in the
 * README there) driven through kubectl 1.32 and Debian's kubectl 1.20 against a workspace whose
 * workloads are placed on a simulated physical cluster. Each file, in its own namespace:
 * client-side apply; `diff` (no change); server-side apply over it (every field of the manifest
 * still there); server-side apply again; `diff --server-side` (no change); a fresh server-side
 * apply twice (in a second namespace, every field there); `explain` of each kind; and
 * `rollout status` for Deployments, StatefulSets and DaemonSets. One server pair for the file;
 * each kubectl version has its own workspace; files run in parallel batches.
 */
import t, { type Test } from 'tap';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { KUBECTL_132, kubectl120Path, runKubectl } from '../helpers/kubectl-versions.js';
import { DIST_ROOT, kubectlOK, startServer, tempDir, type KubectlResult } from '../helpers/tmc.js';
import { BINDINGS, registerCluster } from '../helpers/topology.js';

// the corpus is the suite's longest file; on a loaded two-core CI machine it may pass tap's 300 s default
t.setTimeout(600_000);

const MANIFESTS = resolve(DIST_ROOT, '..', 'test', 'conformance', 'manifests');
const PARALLEL = 6;

type Obj = Record<string, any>;

/**
 * Cases that fail for a known reason, reported as tap `todo`s naming it. Key:
 * `[<version>:]<file or *>[@<step prefix>]`. Each entry is a bug or gap to fix, never a silent skip.
 */
const KNOWN_FAILURES: Record<string, string> = {
  // none: the server-side apply conflicts on defaulted atomic lists and the stringData apply time are fixed
};

function knownFailure(version: string, file: string, step: string): string | undefined {
  for (const [key, reason] of Object.entries(KNOWN_FAILURES)) {
    const [scope, prefix = ''] = key.split('@');
    const [v, f] = scope.includes(':') ? scope.split(':') : [undefined, scope];
    if ((v === undefined || v === version) && (f === '*' || f === file) && step.startsWith(prefix)) return reason;
  }
  return undefined;
}

/** Kinds TMC does not serve in a workspace (they live on the physical clusters): left out of a file, listed in the README. */
const UNSERVED = new Set(['StorageClass', 'PodDisruptionBudget', 'ReplicaSet', 'Pod']);
const CLUSTER_SCOPED = new Set(['CustomResourceDefinition', 'GatewayClass', 'Namespace']);
const ROLLOUT = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

interface Case { file: string; slug: string; docs: Obj[]; crd: boolean; clusterScoped: boolean }

function loadCorpus(): Case[] {
  return readdirSync(MANIFESTS).filter((f) => /\.ya?ml$/.test(f)).sort().map((file) => {
    const docs = parseAllDocuments(readFileSync(join(MANIFESTS, file), 'utf8'))
      .map((d) => d.toJSON() as Obj).filter((d) => d && d.kind && !UNSERVED.has(d.kind));
    const slug = file.replace(/\.ya?ml$/, '').toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(-50).replace(/^-+/, '');
    return {
      file, slug, docs,
      crd: docs.every((d) => d.kind === 'CustomResourceDefinition'),
      clusterScoped: docs.some((d) => CLUSTER_SCOPED.has(d.kind)),
    };
  });
}

/** The manifest's objects, in namespace `ns` (cluster-scoped ones as they are). */
function inNamespace(docs: Obj[], ns: string): Obj[] {
  return docs.map((d) => {
    const c = structuredClone(d);
    if (!CLUSTER_SCOPED.has(c.kind)) c.metadata = { ...c.metadata, namespace: ns };
    return c;
  });
}

const toYAML = (docs: Obj[]) => docs.map((d) => stringify(d)).join('---\n');

/** What must be stored for a manifest object: itself, with a Secret's stringData as data. */
function expected(d: Obj): Obj {
  const e = structuredClone(d);
  if (e.kind === 'Secret' && e.stringData) {
    e.data = { ...(e.data ?? {}) };
    for (const [k, v] of Object.entries(e.stringData as Record<string, string>)) e.data[k] = Buffer.from(String(v)).toString('base64');
    delete e.stringData;
  }
  return e;
}

/** Paths of `want` that `got` lacks or holds differently (empty = every field kept). */
function missing(want: unknown, got: unknown, path = ''): string[] {
  if (want === null || typeof want !== 'object') return want === got || String(want) === String(got) ? [] : [`${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`];
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return [`${path}: want ${want.length} items, got ${JSON.stringify(got)?.slice(0, 200)}`];
    return want.flatMap((w, i) => missing(w, got[i], `${path}[${i}]`));
  }
  if (got === null || typeof got !== 'object') return [`${path}: missing`];
  return Object.entries(want as Obj).flatMap(([k, v]) => missing(v, (got as Obj)[k], `${path}.${k}`));
}

interface Client { version: string; bin: string; kubeconfig: string; cacheDir: string }

t.test('conformance corpus', async (t) => {
  const corpus = loadCorpus();
  t.ok(corpus.length >= 30, `at least 30 upstream manifests (${corpus.length})`);
  const dir = tempDir(t, 'tmc-conformance-');
  const [srv, physical] = await Promise.all([startServer(t), startServer(t, { mode: 'cluster', nodes: 4, nodeCpu: '64', nodeMemory: '256Gi', readyDelayMs: 50 })]);
  const adminKc = srv.kubeconfigPath;

  const clients: Client[] = [{ version: '1.32', bin: KUBECTL_132, kubeconfig: '', cacheDir: join(dir, 'cache-132') }];
  const k120 = kubectl120Path();
  if (k120) clients.push({ version: '1.20', bin: k120, kubeconfig: '', cacheDir: join(dir, 'cache-120') });
  else t.fail('kubectl 1.20 is missing: run `sudo bash hack/install-deps.sh` (CI must have it)');

  // one workspace per kubectl version, bound to the compute and TMC exports, with the physical cluster registered
  await Promise.all(clients.map(async (c) => {
    const ws = `conf-${c.version.replace('.', '')}`;
    await kubectlOK(adminKc, ['apply', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${ws}}\n` });
    await kubectlOK(adminKc, ['wait', '--for=jsonpath={.status.phase}=Ready', `workspace/${ws}`, '--timeout=30s']);
    const server = `${srv.url}/clusters/root:${ws}`;
    c.kubeconfig = join(dir, `${ws}.kubeconfig`);
    writeFileSync(c.kubeconfig, readFileSync(adminKc, 'utf8').replace(/server: \S+/, `server: ${server}`));
    await kubectlOK(c.kubeconfig, ['apply', '-f', '-'], { input: BINDINGS });
    await kubectlOK(c.kubeconfig, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/kubernetes', 'apibinding/tmc', '--timeout=30s']);
    await registerCluster((args, input) => kubectlOK(c.kubeconfig, args, { input }), 'physical', physical);
    await kubectlOK(c.kubeconfig, ['wait', '--for=condition=Ready', 'clusterregistration/physical', '--timeout=60s']);
  }));

  // Every case of both clients runs first, concurrently (tap runs subtests one at a time); the
  // recorded checks are then reported per client and file, in corpus order.
  const recorded = new Map<string, Recorder>();
  await Promise.all(clients.map(async (c) => {
    const run = (args: string[], input?: string): Promise<KubectlResult> =>
      runKubectl(c.bin, c.kubeconfig, args, { input, cacheDir: c.cacheDir, timeoutMs: 120_000 });
    const exercise = async (k: Case) => {
      const rec = new Recorder();
      recorded.set(`${c.version}/${k.file}`, rec);
      await exerciseCase(rec, c, k, run);
    };
    // CRDs first (the examples need them); files with cluster-scoped objects (GatewayClass) one
    // at a time, the rest in parallel
    await batches(corpus.filter((k) => k.crd), PARALLEL, exercise);
    await run(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=30s']);
    await Promise.all([
      batches(corpus.filter((k) => !k.crd && k.clusterScoped), 1, exercise),
      batches(corpus.filter((k) => !k.crd && !k.clusterScoped), PARALLEL, exercise),
    ]);
  }));
  for (const c of clients) {
    await t.test(`kubectl ${c.version}`, async (t) => {
      for (const k of corpus) await t.test(k.file, async (tt) => recorded.get(`${c.version}/${k.file}`)!.replay(tt));
    });
  }
});

/** Checks made while the cases run, replayed into tap afterwards. */
class Recorder {
  private readonly checks: Array<(t: Test) => void> = [];
  equal(found: unknown, wanted: unknown, message: string, extra: object): void { this.checks.push((t) => t.equal(found, wanted, message, extra)); }
  same(found: unknown, wanted: unknown, message: string, extra: object): void { this.checks.push((t) => t.same(found, wanted, message, extra)); }
  fail(message: string, extra: object): void { this.checks.push((t) => t.fail(message, extra)); }
  replay(t: Test): void { for (const c of this.checks) c(t); }
}

async function batches<T>(items: T[], size: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

type Run = (args: string[], input?: string) => Promise<KubectlResult>;

async function exerciseCase(t: Recorder, c: Client, k: Case, run: Run): Promise<void> {
  const todo = (step: string) => knownFailure(c.version, k.file, step);
  const ok = (r: KubectlResult, step: string, want = 0) =>
    t.equal(r.code, want, `${step}${r.code === want ? '' : `: ${(r.stderr || r.stdout).slice(0, 600)}`}`, todo(step) ? { todo: todo(step) } : {});
  const namespaced = k.docs.some((d) => !CLUSTER_SCOPED.has(d.kind));
  const ns = `c-${k.slug}`.slice(0, 63).replace(/-+$/, '');
  const nsFresh = `${ns.slice(0, 57)}-fresh`;
  if (namespaced) {
    await run(['create', 'namespace', ns]);
    await run(['create', 'namespace', nsFresh]);
    if (k.docs.some((d) => ROLLOUT.has(d.kind))) await run(['apply', '-f', '-'], placement(ns));
  }
  const docs = inNamespace(k.docs, ns);
  const text = toYAML(docs);

  ok(await run(['apply', '-f', '-'], text), 'client-side apply');
  ok(await run(['diff', '-f', '-'], text), 'diff after apply (no change)');
  ok(await run(['apply', '--server-side', '-f', '-'], text), 'server-side apply over client-side apply');
  const keptStep = 'client-side then server-side apply keeps every field';
  await keptAll(t, run, docs, keptStep, todo(keptStep));
  ok(await run(['apply', '--server-side', '-f', '-'], text), 'second server-side apply');
  ok(await run(['diff', '--server-side', '-f', '-'], text), 'diff --server-side (no change)');

  if (namespaced && !k.clusterScoped) {
    const fresh = inNamespace(k.docs, nsFresh);
    const freshText = toYAML(fresh);
    ok(await run(['apply', '--server-side', '-f', '-'], freshText), 'server-side apply (new objects)');
    ok(await run(['apply', '--server-side', '-f', '-'], freshText), 'server-side apply again (new objects)');
    const freshStep = 'server-side apply keeps every field';
    await keptAll(t, run, fresh, freshStep, todo(freshStep));
  }

  for (const kind of new Set(k.docs.map((d) => `${d.apiVersion} ${d.kind}`))) {
    const [apiVersion, kindName] = kind.split(' ');
    ok(await run(['explain', kindName.toLowerCase(), `--api-version=${apiVersion}`]), `explain ${kindName}`);
  }
  for (const d of docs.filter((x) => ROLLOUT.has(x.kind))) {
    const step = `rollout status ${d.kind}`;
    // a known failure need not wait out the whole timeout
    ok(await run(['rollout', 'status', `${d.kind.toLowerCase()}/${d.metadata.name}`, '-n', ns, `--timeout=${todo(step) ? 5 : 60}s`]), step);
  }
}

async function keptAll(t: Recorder, run: Run, docs: Obj[], what: string, todo: string | undefined): Promise<void> {
  const r = await run(['get', '-f', '-', '-o', 'json'], toYAML(docs));
  if (r.code !== 0) {
    t.fail(`${what}: get failed: ${r.stderr}`, todo ? { todo } : {});
    return;
  }
  const live = JSON.parse(r.stdout) as Obj;
  const items: Obj[] = live.kind === 'List' ? live.items : [live];
  const lost = docs.flatMap((d, i) => missing(expected(d), items[i]).map((p) => `${d.kind}/${d.metadata.name}${p}`));
  t.same(lost, [], what, todo ? { todo } : {});
}

const placement = (ns: string) => `
apiVersion: tmc.kcp.io/v1alpha1
kind: WorkloadPlacement
metadata: {name: everything, namespace: ${ns}}
spec:
  workloadSelector:
    workloadTypes: [{group: apps, kind: Deployment}, {group: apps, kind: StatefulSet}, {group: apps, kind: DaemonSet}]
  numberOfClusters: 1
`;
