/**
 * kcp's own configuration files (test/fixtures/kcp/, copied unchanged from kcp-dev/kcp) applied as
 * a kcp user applies them: APIResourceSchemas in kcp's shape and their APIExport in a provider
 * workspace, an APIBinding from a consumer, the bound resources used through kubectl and, with
 * client-node, through the APIExport virtual workspace.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import * as k8s from '@kubernetes/client-node';
import { request, type Creds } from '../helpers/http.js';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'kcp');
const fixture = (p: string) => join(FIXTURES, p);

t.test("kcp's topology APIs, from kcp's own files", async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  const creds: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  for (const ws of ['provider', 'consumer']) {
    await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${ws}}\n` });
    await waitFor(`workspace ${ws}`, async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at(`root:${ws}`) })).code === 0);
  }

  await kubectlOK(kc, ['apply', '-f', fixture('topology/apiresourceschema-partitions.topology.kcp.io.yaml'),
    '-f', fixture('topology/apiresourceschema-partitionsets.topology.kcp.io.yaml'),
    '-f', fixture('topology/apiexport-topology.kcp.io.yaml')], { server: at('root:provider') });
  const stored = JSON.parse(await kubectlOK(kc, ['get', 'apiresourceschema', 'v240903-d6797056a.partitions.topology.kcp.io', '-o', 'json'], { server: at('root:provider') }));
  t.equal(stored.spec.versions[0].schema.type, 'object', 'the schema is stored where kcp puts it');
  t.notOk(stored.spec.versions[0].schema.openAPIV3Schema, 'no CRD wrapper');

  await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: topology}\nspec:\n  reference: {export: {path: "root:provider", name: topology.kcp.io}}\n' });
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/topology', '--timeout=30s'], { server: at('root:consumer') });

  // kubectl in the consumer: discovery, create, get with the schema's printer columns, explain
  await waitFor('bound resources discovered', async () => (await kubectl(kc, ['api-resources', '--api-group=topology.kcp.io'], { server: at('root:consumer') })).stdout.includes('partitionsets'));
  await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: `apiVersion: topology.kcp.io/v1alpha1
kind: Partition
metadata: {name: eu}
spec:
  selector: {matchLabels: {region: eu}}
` });
  const table = await kubectlOK(kc, ['get', 'partitions'], { server: at('root:consumer') });
  t.match(table, /NAME\s+OWNER\s+AGE/, "the schema's printer columns");
  t.match(table, /^eu\s/m);
  const explained = await kubectlOK(kc, ['explain', 'partitions.spec.selector'], { server: at('root:consumer') });
  t.match(explained, /label selector/i, 'kubectl explain reads the schema');
  const bad = await kubectl(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: 'apiVersion: topology.kcp.io/v1alpha1\nkind: Partition\nmetadata: {name: bad}\nspec: {selector: {matchLabels: 5}}\n' });
  t.not(bad.code, 0, 'the schema validates');
  t.match(bad.stderr, /matchLabels/);

  // the provider's view through the APIExport virtual workspace, with client-node
  // as kcp controllers do: the VW URL from the export's default APIExportEndpointSlice
  await waitFor('endpoint slice', async () => (await kubectl(kc, ['get', 'apiexportendpointslice', 'topology.kcp.io', '-o', 'jsonpath={.status.endpoints[0].url}'], { server: at('root:provider') })).stdout.startsWith('https://'), { timeoutMs: 10_000 });
  const slice = JSON.parse(await kubectlOK(kc, ['get', 'apiexportendpointslice', 'topology.kcp.io', '-o', 'json'], { server: at('root:provider') }));
  t.same(slice.spec.export, { path: 'root:provider', name: 'topology.kcp.io' }, 'a default slice per export');
  const vwURL: string = slice.status.endpoints[0].url;
  const exp = JSON.parse(await kubectlOK(kc, ['get', 'apiexport', 'topology.kcp.io', '-o', 'json'], { server: at('root:provider') }));
  t.equal(vwURL, exp.status.virtualWorkspaces[0].url, 'the same URL as the deprecated status.virtualWorkspaces');
  // a user's slice naming the export from elsewhere, and one naming no export
  await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIExportEndpointSlice\nmetadata: {name: mine}\nspec: {export: {path: "root:provider", name: topology.kcp.io}}\n---\napiVersion: apis.kcp.io/v1alpha1\nkind: APIExportEndpointSlice\nmetadata: {name: none}\nspec: {export: {name: nope}}\n' });
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.endpoints[0].url}=' + vwURL, 'apiexportendpointslice/mine', '--timeout=10s'], { server: at('root:consumer') });
  await kubectlOK(kc, ['wait', '--for=condition=APIExportValid=False', 'apiexportendpointslice/none', '--timeout=10s'], { server: at('root:consumer') });
  const config = new k8s.KubeConfig();
  config.loadFromFile(kc);
  config.clusters = config.clusters.map((c) => ({ ...c, server: `${vwURL}/clusters/*` }));
  const objects = config.makeApiClient(k8s.CustomObjectsApi);
  const list = await objects.listClusterCustomObject({ group: 'topology.kcp.io', version: 'v1alpha1', plural: 'partitions' }) as { items: Array<{ metadata: { name: string; annotations: Record<string, string> } }> };
  t.same(list.items.map((i) => i.metadata.name), ['eu'], 'the export sees the consumer\'s partition');
  const cluster = list.items[0]!.metadata.annotations['kcp.io/cluster']!;
  const consumerName = (await request(srv.url, creds, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/consumer')).json.spec.cluster;
  t.equal(cluster, consumerName, "each object names its logical cluster: the consumer's name, not its path");
  t.equal(list.items[0]!.metadata.annotations['kcp.io/path'], 'root:consumer');
  const providerName = (await request(srv.url, creds, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/provider')).json.spec.cluster;
  t.equal(vwURL, `${srv.url}/services/apiexport/${providerName}/topology.kcp.io`, "the VW URL names the export's logical cluster, as kcp builds it");
  // as a kcp controller writes back: to the workspace by the name in kcp.io/cluster
  const written = await request(srv.url, creds, 'PATCH', `/clusters/${cluster}/apis/topology.kcp.io/v1alpha1/partitions/eu`,
    { metadata: { labels: { seen: 'yes' } } }, { 'Content-Type': 'application/merge-patch+json' });
  t.equal(written.status, 200, written.text);
  t.equal(written.json.metadata.annotations['kcp.io/cluster'], cluster);
  config.clusters = config.clusters.map((c) => ({ ...c, server: `${vwURL}/clusters/${cluster}` }));
  const inConsumer = config.makeApiClient(k8s.CustomObjectsApi);
  await inConsumer.createClusterCustomObject({ group: 'topology.kcp.io', version: 'v1alpha1', plural: 'partitions',
    body: { apiVersion: 'topology.kcp.io/v1alpha1', kind: 'Partition', metadata: { name: 'us' }, spec: { selector: { matchLabels: { region: 'us' } } } } });
  t.match(await kubectlOK(kc, ['get', 'partitions', '-o', 'name'], { server: at('root:consumer') }), /partition.topology.kcp.io\/us/, 'a write through the view lands in the consumer');

  // the VW URL is a server as any other: /version, discovery, OpenAPI v3 and v2
  for (const c of ['*', cluster, 'root:consumer']) {
    const vw = `${vwURL}/clusters/${c}`;
    const version = JSON.parse(await kubectlOK(kc, ['version', '-o', 'json'], { server: vw }));
    t.match(version.serverVersion.gitVersion, /^v1\./, `kubectl version against ${c}`);
    t.match(await kubectlOK(kc, ['api-resources', '--api-group=topology.kcp.io'], { server: vw }), /partitions\s+topology\.kcp\.io\/v1alpha1\s+false\s+Partition/, `discovery at ${c}`);
    t.match(await kubectlOK(kc, ['explain', 'partitions.spec.selector'], { server: vw }), /label selector/i, `OpenAPI at ${c}`);
  }
  config.clusters = config.clusters.map((c) => ({ ...c, server: `${vwURL}/clusters/*` }));
  const v = await config.makeApiClient(k8s.VersionApi).getCode();
  t.match(v.gitVersion, /^v1\./, "client-node's VersionApi");
  const openapiV3 = await request(`${vwURL}/clusters/*/`, creds, 'GET', 'openapi/v3');
  t.ok(Object.keys(openapiV3.json.paths).some((k) => k.includes('topology.kcp.io/v1alpha1')), 'the OpenAPI v3 index lists the group');
  const openapiV2 = await request(`${vwURL}/clusters/*/`, creds, 'GET', 'openapi/v2');
  t.equal(openapiV2.status, 200);

  // a workspace not bound to the export: the VW says why, to API clients as a Status and to
  // kubectl through its discovery client (which shows a server's own words only for a text 403)
  const unbound = await request(`${vwURL}/clusters/root:provider/`, creds, 'GET', 'apis/topology.kcp.io/v1alpha1/partitions');
  t.equal(unbound.status, 403, 'denied as kcp\'s bound-API authorizer denies it');
  t.match(unbound.json, { reason: 'Forbidden', details: { group: 'topology.kcp.io', kind: 'partitions' } });
  t.match(unbound.json.message, /^partitions\.topology\.kcp\.io is forbidden: User "[^"]+" cannot list resource "partitions" in API group "topology\.kcp\.io" in workspace "root:provider": could not find suitable APIBinding in target logical cluster \(workspace "root:provider" is not bound to APIExport root:provider:topology\.kcp\.io/, 'kcp\'s reason, and ours');
  for (const args of [['api-resources'], ['get', 'partitions']]) {
    const r = await kubectl(kc, args, { server: `${vwURL}/clusters/root:provider` });
    t.not(r.code, 0);
    t.match(r.stderr, /Error from server \(Forbidden\): workspace "root:provider" is not bound to APIExport root:provider:topology\.kcp\.io; .*bind it with an APIBinding/, `kubectl ${args[0]} shows why`);
  }
  // --raw keeps only the host of --server, so the path names the VW
  const rawGet = await kubectl(kc, ['get', '--raw', `${new URL(vwURL).pathname}/clusters/root:provider/apis/topology.kcp.io/v1alpha1/partitions`], { server: srv.url });
  t.match(rawGet.stderr, /Error from server \(Forbidden\): partitions\.topology\.kcp\.io is forbidden: .*could not find suitable APIBinding in target logical cluster/, 'kubectl get --raw: the resource request itself');
});

t.test('APIResourceSchema validation as in kcp', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const apply = (yaml: string) => kubectl(kc, ['apply', '-f', '-'], { input: yaml });
  const schema = (name: string, version: string) => `apiVersion: apis.kcp.io/v1alpha1
kind: APIResourceSchema
metadata: {name: ${name}}
spec:
  group: wildwest.dev
  names: {kind: Cowboy, listKind: CowboyList, plural: cowboys, singular: cowboy}
  scope: Namespaced
  versions:
${version}`;

  // kcp's own example file applies as it is
  await kubectlOK(kc, ['apply', '-f', fixture('cowboys/apiresourceschema.yaml')]);

  let r = await apply(schema('today.cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}'));
  t.not(r.code, 0, 'the CRD wrapper is refused');
  t.match(r.stderr, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Forbidden: an APIResourceSchema carries the OpenAPI v3 schema directly/);

  r = await apply(schema('cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true, schema: {type: object}}'));
  t.not(r.code, 0);
  t.match(r.stderr, /metadata\.name: Invalid value: "cowboys\.wildwest\.dev": must end in \.cowboys\.wildwest\.dev/, 'the name needs a prefix');
  r = await apply(schema('Today.cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true, schema: {type: object}}'));
  t.match(r.stderr, /must match \^\[a-z\]\(\[-a-z0-9\]\*\[a-z0-9\]\)\?\$ in front of \.cowboys\.wildwest\.dev/);

  r = await apply(schema('v1.cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true}'));
  t.not(r.code, 0);
  t.match(r.stderr, /spec\.versions\[0\]\.schema: Required value/, 'a version needs a schema');

  r = await apply(schema('v2.cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true, schema: {type: object, properties: {spec: {properties: {a: {type: string}}}}}}'));
  t.not(r.code, 0);
  t.match(r.stderr, /spec\.versions\[0\]\.schema\.properties\[spec\]\.type: Required value/, 'the schema must be structural');

  r = await apply(schema('v3.cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true, schema: {type: object, properties: {spec: {type: object, properties: {a: {type: string}}, x-kubernetes-validations: [{rule: "self.a.startsWith("}]}}}}'));
  t.not(r.code, 0);
  t.match(r.stderr, /spec\.versions\[0\]\.schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.a\.startsWith\(": compilation failed/, 'a CEL rule that does not compile is refused at create');
  t.equal((await kubectl(kc, ['apply', '-f', '-'], { input: schema('v4.cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true, schema: {type: object, properties: {spec: {type: object, properties: {a: {type: string}}, x-kubernetes-validations: [{rule: "self.a.startsWith(\'x\')"}]}}}}') })).code, 0, 'one that compiles is taken');

  r = await apply(schema('today.cowboys.wildwest.dev', '  - {name: v1alpha1, served: true, storage: true, schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}'));
  t.not(r.code, 0);
  t.match(r.stderr, /spec: Invalid value: .*is immutable/, 'the spec is immutable');
});

t.test("kcp's v1alpha2 APIExport and APIBinding, beside v1alpha1", async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  const get = async (server: string, what: string, name: string) => JSON.parse(await kubectlOK(kc, ['get', what, name, '-o', 'json'], { server }));
  for (const ws of ['wildwest', 'ranch']) {
    await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${ws}}\n` });
    await waitFor(`workspace ${ws}`, async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at(`root:${ws}`) })).code === 0);
  }
  // kcp's example export is v1alpha2 (spec.resources[])
  await kubectlOK(kc, ['apply', '-f', fixture('cowboys/apiresourceschema.yaml'), '-f', fixture('cowboys/apiexport.yaml')], { server: at('root:wildwest') });
  const v2 = await get(at('root:wildwest'), 'apiexports.v1alpha2.apis.kcp.io', 'cowboys');
  t.same(v2.spec.resources, [{ name: 'cowboys', group: 'wildwest.dev', schema: 'today.cowboys.wildwest.dev', storage: { crd: {} } }], 'reads back as written');
  const v1 = await get(at('root:wildwest'), 'apiexports.v1alpha1.apis.kcp.io', 'cowboys');
  t.same(v1.spec.latestResourceSchemas, ['today.cowboys.wildwest.dev'], 'and as v1alpha1');
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.identityHash}', 'apiexports.v1alpha2.apis.kcp.io/cowboys', '--timeout=20s'], { server: at('root:wildwest') });

  // a v1alpha2 binding with v1alpha2 claims; it binds and serves, and reads back in both versions
  await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:ranch'), input: `apiVersion: apis.kcp.io/v1alpha2
kind: APIBinding
metadata: {name: cowboys}
spec:
  reference: {export: {path: "root:wildwest", name: cowboys}}
  permissionClaims:
  - {group: "", resource: configmaps, verbs: [get, list, watch], selector: {matchAll: true}, state: Accepted}
` });
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibindings.v1alpha2.apis.kcp.io/cowboys', '--timeout=30s'], { server: at('root:ranch') });
  const b2 = await get(at('root:ranch'), 'apibindings.v1alpha2.apis.kcp.io', 'cowboys');
  t.same(b2.spec.permissionClaims, [{ group: '', resource: 'configmaps', verbs: ['get', 'list', 'watch'], selector: { matchAll: true }, state: 'Accepted' }]);
  t.notOk(b2.metadata.annotations?.['apis.v1alpha2.kcp.io/acceptable-permission-claims'], 'the stored form stays out of sight');
  const b1 = await get(at('root:ranch'), 'apibindings.v1alpha1.apis.kcp.io', 'cowboys');
  t.same(b1.spec.permissionClaims, [{ group: '', resource: 'configmaps', all: true, state: 'Accepted' }], 'v1alpha1: matchAll is all');
  await waitFor('bound resource discovered', async () => (await kubectl(kc, ['api-resources', '--api-group=wildwest.dev'], { server: at('root:ranch') })).stdout.includes('cowboys'));
  await kubectlOK(kc, ['apply', '-f', fixture('cowboys/cowboy.yaml')], { server: at('root:ranch') });
  t.match(await kubectlOK(kc, ['get', 'cowboys', '-n', 'default', '-o', 'name'], { server: at('root:ranch') }), /cowboy.wildwest.dev\/john-wayne/);

  // a v1alpha1 manifest reads as v1alpha2; an update through v1alpha2 keeps what v1alpha1 said
  await kubectlOK(kc, ['apply', '-f', fixture('topology/apiresourceschema-partitions.topology.kcp.io.yaml'), '-f', fixture('topology/apiexport-topology.kcp.io.yaml')], { server: at('root:wildwest') });
  const topo = await get(at('root:wildwest'), 'apiexports.v1alpha2.apis.kcp.io', 'topology.kcp.io');
  t.same(topo.spec.resources.map((r: any) => `${r.name}.${r.group} ${r.schema}`), [
    'partitions.topology.kcp.io v240903-d6797056a.partitions.topology.kcp.io', 'partitionsets.topology.kcp.io v240903-d6797056a.partitionsets.topology.kcp.io',
  ]);
  await kubectlOK(kc, ['label', 'apiexports.v1alpha2.apis.kcp.io', 'topology.kcp.io', 'seen=yes'], { server: at('root:wildwest') });
  const topo1 = await get(at('root:wildwest'), 'apiexports.v1alpha1.apis.kcp.io', 'topology.kcp.io');
  t.equal(topo1.metadata.labels.seen, 'yes');
  t.equal(topo1.spec.latestResourceSchemas.length, 2);
  const bad = await kubectl(kc, ['apply', '-f', '-'], { server: at('root:wildwest'), input: 'apiVersion: apis.kcp.io/v1alpha2\nkind: APIExport\nmetadata: {name: bad}\nspec: {resources: [{name: x}]}\n' });
  t.not(bad.code, 0);
  t.match(bad.stderr, /spec\.resources\[0\]\.schema: Required value/, 'v1alpha2 is validated by its own schema');
});
