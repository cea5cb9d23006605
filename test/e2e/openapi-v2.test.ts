/**
 * /openapi/v2 as kube serves it (JSON, and the gnostic protobuf kubectl asks for), per workspace
 * and per virtual workspace: kubectl 1.20's client-side validation, `explain`, `diff` and server
 * dry-run work; kubectl 1.32 says "no matches for kind" for a kind nobody serves.
 */
import t from 'tap';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { request, type Creds } from '../helpers/http.js';
import { kubectl120Missing, kubectl120Path, runKubectl } from '../helpers/kubectl-versions.js';
import { kubectl, kubectlOK, startServer, tempDir } from '../helpers/tmc.js';
import { crdYAML } from '../helpers/crd.js';
import { waitFor } from '../helpers/wait.js';

const PROTO = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

const CRD = crdYAML({ kind: 'Widget', description: 'A Widget is a thing for tests.' }, `
  type: object
  description: What the widget should be.
  properties:
    size: {type: integer, description: How big the widget is.}
    extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
    port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
`);

t.test('/openapi/v2', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const dir = tempDir(t);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const ws = `${srv.url}/clusters/root:ws`;
  await kubectlOK(kc, ['create', '-f', '-'], { input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ws}\n' });
  await waitFor('workspace ws ready', async () => (await kubectl(kc, ['get', 'namespace', 'default'], { server: ws })).code === 0, { timeoutMs: 10_000, everyMs: 100 });
  await kubectlOK(kc, ['apply', '-f', '-'], { server: ws, input: CRD });
  await kubectlOK(kc, ['apply', '-f', '-'], { server: ws, input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: kubernetes}\nspec:\n  reference: {export: {path: "root:compute", name: kubernetes}}\n' });
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/kubernetes', '--timeout=30s'], { server: ws });
  const wsKc = join(dir, 'ws.kubeconfig');
  writeFileSync(wsKc, (await import('node:fs')).readFileSync(kc, 'utf8').replace(/server: (\S+)\/clusters\/root\b/, 'server: $1/clusters/root:ws'));

  await t.test('JSON and protobuf, per workspace', async (t) => {
    const json = await request(srv.url, admin, 'GET', '/clusters/root:ws/openapi/v2', undefined, { Accept: 'application/json' });
    t.equal(json.status, 200);
    t.equal(json.json.swagger, '2.0');
    const cm = json.json.definitions['io.k8s.api.core.v1.ConfigMap'];
    t.same(cm['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'ConfigMap' }]);
    t.same(cm.properties.metadata, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', description: cm.properties.metadata.description });
    const widget = json.json.definitions['com.example.v1.Widget'];
    t.ok(widget, 'the workspace\'s CRD is there');
    t.same(widget.properties.spec.properties.port, { type: 'string', format: 'int-or-string' }, 'int-or-string as kube publishes IntOrString');
    t.same(widget.properties.spec.properties.extra, { type: 'object', additionalProperties: {} }, 'unknown fields kept: a map of anything');
    t.ok(json.json.definitions['io.k8s.api.apps.v1.Deployment'], 'bound resources are there');
    const patch = json.json.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch;
    t.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'dryRun' && p.in === 'query'), 'PATCH takes dryRun (kubectl 1.20 checks it)');
    const root = await request(srv.url, admin, 'GET', '/clusters/root/openapi/v2');
    t.notOk(root.json.definitions['com.example.v1.Widget'], 'another workspace does not see it');

    const proto = await request(srv.url, admin, 'GET', '/clusters/root:ws/openapi/v2', undefined, { Accept: PROTO });
    t.equal(proto.status, 200);
    t.equal(proto.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    t.match(proto.text, /io\.k8s\.api\.core\.v1\.ConfigMap/);
    const again = await request(srv.url, admin, 'GET', '/clusters/root:ws/openapi/v2', undefined, { Accept: PROTO, 'If-None-Match': String(proto.headers.etag) });
    t.equal(again.status, 304, 'ETag');
  });

  await t.test('the APIExport virtual workspace serves it too', async (t) => {
    const vw = await request(srv.url, admin, 'GET', '/services/apiexport/root:compute/kubernetes/clusters/*/openapi/v2');
    t.equal(vw.status, 200);
    t.ok(vw.json.definitions['io.k8s.api.apps.v1.Deployment']);
    t.notOk(vw.json.definitions['com.example.v1.Widget'], 'only what the view serves');
  });

  await t.test('kubectl 1.20: validation, explain, diff, server dry-run', { skip: kubectl120Missing() }, async (t) => {
    const k120 = kubectl120Path()!;
    const cache = join(dir, 'cache120');
    const run = (args: string[], input?: string) => runKubectl(k120, wsKc, args, { input, cacheDir: cache });
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c1, namespace: default}\ndata: {a: "1"}\n';
    let r = await run(['apply', '-f', '-'], cm);
    t.equal(r.code, 0, r.stderr);
    r = await run(['apply', '-f', '-'], `${cm}bogus: 1\n`);
    t.not(r.code, 0);
    t.match(r.stderr, /error validating data: ValidationError\(ConfigMap\): unknown field "bogus" in io\.k8s\.api\.core\.v1\.ConfigMap/, 'client-side validation from the v2 schema');
    r = await run(['explain', 'widgets.spec']);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /KIND:\s+Widget/);
    t.match(r.stdout, /size\s+<integer>\s+How big the widget is\./);
    r = await run(['diff', '-f', '-'], cm);
    t.equal(r.code, 0, `no difference: ${r.stderr}`);
    r = await run(['diff', '-f', '-'], cm.replace('"1"', '"2"'));
    t.equal(r.code, 1, r.stderr);
    t.match(r.stdout, /-\s+a: "1"\n\+\s+a: "2"/);
    r = await run(['apply', '--dry-run=server', '-f', '-'], cm.replace('"1"', '"2"'));
    t.match(r.stdout, /configmap\/c1 configured \(server dry run\)/, r.stderr);
    r = await run(['apply', '-f', '-'], 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\nspec: {size: 2, port: http, extra: {any: {thing: 1}}}\n');
    t.equal(r.code, 0, r.stderr);
    r = await run(['diff', '-f', '-'], 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\nspec: {size: 3, port: http, extra: {any: {thing: 1}}}\n');
    t.equal(r.code, 1, r.stderr);
    t.match(r.stdout, /\+\s+size: 3/);
  });

  await t.test('kubectl 1.32: a kind nobody serves is "no matches for kind"', async (t) => {
    const r = await kubectl(kc, ['apply', '-f', '-'], { input: 'apiVersion: example.com/v1\nkind: Nope\nmetadata: {name: x}\n' });
    t.not(r.code, 0);
    t.match(r.stderr, /no matches for kind "Nope" in version "example.com\/v1"/);
    t.notMatch(r.stderr, /failed to download openapi/);
  });
});
