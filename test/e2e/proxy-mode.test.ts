/**
 * Proxy mode: tmc-server B started with `--kcp-kubeconfig` pointing at tmc-server A (which is
 * kcp-compatible) serves workspaces and APIs from A. The real kubectl talks to B with B's own
 * admin credentials; the effects are read back from A directly.
 * A second part checks the identity handling against a fake upstream that records headers.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import https from 'node:https';
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubectl, kubectlOK, startServer, tempDir } from '../helpers/tmc.js';
import { openWatch, request } from '../helpers/http.js';
import { createKcpProxy, upstreamPath } from '../../src/proxy/kcp-proxy.js';
import { writeKubeconfig } from '../../src/security/kubeconfig.js';
import { waitFor } from '../helpers/wait.js';

/** kcp's own files (copied from kcp-dev/kcp, see test/fixtures/kcp/README.md). */
const KCP_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'kcp');

t.test('tmc-server B proxies to tmc-server A', async (t) => {
  const A = await startServer(t);
  const B = await startServer(t, { kcpKubeconfig: A.kubeconfigPath });
  const credsA = { caPem: A.pki.ca.certPem, certPem: A.pki.admin.certPem, keyPem: A.pki.admin.keyPem };
  const credsB = { caPem: B.pki.ca.certPem, certPem: B.pki.admin.certPem, keyPem: B.pki.admin.keyPem };
  t.not(A.pki.ca.certPem, B.pki.ca.certPem, 'B has its own PKI');

  // a workspace only A has: B's local storage (which bootstraps compute and tmc too) cannot list it
  await kubectlOK(A.kubeconfigPath, ['create', '-f', '-'], {
    input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: only-in-a\n',
  });

  await t.test('get workspaces lists A\'s', async (t) => {
    const out = await kubectlOK(B.kubeconfigPath, ['get', 'workspaces', '-o', 'name']);
    for (const ws of ['compute', 'tmc', 'only-in-a']) t.match(out, `workspace.tenancy.kcp.io/${ws}`, ws);
  });

  await t.test('writes through B land in A', async (t) => {
    await kubectlOK(B.kubeconfigPath, ['apply', '-f', '-'], {
      input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata:\n  name: via-b\n---\n'
        + 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: via-b\n  namespace: default\ndata:\n  k: v\n',
    });
    const ws = JSON.parse(await kubectlOK(A.kubeconfigPath, ['get', 'workspace', 'via-b', '-o', 'json']));
    t.equal(ws.metadata.name, 'via-b', 'workspace exists in A');
    const cm = JSON.parse(await kubectlOK(A.kubeconfigPath, ['get', 'configmap', 'via-b', '-n', 'default', '-o', 'json']));
    t.same(cm.data, { k: 'v' }, 'configmap exists in A');
    const local = await request(B.url, credsB, 'GET', '/services/does-not-exist');
    t.equal(local.status, 404, 'non-proxied paths stay local');
    const ver = await request(B.url, credsB, 'GET', '/version');
    t.equal(ver.status, 200);
    t.equal(ver.json.gitVersion, (await request(A.url, credsA, 'GET', '/version')).json.gitVersion, '/version comes from A');
    const health = await request(B.url, { caPem: B.pki.ca.certPem }, 'GET', '/readyz');
    t.equal(health.status, 200, 'health stays local and anonymous');
    const anon = await request(B.url, { caPem: B.pki.ca.certPem }, 'GET', '/clusters/root/api/v1/namespaces');
    t.equal(anon.status, 401, 'B authenticates callers before proxying');
    const foreign = await request(B.url, { ...credsA, caPem: B.pki.ca.certPem }, 'GET', '/clusters/root/api/v1/namespaces');
    t.equal(foreign.status, 401, 'A\'s client certificate is not accepted by B');
  });

  await t.test('get -w through B streams a change made in A', async (t) => {
    await kubectlOK(A.kubeconfigPath, ['create', 'configmap', 'watch-first', '-n', 'default']);
    const child = spawn('kubectl', ['--kubeconfig', B.kubeconfigPath, 'get', 'configmaps', '-n', 'default', '-w', '-o', 'name'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECACHEDIR: join(tmpdir(), `kubecache-${process.pid}`) },
    });
    t.teardown(() => { child.kill('SIGKILL'); });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    await waitFor(`initial list through B (stderr: ${err})`, () => out.includes('configmap/watch-first'), { timeoutMs: 15_000 });
    await kubectlOK(A.kubeconfigPath, ['create', 'configmap', 'watch-second', '-n', 'default']);
    await waitFor(`watch event through B (stderr: ${err})`, () => out.includes('configmap/watch-second'), { timeoutMs: 15_000 });
    t.pass('the event made in A arrived through B\'s watch');
    t.equal(child.exitCode, null, 'the watch is still open');
  });

  await t.test('a quiet watch through B answers at once (headers before the first event)', async (t) => {
    const rv = (await request(B.url, credsB, 'GET', '/clusters/root/api/v1/namespaces/default/configmaps')).json.metadata.resourceVersion;
    const w = openWatch(B.url, credsB, `/clusters/root/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`);
    t.teardown(() => w.stop());
    // without bookmarks nothing is sent until a change: the status must not wait for one
    const status = await Promise.race([w.status, new Promise<number>((r) => setTimeout(() => r(-1), 10_000).unref())]);
    t.equal(status, 200, 'the watch was answered before any event');
    await kubectlOK(A.kubeconfigPath, ['create', 'configmap', 'after-quiet', '-n', 'default']);
    await waitFor('the event after the quiet start', () => w.events.some((e) => e.object?.metadata?.name === 'after-quiet'), { timeoutMs: 15_000 });
  });

  await t.test('errors from A pass through unchanged', async (t) => {
    const viaB = await kubectl(B.kubeconfigPath, ['get', 'configmap', 'nope', '-n', 'default']);
    const viaA = await kubectl(A.kubeconfigPath, ['get', 'configmap', 'nope', '-n', 'default']);
    t.not(viaB.code, 0);
    t.match(viaB.stderr, 'Error from server (NotFound): configmaps "nope" not found');
    t.equal(viaB.stderr, viaA.stderr, 'same kubectl error as against A');
    const path = '/clusters/root/api/v1/namespaces/default/configmaps/nope';
    const rawB = await request(B.url, credsB, 'GET', path);
    const rawA = await request(A.url, credsA, 'GET', path);
    t.equal(rawB.status, 404);
    t.same(rawB.json, rawA.json, 'same Status body');
    t.equal(rawB.headers['content-type'], rawA.headers['content-type'], 'same content type');
  });

  await t.test("kcp's own files through B: schemas, export, endpoint slice, binding", async (t) => {
    const viaB = (ws: string) => ({ server: `${B.url}/clusters/${ws}` });
    await kubectlOK(B.kubeconfigPath, ['apply', '-f', '-'], { input: ['provider-b', 'consumer-b']
      .map((n) => `---\napiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${n}}\n`).join('') });
    await kubectlOK(B.kubeconfigPath, ['wait', '--for=jsonpath={.status.phase}=Ready', 'workspace/provider-b', 'workspace/consumer-b', '--timeout=30s']);
    await kubectlOK(B.kubeconfigPath, ['apply', '-f', join(KCP_FIXTURES, 'topology/apiresourceschema-partitions.topology.kcp.io.yaml'),
      '-f', join(KCP_FIXTURES, 'topology/apiresourceschema-partitionsets.topology.kcp.io.yaml'),
      '-f', join(KCP_FIXTURES, 'topology/apiexport-topology.kcp.io.yaml')], viaB('root:provider-b'));
    let url = '';
    await waitFor('the endpoint slice through B', async () => {
      url = (await kubectl(B.kubeconfigPath, ['get', 'apiexportendpointslice', 'topology.kcp.io', '-o', 'jsonpath={.status.endpoints[0].url}'], viaB('root:provider-b'))).stdout;
      return url !== '';
    }, { timeoutMs: 15_000 });
    t.match(url, new RegExp(`^${A.url}/services/apiexport/[^/]+/topology\\.kcp\\.io$`), 'the slice names the upstream\'s virtual workspace');
    await kubectlOK(B.kubeconfigPath, ['apply', '-f', '-'], { ...viaB('root:consumer-b'),
      input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: topology}\nspec:\n  reference: {export: {path: "root:provider-b", name: topology.kcp.io}}\n' });
    await kubectlOK(B.kubeconfigPath, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/topology', '--timeout=30s'], viaB('root:consumer-b'));
    await waitFor('a Partition created through B', async () => (await kubectl(B.kubeconfigPath, ['apply', '-f', '-'], { ...viaB('root:consumer-b'),
      input: 'apiVersion: topology.kcp.io/v1alpha1\nkind: Partition\nmetadata: {name: eu}\nspec: {selector: {matchLabels: {region: eu}}}\n' })).code === 0);
    const inA = JSON.parse(await kubectlOK(A.kubeconfigPath, ['get', 'partition', 'eu', '-o', 'json'], { server: `${A.url}/clusters/root:consumer-b` }));
    t.same(inA.spec.selector, { matchLabels: { region: 'eu' } }, 'the bound resource, created through B, is in A');
  });

  await t.test('A stopped: B answers 503 naming the upstream', async (t) => {
    await A.stop();
    const raw = await request(B.url, credsB, 'GET', '/clusters/root/api/v1/namespaces');
    t.equal(raw.status, 503);
    t.equal(raw.json?.kind, 'Status');
    t.equal(raw.json?.reason, 'ServiceUnavailable');
    t.match(raw.json?.message, `the upstream kcp at ${A.url} is unavailable`);
    const k = await kubectl(B.kubeconfigPath, ['get', 'namespaces'], { timeoutMs: 30_000 });
    t.not(k.code, 0);
    t.match(k.stderr + k.stdout, A.url, 'kubectl shows the upstream in the error');
    const health = await request(B.url, credsB, 'GET', '/healthz');
    t.equal(health.status, 200, 'B itself stays healthy');
  });
});

t.test('identity: impersonation only when upstream is system:masters; client headers dropped', async (t) => {
  // a fake upstream using A's serving cert, recording what arrives
  const A = await startServer(t);
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const upstream = https.createServer({ key: A.pki.serving.keyPem, cert: A.pki.serving.certPem }, (req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(201, { 'Content-Type': 'application/json', 'X-Upstream': 'yes' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => { upstream.close(() => r()); upstream.closeAllConnections(); }));
  const port = (upstream.address() as { port: number }).port;
  const dir = tempDir(t);

  const front = async (kubeconfig: string) => {
    const proxy = createKcpProxy({ kubeconfig });
    t.teardown(() => proxy.close());
    const srv = http.createServer((req, res) => proxy.handle(req, res, { name: 'alice', groups: ['dev', 'system:authenticated'], uid: 'u1' }));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    t.teardown(() => new Promise<void>((r) => { srv.close(() => r()); srv.closeAllConnections(); }));
    return { proxy, port: (srv.address() as { port: number }).port };
  };
  const send = (p: number, path: string) => new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: p, path, method: 'POST', headers: {
      Authorization: 'Bearer client-token', 'Impersonate-User': 'mallory', 'Impersonate-Group': 'system:masters', 'Content-Type': 'application/json',
    } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end('{"x":1}');
  });

  await t.test('system:masters client certificate: callers are impersonated', async (t) => {
    const kc = join(dir, 'masters.kubeconfig');
    await writeKubeconfig(kc, { server: `https://127.0.0.1:${port}/clusters/root:org`, caPem: A.pki.ca.certPem, clientCertPem: A.pki.admin.certPem, clientKeyPem: A.pki.admin.keyPem });
    const { proxy, port: p } = await front(kc);
    t.equal(proxy.upstream, `https://127.0.0.1:${port}`, 'the kubeconfig path is stripped');
    t.ok(proxy.impersonates);
    t.notMatch(proxy.identity, 'PRIVATE KEY');
    seen.length = 0;
    const r = await send(p, '/api/v1/namespaces?limit=1');
    t.equal(r.status, 201, 'status preserved');
    t.equal(r.headers['x-upstream'], 'yes', 'headers preserved');
    t.equal(r.body, '{"ok":true}');
    t.equal(seen[0].url, '/clusters/root/api/v1/namespaces?limit=1', 'no /clusters/ → /clusters/root, query kept');
    t.equal(seen[0].headers['impersonate-user'], 'alice');
    t.equal(seen[0].headers['impersonate-group'], 'dev, system:authenticated');
    t.equal(seen[0].headers['impersonate-uid'], 'u1');
    t.equal(seen[0].headers.authorization, undefined, 'the client\'s Authorization is not forwarded');
    await send(p, '/clusters/root:org/apis/x/v1/ys');
    t.equal(seen[1].url, '/clusters/root:org/apis/x/v1/ys', '/clusters/ paths kept as they are');
  });

  await t.test('bearer token: requests run as the kubeconfig identity', async (t) => {
    const kc = join(dir, 'token.kubeconfig');
    await writeKubeconfig(kc, { server: `https://127.0.0.1:${port}`, caPem: A.pki.ca.certPem, token: 'upstream-token' });
    const { proxy, port: p } = await front(kc);
    t.notOk(proxy.impersonates);
    t.equal(proxy.identity, 'bearer token');
    seen.length = 0;
    await send(p, '/version');
    t.equal(seen[0].url, '/version', '/version goes to the root of the upstream');
    t.equal(seen[0].headers.authorization, 'Bearer upstream-token');
    t.equal(seen[0].headers['impersonate-user'], undefined, 'the client\'s Impersonate-User is dropped');
    t.equal(seen[0].headers['impersonate-group'], undefined);
  });

  t.equal(upstreamPath('/apis?x=1', 'root'), '/clusters/root/apis?x=1');
});
