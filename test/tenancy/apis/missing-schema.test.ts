/**
 * kcp's rule for a binding whose export names APIResourceSchemas that do not exist: the binding
 * stays phase Binding with InitialBindingCompleted and Ready False and APIExportValid False naming
 * the missing schema, nothing is served, and it completes once the schema appears.
 */
import t from 'tap';
import { HttpTransport } from '../../../src/client/http-transport.js';
import { KubeClient } from '../../../src/client/kube-client.js';
import { startServer } from '../../helpers/tmc.js';

import { API_BINDINGS as BINDINGS, API_EXPORTS as EXPORTS, API_RESOURCE_SCHEMAS as SCHEMAS, WORKSPACES } from '../../../src/apis/gvr.js';
import { waitFor } from '../../helpers/wait.js';

const WIDGETS = { group: 'example.com', version: 'v1', resource: 'widgets' };

t.test('a binding to an export with a missing schema waits in Binding and completes when it appears', async (t) => {
  const srv = await startServer(t);
  const transport = new HttpTransport({ server: srv.url, ca: srv.pki.ca.certPem, cert: srv.pki.admin.certPem, key: srv.pki.admin.keyPem });
  t.teardown(() => transport.close());
  const root = new KubeClient(transport).forCluster('root');
  for (const name of ['provider', 'consumer']) {
    await root.create(WORKSPACES, undefined, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } });
  }
  const provider = new KubeClient(transport).forCluster('root:provider');
  const consumer = new KubeClient(transport).forCluster('root:consumer');
  await waitFor('consumer workspace', async () => consumer.list(BINDINGS).then(() => true, () => false), { timeoutMs: 15_000 });

  await provider.create(EXPORTS, undefined, { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExport', metadata: { name: 'widgets' }, spec: { latestResourceSchemas: ['v1.widgets.example.com'] } });
  await consumer.create(BINDINGS, undefined, { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name: 'widgets' }, spec: { reference: { export: { path: 'root:provider', name: 'widgets' } } } });

  const cond = (b: any, type: string) => (b.status?.conditions ?? []).find((c: any) => c.type === type);
  let waiting: any;
  await waitFor('APIExportValid=False', async () => {
    waiting = await consumer.get(BINDINGS, undefined, 'widgets');
    return cond(waiting, 'APIExportValid')?.status === 'False' && cond(waiting, 'APIExportValid')?.reason === 'APIResourceSchemaNotFound';
  }, { timeoutMs: 15_000 });
  t.equal(waiting.status.phase, 'Binding');
  t.match(cond(waiting, 'APIExportValid').message, /v1\.widgets\.example\.com/, 'the missing schema is named');
  t.equal(cond(waiting, 'InitialBindingCompleted')?.status, 'False');
  t.equal(cond(waiting, 'Ready')?.status, 'False');
  await t.rejects(consumer.list(WIDGETS), { code: 404 }, 'nothing is served while the schema is missing');

  await provider.create(SCHEMAS, undefined, {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIResourceSchema', metadata: { name: 'v1.widgets.example.com' },
    spec: { group: 'example.com', scope: 'Cluster', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }] },
  });
  let bound: any;
  await waitFor('Bound', async () => {
    bound = await consumer.get(BINDINGS, undefined, 'widgets');
    return bound.status?.phase === 'Bound';
  }, { timeoutMs: 15_000 });
  t.equal(cond(bound, 'APIExportValid')?.status, 'True');
  t.equal(cond(bound, 'InitialBindingCompleted')?.status, 'True');
  t.equal(cond(bound, 'Ready')?.status, 'True');
  await consumer.list(WIDGETS);
  t.pass('widgets are served once the schema exists');
});
