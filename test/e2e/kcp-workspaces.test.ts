/**
 * kcp's workspace behaviours beyond the basic contract (test/e2e/workspaces.test.ts has that), on one
 * server through the real kubectl and plain HTTPS: WorkspaceType initializers and the Initializing
 * phase (and the initializingworkspaces virtual workspace, with client-node), home workspaces named as kcp names them, the
 * service-account token's `authentication.kcp.io/cluster-name`, the deletion cascade for resources
 * no longer served, WorkloadPlacement's `locationWorkspace` as a path.
 */
import t from 'tap';
import * as k8s from '@kubernetes/client-node';
import { request, type Creds } from '../helpers/http.js';
import { kubectl, kubectlOK, startServer, tempDir } from '../helpers/tmc.js';
import { homeClusterName } from '../../src/tenancy/logical-clusters.js';
import type { KubeObject } from '../../src/storage/types.js';
import { waitFor } from '../helpers/wait.js';
import { writeKubeconfig } from '../../src/security/kubeconfig.js';
import { join } from 'node:path';

t.test('kcp workspaces', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const create = async (parent: string, name: string, spec = '') => {
    await kubectlOK(kc, ['create', '-f', '-'], { server: at(parent), input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${name}}\n${spec}` });
  };
  const served = (path: string) => waitFor(`${path} served`, async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at(path) })).code === 0, { timeoutMs: 10_000 });
  const getJSON = async (server: string, ...what: string[]) => JSON.parse(await kubectlOK(kc, ['get', ...what, '-o', 'json'], { server }));

  await t.test('WorkspaceType initializers hold a new workspace in Initializing until each is removed', async (t) => {
    const type = (name: string, spec: string) => `apiVersion: tenancy.kcp.io/v1alpha1\nkind: WorkspaceType\nmetadata: {name: ${name}}\nspec: ${spec}\n`;
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root'), input: type('init-parent', '{initializer: true, extend: {with: [{name: universal, path: root}]}}') });
    await create('root', 'types');
    await served('root:types');
    const typesName = (await getJSON(at('root'), 'workspace', 'types')).spec.cluster as string;
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:types'), input: type('init-child', '{initializer: true, extend: {with: [{name: init-parent, path: root}]}}') });
    const mine = `${typesName}:init-child`;
    const expected = [mine, 'root:init-parent'];
    await waitFor('a workspace of type init-child', async () => (await kubectl(kc, ['create', '-f', '-'], { server: at('root:types'), input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: w1}\nspec: {type: {name: init-child, path: "root:types"}}\n' })).code === 0, { timeoutMs: 10_000 });

    const ws = await getJSON(at('root:types'), 'workspace', 'w1');
    t.equal(ws.status.phase, 'Initializing');
    t.equal(ws.metadata.labels['tenancy.kcp.io/phase'], 'Initializing');
    t.same(ws.status.initializers, expected, "the type's and the extended type's initializers, named <type's logical cluster>:<type>");
    t.match(ws.status.conditions, [{ type: 'Ready', status: 'False' }, { type: 'WorkspaceInitialized', status: 'False', reason: 'InitializerExists' }]);
    t.match(await kubectlOK(kc, ['get', 'ws', '-l', 'tenancy.kcp.io/phase=Initializing'], { server: at('root:types') }), /^w1\s+init-child\s+Initializing\s/m);
    const lc = await waitFor('the LogicalCluster', async () => {
      const r = await kubectl(kc, ['get', 'logicalcluster', 'cluster', '-o', 'json'], { server: at('root:types:w1') });
      return r.code === 0 && JSON.parse(r.stdout);
    }, { timeoutMs: 10_000 });
    t.same(lc.spec.initializers, expected);
    t.same(lc.status.initializers, expected);
    t.equal(lc.status.phase, 'Initializing');

    // an initializer's controller (not an admin) may remove only; nothing may be added or go back
    const ctl: Creds = { caPem: srv.pki.ca.certPem, token: srv.tokens.issue('initializer-bot') };
    await kubectlOK(kc, ['create', 'clusterrole', 'initialize', '--verb=get,list,watch,patch,update', '--resource=logicalclusters.core.kcp.io,logicalclusters.core.kcp.io/status'], { server: at('root:types:w1') });
    await kubectlOK(kc, ['create', 'clusterrolebinding', 'initialize', '--clusterrole=initialize', '--user=initializer-bot'], { server: at('root:types:w1') });
    const lcStatus = '/clusters/root:types:w1/apis/core.kcp.io/v1alpha1/logicalclusters/cluster/status';
    const mergePatch = { 'Content-Type': 'application/merge-patch+json' };
    const grow = await waitFor('the RBAC grant', async () => {
      const r = await request(srv.url, ctl, 'PATCH', lcStatus, { status: { initializers: [...expected, 'root:sneaky'] } }, mergePatch);
      return !(r.status === 403 && / cannot patch resource /.test(r.text)) && r;
    }, { timeoutMs: 10_000 });
    // kcp's logicalcluster admission answers 403 Forbidden naming the LogicalCluster
    t.equal(grow.status, 403, grow.text);
    t.match(grow.json, { reason: 'Forbidden', details: { name: 'cluster', group: 'core.kcp.io', kind: 'logicalclusters' } });
    t.match(grow.json.message, /^logicalclusters\.core\.kcp\.io "cluster" is forbidden: status\.initializers must not grow while initializing \(added: root:sneaky\)/);
    const early = await request(srv.url, ctl, 'PATCH', lcStatus, { status: { phase: 'Ready' } }, mergePatch);
    t.equal(early.status, 403, early.text);
    t.match(early.json.message, /is forbidden: status\.initializers is not empty/);
    const done = await request(srv.url, ctl, 'PATCH', lcStatus, { status: { initializers: ['root:init-parent'] } }, mergePatch);
    t.equal(done.status, 200, done.text);
    await waitFor('the Workspace mirrors the LogicalCluster', async () => (await getJSON(at('root:types'), 'workspace', 'w1')).status.initializers?.join() === 'root:init-parent', { timeoutMs: 10_000 });
    t.equal((await getJSON(at('root:types'), 'workspace', 'w1')).status.phase, 'Initializing', 'one left: still Initializing');

    // the last one removed with kubectl
    await kubectlOK(kc, ['patch', 'logicalcluster', 'cluster', '--subresource=status', '--type=json', '-p', '[{"op":"remove","path":"/status/initializers/0"}]'], { server: at('root:types:w1') });
    await waitFor('Ready', async () => (await getJSON(at('root:types'), 'workspace', 'w1')).status.phase === 'Ready', { timeoutMs: 10_000 });
    const ready = await getJSON(at('root:types'), 'workspace', 'w1');
    t.equal(ready.metadata.labels['tenancy.kcp.io/phase'], 'Ready');
    t.notOk(ready.status.initializers, 'no initializers left');
    t.match(ready.status.conditions, [{ type: 'Ready', status: 'True' }, { type: 'WorkspaceInitialized', status: 'True' }]);
    const readyLC = await getJSON(at('root:types:w1'), 'logicalcluster', 'cluster');
    t.equal(readyLC.status.phase, 'Ready');
    t.same(readyLC.spec.initializers, expected, 'spec keeps what it started with');
    const back = await request(srv.url, ctl, 'PATCH', lcStatus, { status: { phase: 'Initializing', initializers: [mine] } }, mergePatch);
    t.equal(back.status, 403, back.text);
    t.match(back.json.message, /is forbidden: status\.phase cannot transition from "Ready" to "Initializing"/);
    const botKc = join(tempDir(t), 'bot.kubeconfig');
    await writeKubeconfig(botKc, { server: at('root:types:w1'), caPem: srv.pki.ca.certPem, token: ctl.token!, user: 'initializer-bot', context: 'bot' });
    const kubectlBack = await kubectl(botKc, ['patch', 'logicalcluster', 'cluster', '--subresource=status', '--type=merge', '-p', '{"status":{"initializers":["root:late"]}}']);
    t.match(kubectlBack.stderr, /Error from server \(Forbidden\): logicalclusters\.core\.kcp\.io "cluster" is forbidden: status\.initializers is immutable after initialization/, 'as kubectl prints it');

    // a type without an initializer: Ready at once, as before
    await kubectlOK(kc, ['create', '-f', '-'], { server: at('root:types'), input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: plain}\n' });
    t.equal((await getJSON(at('root:types'), 'workspace', 'plain')).status.phase, 'Ready');
  });

  await t.test('the initializingworkspaces virtual workspace, as an initializer controller uses it with client-node', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root'), input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: WorkspaceType\nmetadata: {name: vw-init}\nspec: {initializer: true, extend: {with: [{name: universal, path: root}]}}\n' });
    const vwURL = `${srv.url}/services/initializingworkspaces/root:vw-init`;
    t.same((await getJSON(at('root'), 'workspacetype', 'vw-init')).status.virtualWorkspaces, [{ url: vwURL, type: 'Initializing' }], "the type's status names its VW URL");
    await waitFor('a workspace of type vw-init', async () => (await kubectl(kc, ['create', '-f', '-'], { server: at('root'), input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: w2}\nspec: {type: {name: vw-init, path: root}}\n' })).code === 0, { timeoutMs: 10_000 });
    const w2 = (await getJSON(at('root'), 'workspace', 'w2')).spec.cluster as string;
    await served('root:w2');

    const token = srv.tokens.issue('init-ctl');
    const clientFor = (server: string) => {
      const config = new k8s.KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: 'vw', server, caData: Buffer.from(srv.pki.ca.certPem).toString('base64') }],
        users: [{ name: 'init-ctl', token }], contexts: [{ name: 'vw', cluster: 'vw', user: 'init-ctl' }], currentContext: 'vw',
      });
      return config;
    };
    const wildcard = clientFor(`${vwURL}/clusters/*`).makeApiClient(k8s.CustomObjectsApi);
    const listLCs = async () => (await wildcard.listClusterCustomObject({ group: 'core.kcp.io', version: 'v1alpha1', plural: 'logicalclusters' }) as { items: KubeObject[] }).items;
    await t.rejects(listLCs(), { code: 403 }, 'without verb initialize on the WorkspaceType: 403');
    await kubectlOK(kc, ['create', 'clusterrole', 'initialize-vw-init', '--verb=initialize', '--resource=workspacetypes.tenancy.kcp.io', '--resource-name=vw-init'], { server: at('root') });
    await kubectlOK(kc, ['create', 'clusterrolebinding', 'initialize-vw-init', '--clusterrole=initialize-vw-init', '--user=init-ctl'], { server: at('root') });
    const items = await waitFor('the grant', async () => { try { return await listLCs(); } catch { return undefined; } }, { timeoutMs: 10_000 });
    t.same(items.map((i) => i.metadata.annotations?.['kcp.io/cluster']), [w2], 'the view holds the LogicalClusters initializing with this initializer, by name');
    t.equal(items[0]!.metadata.annotations?.['kcp.io/path'], 'root:w2');

    // set-up inside the workspace, through the view at /clusters/<name>
    const content = clientFor(`${vwURL}/clusters/${w2}`);
    await content.makeApiClient(k8s.CoreV1Api).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'set-up' }, data: { by: 'initializer' } } });
    t.match(await kubectlOK(kc, ['get', 'configmaps', '-o', 'name'], { server: at('root:w2') }), /configmap\/set-up/, 'written into the workspace');
    const discovery = await request(srv.url, { caPem: srv.pki.ca.certPem, token }, 'GET', `/services/initializingworkspaces/root:vw-init/clusters/${w2}/api/v1`);
    t.ok(discovery.status === 200 && discovery.json.resources.some((r: { name: string }) => r.name === 'configmaps'), 'the workspace\'s discovery is served through the view');
    const lcStatus = `/services/initializingworkspaces/root:vw-init/clusters/${w2}/apis/core.kcp.io/v1alpha1/logicalclusters/cluster/status`;
    const ctl: Creds = { caPem: srv.pki.ca.certPem, token };
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const other = await request(srv.url, ctl, 'PATCH', lcStatus, { status: { initializers: ['wrong'] } }, merge);
    t.equal(other.status, 403, `more than removing itself is refused: ${other.text}`);
    t.match(other.json.message, /initializer "root:vw-init" may only remove itself from status\.initializers/);
    const removed = await request(srv.url, ctl, 'PATCH', lcStatus, { status: { initializers: [] } }, merge);
    t.equal(removed.status, 200, removed.text);
    await waitFor('w2 Ready', async () => (await getJSON(at('root'), 'workspace', 'w2')).status.phase === 'Ready', { timeoutMs: 10_000 });
    t.same(await listLCs(), [], 'a Ready workspace leaves the view');
    const after = await request(srv.url, ctl, 'GET', `/services/initializingworkspaces/root:vw-init/clusters/${w2}/api/v1/namespaces/default/configmaps`);
    t.equal(after.status, 403, 'nor is its content reachable through it any more');
  });

  await t.test('home workspaces get the logical cluster name kcp derives from the user name', async (t) => {
    const home = await request(srv.url, admin, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/~');
    t.equal(home.status, 200, home.text);
    t.equal(home.json.spec.cluster, homeClusterName('admin'), 'spec.cluster is kcp\'s home cluster name of "admin"');
    t.equal((await request(srv.url, admin, 'GET', `/clusters/${homeClusterName('admin')}/api/v1/namespaces`)).status, 200, '/clusters/<name> serves the home');
    const lc = await getJSON(at('user:admin'), 'logicalcluster', 'cluster');
    t.equal(lc.metadata.annotations['kcp.io/cluster'], homeClusterName('admin'));

    // another server (another replica, or this one started afresh) names the same user's home the same
    const other = await startServer(t);
    const again = await request(other.url, { caPem: other.pki.ca.certPem, certPem: other.pki.admin.certPem, keyPem: other.pki.admin.keyPem },
      'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/~');
    t.equal(again.status, 200, again.text);
    t.equal(again.json.spec.cluster, home.json.spec.cluster, 'the same name on another server');
  });

  await t.test("a service account token's authentication.kcp.io/cluster-name is the logical cluster name", async (t) => {
    await create('root', 'sa-team');
    await served('root:sa-team');
    const name = (await getJSON(at('root'), 'workspace', 'sa-team')).spec.cluster as string;
    await kubectlOK(kc, ['create', 'serviceaccount', 'bot'], { server: at('root:sa-team') });
    await kubectlOK(kc, ['create', 'role', 'cm-reader', '--verb=list', '--resource=configmaps'], { server: at('root:sa-team') });
    await kubectlOK(kc, ['create', 'rolebinding', 'bot-reads', '--role=cm-reader', '--serviceaccount=default:bot'], { server: at('root:sa-team') });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:sa-team'), input: 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata: {name: bot-token, annotations: {kubernetes.io/service-account.name: bot}}\n' });
    let token = '';
    await waitFor('the token', async () => {
      const s = await request(srv.url, admin, 'GET', '/clusters/root:sa-team/api/v1/namespaces/default/secrets/bot-token');
      token = s.json?.data?.token ? Buffer.from(s.json.data.token, 'base64').toString() : '';
      return !!token;
    }, { timeoutMs: 10_000 });
    const bot: Creds = { caPem: srv.pki.ca.certPem, token };
    const review = await request(srv.url, bot, 'POST', '/clusters/root:sa-team/apis/authentication.k8s.io/v1/selfsubjectreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    t.equal(review.status, 201, review.text);
    t.same(review.json.status.userInfo.extra['authentication.kcp.io/cluster-name'], [name], 'the name, not the path root:sa-team');
    for (const c of ['root:sa-team', name]) {
      t.equal((await request(srv.url, bot, 'GET', `/clusters/${c}/api/v1/namespaces/default/configmaps`)).status, 200, `itself at /clusters/${c}`);
    }
    const abroad = await request(srv.url, bot, 'GET', '/clusters/root/api/v1/namespaces/default/configmaps');
    t.equal(abroad.status, 403);
    t.match(abroad.json.message, /a service account of root:sa-team has no identity in root/, 'the refusal names the workspace by its path');
  });

  await t.test('deleting a workspace removes objects of resources it no longer serves', async (t) => {
    await create('root', 'widget-provider');
    await served('root:widget-provider');
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:widget-provider'), input: `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata: {name: v1.gizmos.example.com}
spec:
  group: example.com
  names: {plural: gizmos, singular: gizmo, kind: Gizmo, listKind: GizmoList}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}]
---
apiVersion: apis.kcp.io/v1alpha1
kind: APIExport
metadata: {name: gizmos}
spec: {latestResourceSchemas: [v1.gizmos.example.com]}
` });
    const binding = 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: gizmos}\nspec: {reference: {export: {path: "root:widget-provider", name: gizmos}}}\n';
    const bind = async () => {
      await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:reused'), input: binding });
      await kubectlOK(kc, ['wait', '--for=condition=Ready', 'apibinding/gizmos', '--timeout=30s'], { server: at('root:reused') });
      await waitFor('gizmos served', async () => (await kubectl(kc, ['get', 'gizmos'], { server: at('root:reused') })).code === 0, { timeoutMs: 10_000 });
    };
    await create('root', 'reused');
    await served('root:reused');
    await bind();
    for (const n of ['old-1', 'old-2']) {
      await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:reused'), input: `apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: ${n}, namespace: default}\nspec: {size: 1}\n` });
    }
    // an unbound resource is no longer served, but its objects stay stored (kcp keeps them for a rebind)
    await kubectlOK(kc, ['delete', 'apibinding', 'gizmos'], { server: at('root:reused') });
    await waitFor('gizmos no longer served', async () => (await kubectl(kc, ['get', 'gizmos'], { server: at('root:reused') })).code !== 0, { timeoutMs: 10_000 });
    const stored = async (path: string) => (await srv.store.list({ cluster: path, resource: 'example.com/gizmos' })).items.map((o) => o.metadata.name);
    t.same(await stored('root:reused'), ['old-1', 'old-2'], 'kept while the workspace lives');

    await kubectlOK(kc, ['delete', 'workspace', 'reused', '--timeout=30s'], { server: at('root') });
    t.same(await stored('root:reused'), [], 'no orphan rows once the workspace is gone');
    t.same(await srv.store.resourcesIn!('root:reused'), [], 'nothing at all left under its path');

    await create('root', 'reused');
    await served('root:reused');
    await bind();
    t.equal((await kubectlOK(kc, ['get', 'gizmos', '-A', '-o', 'name'], { server: at('root:reused') })).trim(), '', 'a workspace of the same name, bound again, starts empty');
  });

  await t.test('WorkloadPlacement locationWorkspace must be a workspace path', async (t) => {
    await create('root', 'placer');
    await served('root:placer');
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:placer'), input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: tmc}\nspec:\n  reference: {export: {path: "root:tmc", name: tmc.kcp.io}}\n' });
    await kubectlOK(kc, ['wait', '--for=condition=Ready', 'apibinding/tmc', '--timeout=30s'], { server: at('root:placer') });
    const placement = (loc: string) => `apiVersion: tmc.kcp.io/v1alpha1\nkind: WorkloadPlacement\nmetadata: {name: p, namespace: default}\nspec: {locationWorkspace: "${loc}"}\n`;
    const name = (await getJSON(at('root'), 'workspace', 'placer')).spec.cluster as string;
    for (const bad of [name, 'https://example.com/clusters/root:placer', 'root:Placer']) {
      const r = await kubectl(kc, ['apply', '-f', '-'], { server: at('root:placer'), input: placement(bad) });
      t.not(r.code, 0, bad);
      t.match(r.stderr, /is invalid: spec\.locationWorkspace: Invalid value: "[^"]*": must be a workspace path, .* such as root:org:clusters/, `422 for ${bad}: ${r.stderr}`);
    }
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:placer'), input: placement('root:placer') });
  });
});
