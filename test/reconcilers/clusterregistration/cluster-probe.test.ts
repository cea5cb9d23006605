import t from 'tap';
import { HttpTransport } from '../../../src/client/http-transport.js';
import { KubeClient } from '../../../src/client/kube-client.js';
import { probeCluster } from '../../../src/reconcilers/clusterregistration/cluster-probe.js';
import { FakeApiServer, sendJson, statusBody } from '../../client/fake-api-server.js';

const KEY = 'Abc12345';

function clusterResponder(opts: { versionStatus?: number } = {}) {
  return (req: { path: string; query: URLSearchParams }, res: import('node:http').ServerResponse) => {
    if (req.path === '/version') {
      if (opts.versionStatus) return sendJson(res, opts.versionStatus, statusBody(opts.versionStatus, opts.versionStatus === 401 ? 'Unauthorized' : 'Forbidden', 'no'));
      return sendJson(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.1' });
    }
    if (req.path === '/api') return sendJson(res, 200, { versions: ['v1'] });
    if (req.path === '/apis') return sendJson(res, 200, { groups: [{ name: 'apps', versions: [{ version: 'v1' }], preferredVersion: { version: 'v1' } }] });
    if (req.path === '/api/v1') return sendJson(res, 200, { resources: [{ name: 'services', kind: 'Service', namespaced: true }, { name: 'nodes', kind: 'Node', namespaced: false }] });
    if (req.path === '/apis/apps/v1') return sendJson(res, 200, { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }, { name: 'deployments/status', kind: 'Deployment', namespaced: true }] });
    if (req.path === '/api/v1/nodes') {
      return sendJson(res, 200, { metadata: {}, items: [1, 2].map((i) => ({ metadata: { name: `n${i}` }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } })) });
    }
    if (req.path === '/api/v1/namespaces') {
      const sel = req.query.get('labelSelector');
      return sendJson(res, 200, { metadata: {}, items: sel === `tmc.kcp.io/cluster-key=${KEY}` ? [{ metadata: { name: 'tmc-ns1' } }] : [] });
    }
    if (req.path === '/apis/apps/v1/deployments') {
      const d = (ns: string, replicas: number) => ({ metadata: { name: 'web', namespace: ns }, spec: { replicas, template: { spec: { containers: [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }] } } } });
      return sendJson(res, 200, { metadata: {}, items: [d('tmc-ns1', 2), d('someone-else', 5)] });
    }
    if (req.path === '/apis/apps/v1/statefulsets') return sendJson(res, 404, statusBody(404, 'NotFound', 'not served'));
    sendJson(res, 404, statusBody(404, 'NotFound', req.path));
  };
}

async function probeWith(t: { teardown(fn: () => unknown): void }, opts: { versionStatus?: number } = {}) {
  const server = new FakeApiServer(clusterResponder(opts));
  const url = await server.start();
  t.teardown(() => server.close());
  const transport = new HttpTransport({ server: url, requestTimeoutMs: 2000 });
  t.teardown(() => transport.close());
  return { result: await probeCluster(new KubeClient(transport), { clusterKey: KEY, now: () => 0 }), server };
}

t.test('a healthy cluster: version, node sums, allocated from TMC namespaces only, preferred resources', async (t) => {
  const { result } = await probeWith(t);
  if (result.kind !== 'healthy') return t.fail(`unexpected ${JSON.stringify(result)}`);
  t.equal(result.facts.kubernetesVersion, 'v1.32.1');
  t.equal(result.facts.nodeCount, 2);
  t.same(result.facts.capacity, { cpu: '8', memory: '16Gi', pods: '220' });
  t.same(result.facts.allocated, { cpu: '200m', memory: '128Mi', pods: '2' }, 'someone-else\'s deployment does not count');
  t.same(result.facts.apiResources.map((r) => `${r.group}/${r.resource}`), ['/nodes', '/services', 'apps/deployments']);
});

t.test('401 and 403 are classified as unauthorized with their reason', async (t) => {
  t.match((await probeWith(t, { versionStatus: 401 })).result, { kind: 'unauthorized', reason: 'Unauthorized' });
  t.match((await probeWith(t, { versionStatus: 403 })).result, { kind: 'unauthorized', reason: 'Forbidden' });
});

t.test('a closed port is unreachable', async (t) => {
  const server = new FakeApiServer(() => {});
  const url = await server.start();
  await server.close();
  const transport = new HttpTransport({ server: url, requestTimeoutMs: 500 });
  t.teardown(() => transport.close());
  const result = await probeCluster(new KubeClient(transport), { clusterKey: KEY, now: () => 0 });
  t.equal(result.kind, 'unreachable');
  t.match((result as { message: string }).message, /cannot reach the cluster/);
});

t.test('a server that accepts but never answers is unreachable after the request timeout', async (t) => {
  const server = new FakeApiServer(() => { /* hang, like a SIGSTOPped process */ });
  const url = await server.start();
  t.teardown(() => server.close());
  const transport = new HttpTransport({ server: url, requestTimeoutMs: 200 });
  t.teardown(() => transport.close());
  const result = await probeCluster(new KubeClient(transport), { clusterKey: KEY, now: () => 0 });
  t.equal(result.kind, 'unreachable');
  t.match((result as { message: string }).message, /timed out/);
});
