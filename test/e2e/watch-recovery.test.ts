/**
 * Every component of the server that keeps a view through the shared store informers recovers from
 * a lost watch: an object deleted while the store's watches were closed (and the history compacted
 * meanwhile, so the informers must relist after a 410) is removed from the component's view once
 * they recover; and a handler that throws on every event of the same informers does not stop the
 * component from following later changes. One server for all; the simulator's status loop (cluster
 * mode) is in simulator-watch-recovery.test.ts.
 */
import t from 'tap';
import { CRD_RESOURCE } from '../../src/registry/crd-source.js';
import { request, type Creds } from '../helpers/http.js';
import { startRecoveryServer, whileWatchesDown } from '../helpers/watch-recovery.js';
import { waitFor } from '../helpers/wait.js';

const RBAC = 'rbac.authorization.k8s.io';
const { srv, store, admin, thrown } = await startRecoveryServer(t, {
  throwingOn: [
    `${RBAC}/rolebindings`, CRD_RESOURCE, 'tenancy.kcp.io/workspaces', 'namespaces', 'serviceaccounts', 'secrets',
    'apis.kcp.io/apibindings', 'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  ],
});
const as = (creds: Creds) => (method: string, path: string, body?: unknown) => request(srv.url, creds, method, path, body);
const api = as(admin);
const expired = { expired: true };

async function created(path: string, body: unknown): Promise<void> {
  const r = await api('POST', path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.text}`);
}
const status = async (path: string, creds: Creds = admin) => (await request(srv.url, creds, 'GET', path)).status;

t.test('RBAC authorizer', async (t) => {
  const rb = `/clusters/root/apis/${RBAC}/v1/namespaces/default`;
  const cms = '/clusters/root/api/v1/namespaces/default/configmaps';
  await created(`${rb}/roles`, { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] });
  const binding = (name: string, user: string) => ({
    apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { name },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm-reader' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: user }],
  });
  const alice: Creds = { caPem: admin.caPem, token: srv.tokens.issue('alice', []) };
  const bob: Creds = { caPem: admin.caPem, token: srv.tokens.issue('bob', []) };
  await created(`${rb}/rolebindings`, binding('alice-read', 'alice'));
  await waitFor('alice allowed', async () => (await status(cms, alice)) === 200);
  await whileWatchesDown(store, async () => { t.equal((await api('DELETE', `${rb}/rolebindings/alice-read`)).status, 200); }, expired);
  await waitFor('alice denied after recovery', async () => (await status(cms, alice)) === 403);
  await created(`${rb}/rolebindings`, binding('bob-read', 'bob'));
  await waitFor('bob allowed', async () => (await status(cms, bob)) === 200);
  t.pass('a RoleBinding deleted while down is revoked; a new one is granted beside a throwing handler');
});

t.test('CRD source', async (t) => {
  const crd = (plural: string) => ({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.recovery.example.com` },
    spec: { group: 'recovery.example.com', scope: 'Namespaced', names: { plural, singular: plural.slice(0, -1), kind: plural[0].toUpperCase() + plural.slice(1, -1) },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
  });
  const crds = '/clusters/root/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const list = (plural: string) => `/clusters/root/apis/recovery.example.com/v1/namespaces/default/${plural}`;
  await created(crds, crd('gizmos'));
  await waitFor('gizmos served', async () => (await status(list('gizmos'))) === 200);
  await whileWatchesDown(store, async () => { t.equal((await api('DELETE', `${crds}/gizmos.recovery.example.com`)).status, 200); }, expired);
  await waitFor('gizmos no longer served', async () => (await status(list('gizmos'))) === 404);
  await created(crds, crd('doohickeys'));
  await waitFor('doohickeys served', async () => (await status(list('doohickeys'))) === 200);
  t.pass('a CRD deleted while down stops being served; a new one is served');
});

t.test('logical clusters', async (t) => {
  const workspaces = '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces';
  const inside = (name: string) => `/clusters/root:${name}/api/v1/namespaces`;
  const ws = (name: string) => ({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } });
  await created(workspaces, ws('ephemeral'));
  await waitFor('root:ephemeral served', async () => (await status(inside('ephemeral'))) === 200);
  // gone from storage at once (an API delete would wait for the cascade, which runs after recovery)
  await whileWatchesDown(store, async () => {
    await store.delete({ cluster: 'root', resource: 'tenancy.kcp.io/workspaces', namespace: '', name: 'ephemeral' });
  }, expired);
  await waitFor('root:ephemeral no longer served', async () => (await status(inside('ephemeral'))) === 404);
  await created(workspaces, ws('fresh'));
  await waitFor('root:fresh served', async () => (await status(inside('fresh'))) === 200);
  t.pass('a workspace deleted while down is gone; a new one is served');
});

