/**
 * Memory per empty workspace (issue 13): what the server keeps grows with the number of workspaces
 * only where it must (one logical cluster, and the four objects every workspace has: its
 * Workspace, LogicalCluster, `default` Namespace and `default` ServiceAccount, each kept by its
 * shared informer as a small view), and nothing else grows, even after requests to every
 * workspace: no catalog index, discovery or OpenAPI documents of its own. Read through the
 * server's memoryStats, so a change that keeps something per workspace fails here, and the size of
 * what the informers keep per workspace is checked against a budget.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const N = 40;
const PER_WORKSPACE = ['tenancy.kcp.io/workspaces', 'core.kcp.io/logicalclusters', 'namespaces', 'serviceaccounts'];
/** JSON bytes of the four views of one workspace; the whole objects are ~3 800. */
const VIEW_BUDGET = 1_500;

t.test('empty workspaces cost one logical cluster and four small informer views each, nothing more', async (t) => {
  const srv = await startServer(t, { storage: 'sqlite' });
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const before = srv.memoryStats();

  const refused: string[] = [];
  for (let i = 0; i < N; i++) {
    const r = await request(srv.url, admin, 'POST', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces',
      { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: `w${i}` } });
    if (r.status !== 201) refused.push(`w${i}: ${r.status} ${r.text}`);
  }
  t.same(refused, [], `${N} workspaces created`);
  // the workspace controller, then the namespace controller, make each workspace's objects
  const after = await waitFor('every workspace\'s LogicalCluster, default Namespace and ServiceAccount', () => {
    const s = srv.memoryStats();
    return PER_WORKSPACE.every((r) => s.informerObjects[r] - (before.informerObjects[r] ?? 0) === N) && s;
  });
  // what a client does first in a workspace: discovery, OpenAPI, a list
  const failed: string[] = [];
  for (let i = 0; i < N; i++) {
    for (const path of ['/api', '/apis', '/api/v1', '/openapi/v3', '/api/v1/namespaces/default/configmaps']) {
      const r = await request(srv.url, admin, 'GET', `/clusters/root:w${i}${path}`);
      if (r.status !== 200) failed.push(`GET ${path} in w${i}: ${r.status}`);
    }
  }
  t.same(failed, [], 'discovery, OpenAPI and a list answered in every workspace');
  const used = srv.memoryStats();

  t.equal(after.logicalClusters - before.logicalClusters, N, 'one logical cluster per workspace');
  t.equal(used.catalogIndexes, before.catalogIndexes, 'no catalog index (nor discovery or OpenAPI documents) of their own: they serve only the built-ins');
  for (const [resource, count] of Object.entries(used.informerObjects)) {
    const growth = count - (before.informerObjects[resource] ?? 0);
    t.equal(growth, PER_WORKSPACE.includes(resource) ? N : 0, `${resource}: ${PER_WORKSPACE.includes(resource) ? 'one' : 'none'} kept per workspace`);
  }

  const kept = (resource: string, cluster: string, namespace: string | undefined, name: string) => srv.informers.informer(resource).get(cluster, namespace, name);
  const cluster = `root:w${N - 1}`;
  const views = [
    kept('tenancy.kcp.io/workspaces', 'root', undefined, `w${N - 1}`),
    kept('core.kcp.io/logicalclusters', cluster, undefined, 'cluster'),
    kept('namespaces', cluster, undefined, 'default'),
    kept('serviceaccounts', cluster, 'default', 'default'),
  ];
  t.ok(views.every((v) => v !== undefined), 'the four views of the last workspace are kept');
  const bytes = views.reduce((n, v) => n + JSON.stringify(v ?? {}).length, 0);
  t.ok(bytes <= VIEW_BUDGET, `the four views of a workspace take ${bytes} JSON bytes (budget ${VIEW_BUDGET})`);
  t.notOk(views.some((v) => v?.metadata.managedFields), 'no managed fields kept');
});
