/**
 * kcp's workspace contract through the real kubectl: spec.URL / spec.cluster / the phase label and
 * kcp's printer columns; logical cluster names beside paths (`/clusters/<name>`, `kcp.io/cluster`); WorkspaceTypes (built-ins, defaulting, allowed parents and children);
 * LogicalCluster objects; home workspaces (`workspaces/~`); and the deletion cascade.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

t.test('workspaces as kcp has them', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const ws = (name: string, extra = '') => `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${name}, labels: {region: eu}}\n${extra}`;
  const create = async (server: string, name: string, extra = '') => {
    await kubectlOK(kc, ['create', '-f', '-'], { server, input: ws(name, extra) });
  };
  const getWS = async (server: string, name: string) => JSON.parse(await kubectlOK(kc, ['get', 'workspace', name, '-o', 'json'], { server }));

  await t.test('the Workspace contract', async (t) => {
    await create(at('root'), 'org');
    const org = await getWS(at('root'), 'org');
    t.equal(org.spec.URL, `${srv.url}/clusters/root:org`, 'spec.URL is the workspace URL');
    t.match(org.spec.cluster, /^[0-9a-z]{16}$/, 'spec.cluster is a generated logical cluster name, as in kcp');
    t.same(org.spec.type, { name: 'organization', path: 'root' }, "a typeless workspace in root gets root's default child type");
    t.equal(org.status.phase, 'Ready');
    t.equal(org.metadata.labels['tenancy.kcp.io/phase'], 'Ready', 'the phase is a label');
    const table = await kubectlOK(kc, ['get', 'workspaces'], { server: at('root') });
    t.match(table, /^NAME\s+TYPE\s+REGION\s+PHASE\s+URL\s+AGE$/m, "kcp's columns");
    t.match(table, new RegExp(`^org\\s+organization\\s+eu\\s+Ready\\s+${srv.url.replace(/[.]/g, '\\.')}/clusters/root:org\\s`, 'm'));
    t.match(await kubectlOK(kc, ['get', 'ws', '-l', 'tenancy.kcp.io/phase=Ready', '-o', 'name'], { server: at('root') }), /workspace.tenancy.kcp.io\/org/);

    const r = await kubectl(kc, ['patch', 'workspace', 'org', '--type=merge', '-p', '{"spec":{"cluster":"elsewhere"}}'], { server: at('root') });
    t.not(r.code, 0);
    t.match(r.stderr, /spec\.cluster: Invalid value: "elsewhere": field is immutable/, 'spec.cluster is immutable');
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root'), input: ws('org') });
    t.equal((await getWS(at('root'), 'org')).spec.cluster, org.spec.cluster, 'an apply without the system fields keeps them');

    // the LogicalCluster of the workspace
    await waitFor('LogicalCluster cluster', async () => (await kubectl(kc, ['get', 'logicalcluster', 'cluster'], { server: at('root:org') })).code === 0, { timeoutMs: 10_000 });
    const lc = JSON.parse(await kubectlOK(kc, ['get', 'logicalcluster', 'cluster', '-o', 'json'], { server: at('root:org') }));
    t.equal(lc.metadata.annotations['kcp.io/path'], 'root:org');
    t.equal(lc.metadata.annotations['kcp.io/cluster'], org.spec.cluster);
    t.equal(lc.status.URL, org.spec.URL);
    t.equal(lc.spec.owner.name, 'org');
    t.equal(lc.spec.owner.uid, org.metadata.uid);
  });

  await t.test('logical cluster names beside paths', async (t) => {
    const org = await getWS(at('root'), 'org');
    const name: string = org.spec.cluster;
    await create(at('root:org'), 'team');
    const team = (await getWS(at('root:org'), 'team')).spec.cluster as string;
    t.not(team, name, 'each workspace its own name');
    await waitFor('team', async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at('root:org:team') })).code === 0, { timeoutMs: 10_000 });

    // written by path, read by name, and the other way round
    await kubectlOK(kc, ['create', 'configmap', 'by-path', '--from-literal=a=b'], { server: at('root:org:team') });
    await kubectlOK(kc, ['create', 'configmap', 'by-name', '--from-literal=a=b'], { server: at(team) });
    for (const c of ['root:org:team', team]) {
      t.match(await kubectlOK(kc, ['get', 'configmaps', '-o', 'name'], { server: at(c) }), /configmap\/by-name\nconfigmap\/by-path/, `/clusters/${c} serves the workspace`);
    }
    const cm = JSON.parse(await kubectlOK(kc, ['get', 'configmap', 'by-name', '-o', 'json'], { server: at('root:org:team') }));
    t.equal(cm.metadata.annotations['kcp.io/cluster'], team, 'kcp.io/cluster holds the name');
    t.equal(cm.metadata.annotations['kcp.io/path'], 'root:org:team', 'kcp.io/path the path');
    const spoofed = await request(srv.url, admin, 'POST', `/clusters/${name}/api/v1/namespaces/default/configmaps`,
      { metadata: { name: 'spoof', annotations: { 'kcp.io/cluster': team, 'kcp.io/path': 'root:org:team' } } });
    t.equal(spoofed.status, 201, spoofed.text);
    t.same([spoofed.json.metadata.annotations['kcp.io/cluster'], spoofed.json.metadata.annotations['kcp.io/path']], [name, 'root:org'], "a client's values are overwritten");

    // root is its own name; a workspace's Workspace and LogicalCluster agree
    const rootLC = JSON.parse(await kubectlOK(kc, ['get', 'logicalcluster', 'cluster', '-o', 'json'], { server: at('root') }));
    t.same([rootLC.metadata.annotations['kcp.io/cluster'], rootLC.metadata.annotations['kcp.io/path']], ['root', 'root']);
    t.equal(JSON.parse(await kubectlOK(kc, ['get', 'logicalcluster', 'cluster', '-o', 'json'], { server: at(name) })).metadata.annotations['kcp.io/path'], 'root:org');

    // the wildcard view reports names; a kcp-style client writes back to /clusters/<kcp.io/cluster>
    const all = (await request(srv.url, admin, 'GET', '/clusters/*/api/v1/configmaps')).json.items as any[];
    const found = all.find((c) => c.metadata.name === 'by-path');
    t.equal(found.metadata.annotations['kcp.io/cluster'], team, 'wildcard lists carry the name');
    const back = await request(srv.url, admin, 'PATCH', `/clusters/${found.metadata.annotations['kcp.io/cluster']}/api/v1/namespaces/default/configmaps/by-path`,
      { data: { written: 'back' } }, { 'Content-Type': 'application/merge-patch+json' });
    t.equal(back.status, 200, back.text);
    t.equal(JSON.parse(await kubectlOK(kc, ['get', 'configmap', 'by-path', '-o', 'json'], { server: at('root:org:team') })).data.written, 'back');

    // a Workspace's name is its own: deleted and created again, the old name no longer resolves
    await kubectlOK(kc, ['delete', 'workspace', 'team', '--timeout=30s'], { server: at('root:org') });
    t.equal((await request(srv.url, admin, 'GET', `/clusters/${team}/api/v1/namespaces`)).status, 404, 'a deleted name is gone');
    await create(at('root:org'), 'team');
    t.not((await getWS(at('root:org'), 'team')).spec.cluster, team, 'a new workspace gets a new name');
  });

  await t.test('WorkspaceTypes', async (t) => {
    const types = await kubectlOK(kc, ['get', 'workspacetypes', '-o', 'name'], { server: at('root') });
    for (const n of ['root', 'universal', 'organization', 'team', 'home']) t.match(types, `workspacetype.tenancy.kcp.io/${n}\n`, `built-in ${n}`);
    await create(at('root:org'), 'plain');
    t.same((await getWS(at('root:org'), 'plain')).spec.type, { name: 'universal', path: 'root' }, "an organization's children default to universal");
    await create(at('root:org'), 'squad', 'spec: {type: {name: team}}\n');
    t.same((await getWS(at('root:org'), 'squad')).spec.type, { name: 'team', path: 'root' }, 'a type named without a path is found in a parent');
    await create(at('root:org:squad'), 'sub', 'spec: {type: {name: team, path: root}}\n');

    let r = await kubectl(kc, ['create', '-f', '-'], { server: at('root:org'), input: ws('nested-org', 'spec: {type: {name: organization, path: root}}\n') });
    t.not(r.code, 0);
    t.match(r.stderr, /spec\.type: Invalid value: .*workspace type root:organization only allows \[root:root\] parent workspaces, but parent type root:organization implements/, 'organizations only in root');
    r = await kubectl(kc, ['create', '-f', '-'], { server: at('root'), input: ws('t1', 'spec: {type: {name: team, path: root}}\n') });
    t.match(r.stderr, /only allows \[root:organization root:team\] parent workspaces/, 'teams only in organizations and teams');
    r = await kubectl(kc, ['create', '-f', '-'], { server: at('root'), input: ws('h', 'spec: {type: {name: home, path: root}}\n') });
    t.match(r.stderr, /workspace type root:home cannot be nested/);
    r = await kubectl(kc, ['create', '-f', '-'], { server: at('root'), input: ws('x', 'spec: {type: {name: nope}}\n') });
    t.match(r.stderr, /spec\.type: Invalid value: "nope": workspace type "nope" not found in root or its parents/);

    // a user-defined type with its own default child type; extending team, it counts as one for nesting
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:org'), input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: WorkspaceType\nmetadata: {name: lab}\nspec:\n  extend: {with: [{name: team, path: root}]}\n  defaultChildWorkspaceType: {name: team, path: root}\n' });
    await waitFor('lab workspace', async () => (await kubectl(kc, ['create', '-f', '-'], { server: at('root:org'), input: ws('lab1', 'spec: {type: {name: lab, path: "root:org"}}\n') })).code === 0, { timeoutMs: 10_000 });
    await create(at('root:org:lab1'), 'inner');
    t.same((await getWS(at('root:org:lab1'), 'inner')).spec.type, { name: 'team', path: 'root' }, "its children get its default child type");

    // defaultAPIBindings: a workspace of the type (or of a type extending it) starts bound to them
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:org'), input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: WorkspaceType\nmetadata: {name: compute-ready}\nspec:\n  extend: {with: [{name: universal, path: root}]}\n  defaultAPIBindings: [{path: "root:compute", export: kubernetes}]\n---\napiVersion: tenancy.kcp.io/v1alpha1\nkind: WorkspaceType\nmetadata: {name: app}\nspec:\n  extend: {with: [{name: compute-ready, path: "root:org"}]}\n' });
    await waitFor('app workspace', async () => (await kubectl(kc, ['create', '-f', '-'], { server: at('root:org'), input: ws('apps1', 'spec: {type: {name: app, path: "root:org"}}\n') })).code === 0, { timeoutMs: 10_000 });
    await waitFor('default binding made', async () => (await kubectl(kc, ['get', 'apibinding', 'kubernetes'], { server: at('root:org:apps1') })).code === 0, { timeoutMs: 10_000 });
    await kubectlOK(kc, ['wait', '--for=condition=Ready', 'apibinding/kubernetes', '--timeout=30s'], { server: at('root:org:apps1') });
    t.same(JSON.parse(await kubectlOK(kc, ['get', 'apibinding', 'kubernetes', '-o', 'json'], { server: at('root:org:apps1') })).spec.reference.export, { path: 'root:compute', name: 'kubernetes' }, "the extended type's default binding");
    await waitFor('deployments served', async () => /^deployments\s/m.test((await kubectl(kc, ['api-resources', '--api-group=apps'], { server: at('root:org:apps1') })).stdout), { timeoutMs: 10_000 });
  });

  await t.test('home workspaces', async (t) => {
    const home = await request(srv.url, admin, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/~');
    t.equal(home.status, 200, home.text);
    t.equal(home.json.kind, 'Workspace');
    t.equal(home.json.spec.URL, `${srv.url}/clusters/user:admin`, 'reachable as user:<name>');
    t.same(home.json.spec.type, { name: 'home', path: 'root' });
    t.match(await kubectlOK(kc, ['get', 'workspace', '~'], { server: at('root') }), /home\s+Ready/, 'kubectl get ws ~');
    await kubectlOK(kc, ['create', 'configmap', 'mine', '--from-literal=a=b'], { server: at('user:admin') });

    const alice: Creds = { caPem: srv.pki.ca.certPem, token: srv.tokens.issue('alice', ['developers']) };
    t.equal((await request(srv.url, alice, 'GET', '/clusters/user:alice/api/v1/namespaces/default/configmaps')).status, 404, 'no home before first use');
    const aliceHome = await request(srv.url, alice, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/~');
    t.equal(aliceHome.status, 200, aliceHome.text);
    t.equal(aliceHome.json.spec.URL, `${srv.url}/clusters/user:alice`);
    t.equal((await request(srv.url, alice, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/~')).json.metadata.uid, aliceHome.json.metadata.uid, 'the same home the second time');
    const made = await request(srv.url, alice, 'POST', '/clusters/user:alice/api/v1/namespaces/default/configmaps', { metadata: { name: 'notes' } });
    t.equal(made.status, 201, `alice is cluster-admin at home: ${made.text}`);
    const crb = JSON.parse(await kubectlOK(kc, ['get', 'clusterrolebinding', 'workspace-admin', '-o', 'json'], { server: at('user:alice') }));
    t.same(crb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' });
    t.same(crb.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }]);
    t.equal((await request(srv.url, alice, 'GET', '/clusters/user:admin/api/v1/namespaces/default/configmaps')).status, 403, "not another user's home");
    t.equal((await request(srv.url, alice, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces')).status, 403, 'still nothing in root');
  });

  await t.test('deleting a workspace deletes everything in it', async (t) => {
    await create(at('root'), 'doomed');
    await create(at('root:doomed'), 'child');
    await create(at('root:doomed:child'), 'grandchild');
    await waitFor('grandchild', async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at('root:doomed:child:grandchild') })).code === 0, { timeoutMs: 10_000 });
    await kubectlOK(kc, ['create', 'configmap', 'keep-me-not', '--from-literal=a=b'], { server: at('root:doomed:child:grandchild') });
    await kubectlOK(kc, ['create', 'configmap', 'top', '--from-literal=a=b'], { server: at('root:doomed') });
    // an object held by its own finalizer holds the workspace until it is released
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:doomed:child'), input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: held, namespace: default, finalizers: [example.com/hold]}\n' });
    const wildcard = async () => (await request(srv.url, admin, 'GET', '/clusters/*/api/v1/configmaps')).json.items
      .map((c: any) => `${c.metadata.annotations['kcp.io/path']}/${c.metadata.name}`) as string[];
    t.ok((await wildcard()).includes('root:doomed:child:grandchild/keep-me-not'));

    t.equal((await kubectl(kc, ['delete', 'workspace', 'doomed', '--wait=false'], { server: at('root') })).code, 0);
    const terminating = await getWS(at('root'), 'doomed');
    t.equal(terminating.status.phase, 'Terminating');
    t.equal(terminating.metadata.labels['tenancy.kcp.io/phase'], 'Terminating');
    await waitFor('grandchild gone', async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at('root:doomed:child:grandchild') })).code !== 0, { timeoutMs: 10_000 });
    t.ok((await kubectl(kc, ['get', 'ws', 'doomed'], { server: at('root') })).code === 0, 'held by the finalized object');
    await kubectlOK(kc, ['patch', 'configmap', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}'], { server: at('root:doomed:child') });
    // kubectl delete waits until the workspace is gone
    const del = await kubectl(kc, ['delete', 'workspace', 'doomed', '--ignore-not-found', '--timeout=30s'], { server: at('root') });
    t.equal(del.code, 0, del.stderr);
    t.equal((await kubectl(kc, ['get', 'ws', 'doomed'], { server: at('root') })).code, 1, 'gone');
    for (const p of ['root:doomed', 'root:doomed:child', 'root:doomed:child:grandchild']) {
      const r = await request(srv.url, admin, 'GET', `/clusters/${p}/api/v1/namespaces/default/configmaps`);
      t.equal(r.status, 404, `${p} is no longer served`);
    }
    t.notOk((await wildcard()).some((c) => c.startsWith('root:doomed')), 'nothing of it in the wildcard view');

    await create(at('root'), 'doomed');
    await waitFor('recreated', async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at('root:doomed') })).code === 0, { timeoutMs: 10_000 });
    t.equal((await kubectlOK(kc, ['get', 'configmaps', '-o', 'name'], { server: at('root:doomed') })).trim(), '', 'a new workspace of the same name starts empty');
    t.equal((await kubectl(kc, ['get', 'ws', 'child'], { server: at('root:doomed') })).code, 1, 'without the old children');
  });

  await t.test('bound consumers of a deleted export', async (t) => {
    await create(at('root'), 'provider');
    await create(at('root'), 'consumer');
    await waitFor('provider', async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at('root:provider') })).code === 0, { timeoutMs: 10_000 });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:provider'), input: `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata: {name: v1.widgets.example.com}
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}]
---
apiVersion: apis.kcp.io/v1alpha1
kind: APIExport
metadata: {name: widgets}
spec: {latestResourceSchemas: [v1.widgets.example.com]}
` });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: widgets}\nspec: {reference: {export: {path: "root:provider", name: widgets}}}\n' });
    await kubectlOK(kc, ['wait', '--for=condition=Ready', 'apibinding/widgets', '--timeout=30s'], { server: at('root:consumer') });
    await kubectlOK(kc, ['create', 'configmap', 'mine', '--from-literal=a=b'], { server: at('root:consumer') });

    await kubectlOK(kc, ['delete', 'workspace', 'provider', '--timeout=30s'], { server: at('root') });
    await kubectlOK(kc, ['wait', '--for=condition=Ready=False', 'apibinding/widgets', '--timeout=30s'], { server: at('root:consumer') });
    const b = JSON.parse(await kubectlOK(kc, ['get', 'apibinding', 'widgets', '-o', 'json'], { server: at('root:consumer') }));
    t.equal(b.status.conditions.find((c: any) => c.type === 'APIExportValid')?.status, 'False', 'the binding says its export is gone');
    t.match(await kubectlOK(kc, ['get', 'configmaps', '-o', 'name'], { server: at('root:consumer') }), /configmap\/mine/, "the consumer's own objects stay");
  });
});
