/**
 * Workspace discovery for the in-process syncers: one wildcard APIBinding informer
 * (`/clusters/*`, system:masters only) picks a newly bound workspace up at once; where wildcard
 * reads are refused it falls back to walking the tree. Also the server's rules for `/clusters/*`.
 */
import t from 'tap';
import { HttpTransport } from '../../src/client/http-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import { BoundWorkspaces, COMPUTE_EXPORT } from '../../src/syncer/upstream/workspaces.js';
import { request, type Creds } from '../helpers/http.js';
import { startServer } from '../helpers/tmc.js';
import { bind, createWorkspace } from './harness.js';
import { waitFor } from '../helpers/wait.js';

t.test('/clusters/* on the server: system:masters, list and watch only', async (t) => {
  const srv = await startServer(t, {}, { components: [] });
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const alice: Creds = { caPem: srv.pki.ca.certPem, token: srv.tokens.issue('alice', ['dev']) };
  const rootClient = new KubeClient(httpTransportFromKubeConfig({ file: srv.kubeconfigPath, basePath: '' }));
  const a = await createWorkspace(rootClient, 'root:a');
  const b = await createWorkspace(rootClient, 'root:b');
  await bind(a, 'kubernetes', 'root:compute', 'kubernetes');
  await bind(b, 'tmc', 'root:tmc', 'tmc.kcp.io');

  const list = await request(srv.url, admin, 'GET', '/clusters/*/apis/apis.kcp.io/v1alpha1/apibindings');
  t.equal(list.status, 200);
  t.same(list.json.items.map((o: { metadata: { annotations: Record<string, string>; name: string } }) => `${o.metadata.annotations['kcp.io/path']}/${o.metadata.name}`).sort(),
    ['root:a/kubernetes', 'root:b/tmc'], 'objects of every workspace, each with its kcp.io/path');
  const denied = await request(srv.url, alice, 'GET', '/clusters/*/apis/apis.kcp.io/v1alpha1/apibindings');
  t.equal(denied.status, 403);
  t.match(denied.json.message, /system:masters only/);
  const get = await request(srv.url, admin, 'GET', '/clusters/*/apis/apis.kcp.io/v1alpha1/apibindings/kubernetes');
  t.equal(get.status, 405);
  t.equal(get.json.reason, 'MethodNotAllowed');
  const create = await request(srv.url, admin, 'POST', '/clusters/*/api/v1/namespaces', { metadata: { name: 'x' } });
  t.equal(create.status, 405, 'no writes across workspaces');
  t.equal((await request(srv.url, admin, 'GET', '/clusters/*/api/v1')).status, 200, 'discovery is served');
  t.equal((await request(srv.url, admin, 'GET', '/clusters/*/openapi/v3')).status, 404, 'OpenAPI is per workspace');
});

t.test('BoundWorkspaces: a wildcard informer for masters, the tree walk otherwise', async (t) => {
  const srv = await startServer(t, {}, { components: [] });
  const rootClient = new KubeClient(httpTransportFromKubeConfig({ file: srv.kubeconfigPath, basePath: '' }));
  const a = await createWorkspace(rootClient, 'root:a');
  await bind(a, 'kubernetes', 'root:compute', 'kubernetes');

  const watched = new BoundWorkspaces(rootClient, COMPUTE_EXPORT, { intervalMs: 3_600_000 });
  t.teardown(() => watched.stop());
  await watched.start();
  t.equal(watched.mode(), 'watch');
  t.same(watched.current(), ['root:a']);
  const changes: string[][] = [];
  watched.onChange((ws) => changes.push(ws));

  // a tenant bound after start appears without waiting for any poll (the interval is an hour)
  const b = await createWorkspace(rootClient, 'root:b');
  await bind(b, 'kubernetes', 'root:compute', 'kubernetes');
  await bind(b, 'tmc', 'root:tmc', 'tmc.kcp.io');
  await waitFor('root:b discovered', async () => watched.current().includes('root:b'), { timeoutMs: 5_000 });
  t.same(watched.current(), ['root:a', 'root:b']);
  await b.delete({ group: 'apis.kcp.io', version: 'v1alpha1', resource: 'apibindings' }, undefined, 'kubernetes');
  await waitFor('root:b gone', async () => !watched.current().includes('root:b'), { timeoutMs: 5_000 });
  t.same(changes.at(-1), ['root:a'], 'unbinding removes it; the tmc binding alone does not count for compute');

  // someone who may not read across workspaces falls back to the walk (a token user with RBAC in the tree)
  const token = srv.tokens.issue('walker', ['system:masters-not']);
  const limited = new KubeClient(new HttpTransport({ server: srv.url, ca: srv.pki.ca.certPem, headers: { authorization: `Bearer ${token}` } }));
  const polled = new BoundWorkspaces(limited, COMPUTE_EXPORT, { intervalMs: 3_600_000 });
  t.teardown(() => polled.stop());
  await polled.start();
  t.equal(polled.mode(), 'poll', 'a refused wildcard list means the periodic walk');
});