t.test('namespace lifecycle', async (t) => {
  const nss = '/clusters/root/api/v1/namespaces';
  await created(nss, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  await created(`${nss}/doomed/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inside' } });
  await whileWatchesDown(store, async () => { t.equal((await api('DELETE', `${nss}/doomed`)).status, 200); }, expired);
  await waitFor('namespace emptied and gone', async () => (await status(`${nss}/doomed`)) === 404);
  t.equal((await api('GET', `${nss}/doomed/configmaps`)).json.items.length, 0, 'its contents are gone');
  await created(nss, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh-ns' } });
  const defaultSA = `${nss}/fresh-ns/serviceaccounts/default`;
  await waitFor('the new namespace gets its default ServiceAccount', async () => (await status(defaultSA)) === 200);
  // a deletion, not an update: only the relist's delete event tells the controller it is gone
  await whileWatchesDown(store, async () => { t.equal((await api('DELETE', defaultSA)).status, 200); }, expired);
  await waitFor('the default ServiceAccount deleted while down is recreated', async () => (await status(defaultSA)) === 200);
  t.pass('a namespace deleted while down is emptied and removed; a new one gets its ServiceAccount, again after it was deleted while down');
});

t.test('API bindings', async (t) => {
  const workspaces = '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces';
  for (const name of ['rprovider', 'rconsumer']) await created(workspaces, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } });
  const apis = (ws: string, resource: string) => `/clusters/root:${ws}/apis/apis.kcp.io/v1alpha1/${resource}`;
  await waitFor('workspaces ready', async () => (await status(apis('rprovider', 'apiexports'))) === 200 && (await status(apis('rconsumer', 'apibindings'))) === 200);
  await created(apis('rprovider', 'apiresourceschemas'), {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIResourceSchema', metadata: { name: 'v1.widgets.recovery.example.com' },
    spec: { group: 'recovery.example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }] },
  });
  await created(apis('rprovider', 'apiexports'), { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExport', metadata: { name: 'widgets' }, spec: { latestResourceSchemas: ['v1.widgets.recovery.example.com'] } });
  const binding = (name: string) => ({ apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name }, spec: { reference: { export: { path: 'root:rprovider', name: 'widgets' } } } });
  const widgets = '/clusters/root:rconsumer/apis/recovery.example.com/v1/namespaces/default/widgets';
  await created(apis('rconsumer', 'apibindings'), binding('first'));
  await waitFor('widgets served', async () => (await status(widgets)) === 200);
  await whileWatchesDown(store, async () => { t.equal((await api('DELETE', `${apis('rconsumer', 'apibindings')}/first`)).status, 200); }, expired);
  await waitFor('widgets no longer served', async () => (await status(widgets)) === 404);
  await created(apis('rconsumer', 'apibindings'), binding('second'));
  await waitFor('widgets served again', async () => (await status(widgets)) === 200);
  t.pass('a binding deleted while down stops serving; a new one serves');
});

t.test('service-account tokens', async (t) => {
  const ns = '/clusters/root/api/v1/namespaces/default';
  await created(`${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } });
  const tokenSecret = (name: string) => ({
    apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token',
    metadata: { name, annotations: { 'kubernetes.io/service-account.name': 'robot' } },
  });
  const tokenOf = async (name: string) => {
    let token = '';
    await waitFor(`${name} gets a token`, async () => {
      token = (await api('GET', `${ns}/secrets/${name}`)).json?.data?.token ?? '';
      return token !== '';
    });
    return { caPem: admin.caPem, token: Buffer.from(token, 'base64').toString('utf8') };
  };
  const probe = `${ns}/configmaps`;
  await created(`${ns}/secrets`, tokenSecret('robot-token'));
  const first = await tokenOf('robot-token');
  await waitFor('the token authenticates (403, not 401)', async () => (await status(probe, first)) === 403);
  await whileWatchesDown(store, async () => { t.equal((await api('DELETE', `${ns}/secrets/robot-token`)).status, 200); }, expired);
  await waitFor('the token is revoked (401)', async () => (await status(probe, first)) === 401);
  await created(`${ns}/secrets`, tokenSecret('robot-token-2'));
  const second = await tokenOf('robot-token-2');
  await waitFor('a new token authenticates', async () => (await status(probe, second)) === 403);
  t.pass('a token Secret deleted while down is revoked; a new one is issued and accepted');
});

t.test('admission watch cache (ValidatingAdmissionPolicy bindings)', async (t) => {
  const adm = '/clusters/root/apis/admissionregistration.k8s.io/v1';
  await created(`${adm}/validatingadmissionpolicies`, {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'no-denied' },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
      validations: [{ expression: "!has(object.metadata.labels) || !('denied' in object.metadata.labels)", message: 'denied by test policy' }],
    },
  });
  const binding = (name: string) => ({
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name },
    spec: { policyName: 'no-denied', validationActions: ['Deny'] },
  });
  let n = 0;
  const tryCreate = async () => (await api('POST', '/clusters/root/api/v1/namespaces/default/configmaps',
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `labelled-${n++}`, labels: { denied: 'yes' } } })).status;
  await created(`${adm}/validatingadmissionpolicybindings`, binding('first'));
  await waitFor('the policy denies', async () => (await tryCreate()) !== 201);
  await whileWatchesDown(store, async () => { t.equal((await api('DELETE', `${adm}/validatingadmissionpolicybindings/first`)).status, 200); }, expired);
  await waitFor('the policy no longer applies', async () => (await tryCreate()) === 201);
  await created(`${adm}/validatingadmissionpolicybindings`, binding('second'));
  await waitFor('the policy denies again', async () => (await tryCreate()) !== 201);
  t.pass('a policy binding deleted while down stops applying; a new one applies');
});

t.test('the throwing handlers did throw', async (t) => {
  t.ok(thrown() > 0, `${thrown()} handler failures, none fatal`);
});
