/**
 * The kcp model and the TMC API, end to end through HTTPS and the real kubectl: binding the TMC
 * export in a fresh workspace, the APIExport virtual workspace across bound workspaces, and the
 * syncer virtual workspace of one ClusterRegistration.
 */
import { spawn } from 'node:child_process';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { clusterKey, stateLabel, statusAnnotation, syncerFinalizer } from '../../src/apis/contract.js';
import type { StartHooks } from '../../src/cmd/start-server.js';
import { defaultVirtualWorkspaces } from '../../src/cmd/default-hooks.js';
import { SYNCERS_GROUP, syncerUserName } from '../../src/virtual/index.js';
import { kubectl, kubectlOK, startServer, type RunningServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

/** The CEL schema-rule hook is another engineer's; use it when it is there (see the report). */
async function schemaRulesHook(): Promise<StartHooks['schemaRules'] | undefined> {
  const href = new URL('../../src/admission/index.js', import.meta.url).href;
  const mod = await import(href).catch(() => undefined) as { schemaRulesHook?: () => ReturnType<NonNullable<StartHooks['schemaRules']>> } | undefined;
  return mod?.schemaRulesHook ? () => mod.schemaRulesHook!() : undefined;
}

interface Raw { status: number; body: string }
/** A raw HTTPS request with a bearer token (to act as a user other than the admin). */
function raw(srv: RunningServer, path: string, o: { token?: string; method?: string; body?: unknown; contentType?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const data = o.body === undefined ? undefined : JSON.stringify(o.body);
    const u = new URL(srv.url + path);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (data) { headers['Content-Type'] = o.contentType ?? 'application/json'; headers['Content-Length'] = String(Buffer.byteLength(data)); }
    const opts = { method: o.method ?? 'GET', host: u.hostname, port: u.port, path: u.pathname + u.search, headers, ca: srv.pki.ca.certPem };
    // without a token, authenticate as the admin with its client certificate
    const withCert = o.token ? opts : { ...opts, cert: srv.pki.admin.certPem, key: srv.pki.admin.keyPem };
    const req = https.request(withCert, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** A streaming watch; `events` fills as lines arrive. */
function openWatch(srv: RunningServer, path: string, token?: string): { events: Array<{ type: string; object: any }>; close(): void; ready: Promise<void> } {
  const events: Array<{ type: string; object: any }> = [];
  const u = new URL(srv.url + path);
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  let req: ReturnType<typeof https.request>;
  const ready = new Promise<void>((resolve, reject) => {
    req = https.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, headers, ca: srv.pki.ca.certPem,
      ...(token ? {} : { cert: srv.pki.admin.certPem, key: srv.pki.admin.keyPem }),
    }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`watch ${path}: HTTP ${res.statusCode}`)); return; }
      let buf = '';
      res.on('data', (d) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line));
        }
      });
      res.on('error', () => undefined);
      resolve();
    });
    req.on('error', () => undefined);
    req.end();
  });
  return { events, ready, close: () => req.destroy() };
}

async function makeWorkspace(kc: string, srv: RunningServer, name: string): Promise<string> {
  await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${name}}\n` });
  const path = `root:${name}`;
  await waitFor(`workspace ${path}`, async () => ((await kubectl(kc, ['get', 'namespace', 'default'], { server: `${srv.url}/clusters/${path}` })).code === 0 ? true : undefined));
  return path;
}

const computeBinding = 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: kubernetes}\nspec:\n  reference: {export: {path: "root:compute", name: kubernetes}}\n';

async function bindCompute(kc: string, server: string): Promise<void> {
  await kubectlOK(kc, ['apply', '-f', '-'], { input: computeBinding, server });
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/kubernetes', '--timeout=30s'], { server });
}

const deployment = (name: string, labels: Record<string, string> = {}) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name, ...labels } },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

t.test('the kcp model and the TMC API', async (t) => {
  const schemaRules = await schemaRulesHook();
  // the views are tested alone: no in-process syncers aggregating status beside the test
  const srv = await startServer(t, {}, { components: [], virtualWorkspaces: defaultVirtualWorkspaces, ...(schemaRules ? { schemaRules } : {}) });
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  const computeIdentity = (await kubectlOK(kc, ['get', 'apiexport', 'kubernetes', '-o', 'jsonpath={.status.identityHash}'], { server: at('root:compute') })).trim();
  t.match(computeIdentity, /^[0-9a-f]{64}$/, 'the compute export has an identity hash');

  const c1 = await makeWorkspace(kc, srv, 'c1');
  await bindCompute(kc, at(c1));

  await t.test('kubectl binds the TMC export in a fresh workspace', async (t) => {
    const server = at(c1);
    const binding = `apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: tmc}
