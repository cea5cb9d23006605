import t from 'tap';
import { HttpTransport } from '../../src/client/http-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { exportVirtualWorkspaceURL } from '../../src/client/export-endpoint.js';
import { FakeApiServer, sendJson, statusBody } from './fake-api-server.js';

const SLICE = '/clusters/root:tmc/apis/apis.kcp.io/v1alpha1/apiexportendpointslices/tmc.kcp.io';
const EXPORT = '/clusters/root:tmc/apis/apis.kcp.io/v1alpha1/apiexports/tmc.kcp.io';
const VW = 'https://shard-1:6443/services/apiexport/2x8ka/tmc.kcp.io';

async function setup(t: { teardown(fn: () => Promise<void>): void }, respond: FakeApiServer['respond']) {
  const server = new FakeApiServer(respond);
  const url = await server.start();
  const transport = new HttpTransport({ server: `${url}/clusters/root:tmc` });
  t.teardown(async () => { transport.close(); await server.close(); });
  return { server, workspace: new KubeClient(transport) };
}

const notFound = (res: Parameters<FakeApiServer['respond']>[1]) => sendJson(res, 404, statusBody(404, 'NotFound', 'not found'));

t.test('the URL comes from the slice, once it has an endpoint', async (t) => {
  let calls = 0;
  const { server, workspace } = await setup(t, (req, res) => {
    if (req.path !== SLICE) return notFound(res);
    calls++;
    sendJson(res, 200, { kind: 'APIExportEndpointSlice', metadata: { name: 'tmc.kcp.io' }, status: calls < 3 ? {} : { endpoints: [{ url: VW }] } });
  });
  t.equal(await exportVirtualWorkspaceURL(workspace, 'tmc.kcp.io', { intervalMs: 10 }), VW, 'polled until the endpoint appeared');
  t.equal(server.requests.length, 3);
});

t.test('a slice of another name', async (t) => {
  const { workspace } = await setup(t, (req, res) => (req.path.endsWith('/apiexportendpointslices/mine')
    ? sendJson(res, 200, { status: { endpoints: [{ url: VW }] } }) : notFound(res)));
  t.equal(await exportVirtualWorkspaceURL(workspace, 'tmc.kcp.io', { sliceName: 'mine', intervalMs: 10 }), VW);
});

t.test('an older kcp without slices: the deprecated APIExport.status.virtualWorkspaces', async (t) => {
  const { workspace } = await setup(t, (req, res) => (req.path === EXPORT
    ? sendJson(res, 200, { status: { virtualWorkspaces: [{ url: VW }] } }) : notFound(res)));
  t.equal(await exportVirtualWorkspaceURL(workspace, 'tmc.kcp.io', { intervalMs: 10 }), VW);
});

t.test('gives up after the timeout, naming what is missing', async (t) => {
  const { workspace } = await setup(t, (_req, res) => notFound(res));
  await t.rejects(exportVirtualWorkspaceURL(workspace, 'tmc.kcp.io', { intervalMs: 10, timeoutMs: 50 }), /APIExport tmc\.kcp\.io does not exist/);
});

t.test('a refusal is reported, not mistaken for a missing slice', async (t) => {
  const { workspace } = await setup(t, (_req, res) => sendJson(res, 403, statusBody(403, 'Forbidden', 'User "x" cannot get resource "apiexportendpointslices"')));
  await t.rejects(exportVirtualWorkspaceURL(workspace, 'tmc.kcp.io', { intervalMs: 10, timeoutMs: 50 }), /cannot get resource "apiexportendpointslices"/);
});