spec:
  reference: {export: {path: "root:tmc", name: tmc.kcp.io}}
  permissionClaims:
  - {group: "", resource: configmaps, all: true, state: Accepted}
  - {group: "", resource: secrets, all: true, state: Accepted}
  - {group: "", resource: namespaces, all: true, state: Accepted}
  - {group: apps, resource: deployments, all: true, identityHash: ${computeIdentity}, state: Accepted}
`;
    await kubectlOK(kc, ['apply', '-f', '-'], { input: binding, server });
    await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/tmc', '--timeout=30s'], { server });

    const resources = await kubectlOK(kc, ['api-resources', '--api-group=tmc.kcp.io'], { server });
    for (const r of ['clusterregistrations', 'workloadplacements', 'placementdecisions']) t.match(resources, new RegExp(`^${r}\\s`, 'm'), `${r} is served`);

    const explained = await kubectlOK(kc, ['explain', 'workloadplacement.spec'], { server });
    t.match(explained, /workloadSelector/);
    t.match(explained, /Which workloads in the namespace this placement applies to/);

    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: 'apiVersion: tmc.kcp.io/v1alpha1\nkind: ClusterRegistration\nmetadata: {name: east}\nspec: {location: us-east, syncMode: Pull}\n' });
    const wide = await kubectlOK(kc, ['get', 'clusterregistrations', '-o', 'wide'], { server });
    t.match(wide, /NAME\s+LOCATION\s+READY\s+UNSCHEDULABLE\s+AGE\s+SYNC MODE/);
    t.match(wide, /east\s+us-east\s+/);

    const badEnum = await kubectl(kc, ['apply', '-f', '-'], { server, input: 'apiVersion: tmc.kcp.io/v1alpha1\nkind: ClusterRegistration\nmetadata: {name: bad}\nspec: {location: x, syncMode: Sideways}\n' });
    t.not(badEnum.code, 0, 'an invalid syncMode is refused');
    t.match(badEnum.stderr, /spec.syncMode: Unsupported value: "Sideways"/);

    const cel = await kubectl(kc, ['apply', '-f', '-'], { server, input: 'apiVersion: tmc.kcp.io/v1alpha1\nkind: ClusterRegistration\nmetadata: {name: bad2}\nspec: {location: x, syncMode: Push}\n' });
    if (schemaRules) {
      t.not(cel.code, 0, 'a Push registration without an endpoint is refused by its CEL rule');
      t.match(cel.stderr, /clusterEndpoint is required when syncMode is Push/);
    } else {
      t.comment('CEL schema-rule hook not present: skipping the CEL-rule refusal');
    }
  });

  await t.test('a binding that clashes with a CRD is refused with NamingConflict', async (t) => {
    const cx = await makeWorkspace(kc, srv, 'clash');
    const server = at(cx);
    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusterregistrations.tmc.kcp.io}
spec:
  group: tmc.kcp.io
  names: {plural: clusterregistrations, singular: clusterregistration, kind: ClusterRegistration, listKind: ClusterRegistrationList}
  scope: Cluster
  versions:
  - {name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
` });
    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: tmc}\nspec:\n  reference: {export: {path: "root:tmc", name: tmc.kcp.io}}\n' });
    await kubectlOK(kc, ['wait', '--for=jsonpath={.status.conditions[?(@.type=="BindingUpToDate")].reason}=NamingConflict', 'apibinding/tmc', '--timeout=30s'], { server });
    const b = JSON.parse(await kubectlOK(kc, ['get', 'apibinding', 'tmc', '-o', 'json'], { server }));
    t.not(b.status.phase, 'Bound');
    const cond = b.status.conditions.find((c: { type: string }) => c.type === 'BindingUpToDate');
    t.match(cond.message, /clusterregistrations.tmc.kcp.io is already served by a CustomResourceDefinition/);
  });

  await t.test('the APIExport virtual workspace spans bound workspaces only', async (t) => {
    const c2 = await makeWorkspace(kc, srv, 'c2');
    await bindCompute(kc, at(c2));
    // c3 binds deployments.apps from a different export (same schema, another identity): same
    // storage resource as the compute export's, so only the view's filter keeps it out
    const other = await makeWorkspace(kc, srv, 'other');
    const computeExport = JSON.parse(await kubectlOK(kc, ['get', 'apiexports.v1alpha1.apis.kcp.io', 'kubernetes', '-o', 'json'], { server: at('root:compute') }));
    const deploymentsSchema = (computeExport.spec.latestResourceSchemas as string[]).find((s) => s.endsWith('.deployments.apps'));
    const schema = JSON.parse(await kubectlOK(kc, ['get', 'apiresourceschema', deploymentsSchema!, '-o', 'json'], { server: at('root:compute') }));
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(other), input: JSON.stringify({ apiVersion: schema.apiVersion, kind: schema.kind, metadata: { name: 'v1.deployments.apps' }, spec: schema.spec }) });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(other), input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIExport\nmetadata: {name: lookalike}\nspec: {latestResourceSchemas: [v1.deployments.apps]}\n' });
    const c3 = await makeWorkspace(kc, srv, 'c3');
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(c3), input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: lookalike}\nspec:\n  reference: {export: {path: "root:other", name: lookalike}}\n' });
    await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/lookalike', '--timeout=30s'], { server: at(c3) });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(c1), input: deployment('web-c1') });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(c2), input: deployment('web-c2') });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(c3), input: deployment('secret-c3') });

    const vw = `${srv.url}/services/apiexport/root:compute/kubernetes/clusters/*`;
    const list = JSON.parse(await kubectlOK(kc, ['get', 'deployments', '-A', '-o', 'json'], { server: vw }));
    const seen = list.items.map((d: any) => `${d.metadata.annotations['kcp.io/path']}/${d.metadata.name}`).sort();
    t.same(seen, ['root:c1/web-c1', 'root:c2/web-c2'], 'both bound workspaces, and nothing of the unbound one');
    const table = await kubectlOK(kc, ['get', 'deployments', '-A'], { server: vw });
    t.match(table, /web-c1/);
    t.notMatch(table, /secret-c3/);

    const disc = await kubectlOK(kc, ['api-resources'], { server: vw });
    t.match(disc, /^deployments\s/m, 'discovery lists exported resources');
    t.notMatch(disc, /^configmaps\s/m, 'no claim of this export: core resources are not in its view');

    // a kubectl watch across workspaces: c3's write (first) must never show; c2's (second) must
    const child = spawn('kubectl', ['--kubeconfig', kc, '--server', vw, 'get', 'deployments', '-A', '--watch', '-o', 'json', '--output-watch-events'],
      { env: { ...process.env, KUBECACHEDIR: join(tmpdir(), `kubecache-${process.pid}`) } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    t.teardown(() => { child.kill(); });
    await waitFor('the watch lists the existing objects', async () => (/web-c2/.test(out) ? true : undefined));
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(c3), input: deployment('later-c3') });
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at(c2), input: deployment('later-c2') });
    await waitFor('the watch sees c2\'s new deployment', async () => (/later-c2/.test(out) ? true : undefined));
    const watched = out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: any })
      .map((e) => `${e.type} ${e.object.metadata.annotations['kcp.io/path']}/${e.object.metadata.name}`);
    t.same(watched.sort(), ['ADDED root:c1/web-c1', 'ADDED root:c2/later-c2', 'ADDED root:c2/web-c2'],
      'both bound workspaces stream, each object with kcp.io/path; the unbound workspace never appears');
    child.kill();

    const wildWrite = await kubectl(kc, ['apply', '-f', '-'], { server: vw, input: deployment('nowhere') });
    t.not(wildWrite.code, 0);
    t.match(wildWrite.stderr + wildWrite.stdout, /name the object's workspace/);

    const one = `${srv.url}/services/apiexport/root:compute/kubernetes/clusters/${c1}`;
    await kubectlOK(kc, ['-n', 'default', 'label', 'deployment', 'web-c1', 'touched=yes'], { server: one });
    const labelled = JSON.parse(await kubectlOK(kc, ['-n', 'default', 'get', 'deployment', 'web-c1', '-o', 'json'], { server: at(c1) }));
    t.equal(labelled.metadata.labels.touched, 'yes', 'a write through a concrete workspace lands in that workspace');
    const unbound = await raw(srv, `/services/apiexport/root:compute/kubernetes/clusters/${c3}/apis/apps/v1/namespaces/default/deployments`);
    t.equal(unbound.status, 403, 'kcp\'s bound-API authorizer denies a workspace without a binding');
    t.match(JSON.parse(unbound.body).message, /could not find suitable APIBinding in target logical cluster \(workspace "[^"]+" is not bound to APIExport root:compute:kubernetes/);

    const alice = srv.tokens.issue('alice', ['team']);
    const denied = await raw(srv, '/services/apiexport/root:compute/kubernetes/clusters/*/apis/apps/v1/deployments', { token: alice });
    t.equal(denied.status, 403);
    t.match(JSON.parse(denied.body).message, /^apiexports.apis.kcp.io "kubernetes" is forbidden: User "alice" cannot list resource "apiexports\/content"/);
    // kcp's RBAC: list on apiexports/content named after the export, in the export's workspace
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:compute'), input: [
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata: {name: kubernetes-content-reader}',
      'rules: [{apiGroups: [apis.kcp.io], resources: [apiexports/content], resourceNames: [kubernetes], verbs: [list, watch]}]', '---',
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRoleBinding', 'metadata: {name: alice-reads-kubernetes}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubernetes-content-reader}',
      'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]', '',
    ].join('\n') });
    await waitFor('RBAC lets alice list the export\'s content', async () => ((await raw(srv, '/services/apiexport/root:compute/kubernetes/clusters/*/apis/apps/v1/deployments', { token: alice })).status === 200 ? true : undefined));
    t.pass('a ClusterRole on apiexports/content opens the view');
    const aliceElsewhere = await raw(srv, '/services/apiexport/root:tmc/tmc.kcp.io/clusters/*/apis/tmc.kcp.io/v1alpha1/clusterregistrations', { token: alice });
    t.equal(aliceElsewhere.status, 403, 'only the export the role names');
    const controller = srv.tokens.issue('placement-controller', ['system:tmc:controllers']);
    t.equal((await raw(srv, '/services/apiexport/root:compute/kubernetes/clusters/*/apis/apps/v1/deployments', { token: controller })).status, 200);
    t.equal((await raw(srv, '/services/apiexport/root:compute/nope/clusters/*/apis/apps/v1/deployments')).status, 404);

    // the TMC export's view carries claimed configmaps of workspaces that accepted the claim (c1 only)
    await kubectlOK(kc, ['-n', 'default', 'create', 'configmap', 'cfg-c1'], { server: at(c1) });
    await kubectlOK(kc, ['-n', 'default', 'create', 'configmap', 'cfg-c2'], { server: at(c2) });
    const tmcVW = `${srv.url}/services/apiexport/root:tmc/tmc.kcp.io/clusters/*`;
    const cms = JSON.parse(await kubectlOK(kc, ['get', 'configmaps', '-A', '-o', 'json'], { server: tmcVW }));
    const names = cms.items.map((c: any) => c.metadata.name);
    t.ok(names.includes('cfg-c1'), 'claimed configmaps of an accepting workspace are visible');
    t.notOk(names.includes('cfg-c2'), 'a workspace that did not bind the TMC export stays invisible');
  });

  await t.test('the syncer virtual workspace', async (t) => {
    const server = at(c1);
    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: 'apiVersion: tmc.kcp.io/v1alpha1\nkind: ClusterRegistration\nmetadata: {name: west}\nspec: {location: us-west, syncMode: Pull}\n' });
    const uid = (await kubectlOK(kc, ['get', 'clusterregistration', 'west', '-o', 'jsonpath={.metadata.uid}'], { server })).trim();
    const key = clusterKey(c1, 'west');
    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: deployment('synced', { [stateLabel(key)]: 'Sync' }) });
    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: deployment('unplaced') });

    const base = `/services/syncer/${c1}/west/${uid}/clusters`;
    const vw = `${srv.url}${base}/*`;
    const list = JSON.parse(await kubectlOK(kc, ['get', 'deployments', '-A', '-o', 'json'], { server: vw }));
    t.same(list.items.map((d: any) => d.metadata.name), ['synced'], 'only the Sync-labelled deployment');

    const agent = srv.tokens.issue(syncerUserName(c1, 'west'), [SYNCERS_GROUP]);
    const other = srv.tokens.issue(syncerUserName(c1, 'east'), [SYNCERS_GROUP]);
    t.equal((await raw(srv, `${base}/*/apis/apps/v1/deployments`, { token: other })).status, 403, 'another cluster\'s agent is refused');
    const bob = srv.tokens.issue('bob', []);
    t.equal((await raw(srv, `${base}/*/apis/apps/v1/deployments`, { token: bob })).status, 403);
    // kcp's RBAC: verb sync on the ClusterRegistration, in its workspace
    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: [
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata: {name: west-syncer}',
      'rules: [{apiGroups: [tmc.kcp.io], resources: [clusterregistrations], resourceNames: [west], verbs: [sync]}]', '---',
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRoleBinding', 'metadata: {name: bob-syncs-west}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: west-syncer}',
      'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: bob}]', '',
    ].join('\n') });
    await waitFor('RBAC lets bob sync west', async () => ((await raw(srv, `${base}/*/apis/apps/v1/deployments`, { token: bob })).status === 200 ? true : undefined));
    t.pass('a ClusterRole with verb sync on the registration opens its syncer view');
    const wrongUid = await raw(srv, `/services/syncer/${c1}/west/00000000-0000-0000-0000-000000000000/clusters/*/apis/apps/v1/deployments`);
    t.equal(wrongUid.status, 403);
    t.match(wrongUid.body, /not this ClusterRegistration's uid/);
    t.equal((await raw(srv, `/services/syncer/${c1}/nosuch/${uid}/clusters/*/api/v1/configmaps`)).status, 404);

    const obj = `${base}/${c1}/apis/apps/v1/namespaces/default/deployments/synced`;
    const st = await raw(srv, `${obj}/status`, { token: agent, method: 'PATCH', contentType: 'application/merge-patch+json', body: { status: { replicas: 1, readyReplicas: 1, availableReplicas: 1 } } });
    t.equal(st.status, 200, `status patch: ${st.body.slice(0, 300)}`);
    const upstream = JSON.parse(await kubectlOK(kc, ['-n', 'default', 'get', 'deployment', 'synced', '-o', 'json'], { server }));
    t.same(JSON.parse(upstream.metadata.annotations[statusAnnotation(key)]), { replicas: 1, readyReplicas: 1, availableReplicas: 1 }, 'status lands in the annotation');
    t.not(upstream.status?.readyReplicas, 1, '.status is left to aggregation');
    t.equal((await raw(srv, `${base}/${c1}/apis/apps/v1/namespaces/default/deployments/unplaced/status`, { token: agent, method: 'PATCH', contentType: 'application/merge-patch+json', body: { status: { replicas: 3 } } })).status, 404, 'an object not synced to this cluster is not there');

    const fin = await raw(srv, obj, { token: agent, method: 'PATCH', contentType: 'application/merge-patch+json', body: { metadata: { finalizers: [syncerFinalizer(key)] } } });
    t.equal(fin.status, 200, `finalizer patch: ${fin.body.slice(0, 300)}`);
    t.same(JSON.parse(fin.body).metadata.finalizers, [syncerFinalizer(key)]);
    const spec = await raw(srv, obj, { token: agent, method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 } } });
    t.equal(spec.status, 403);
    t.match(JSON.parse(spec.body).message, /only allows adding or removing the finalizer/);
    t.equal((await raw(srv, obj, { token: agent, method: 'DELETE' })).status, 403);
    const unfin = await raw(srv, obj, { token: agent, method: 'PATCH', contentType: 'application/json-patch+json', body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    t.equal(unfin.status, 200, `finalizer removal: ${unfin.body.slice(0, 300)}`);

    const w = openWatch(srv, `${base}/*/apis/apps/v1/deployments?watch=true`, agent);
    await w.ready;
    await waitFor('the watch lists the synced deployment', async () => (w.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'synced') ? true : undefined));
    t.notOk(w.events.some((e) => e.object.metadata.name === 'unplaced'));
    await kubectlOK(kc, ['-n', 'default', 'label', 'deployment', 'synced', `${stateLabel(key)}-`], { server });
    await waitFor('DELETED when the state label goes', async () => (w.events.some((e) => e.type === 'DELETED' && e.object.metadata.name === 'synced') ? true : undefined));
    w.close();
  });
});
