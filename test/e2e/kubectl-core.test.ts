/**
 * The real kubectl against a started tmc-server: the acceptance list of the API server core.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const WIDGET_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList, shortNames: [wg], categories: [all]}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
    - {name: Phase, type: string, jsonPath: .status.phase}
    schema:
      openAPIV3Schema:
        type: object
        description: A Widget is a thing for tests.
        properties:
          spec:
            type: object
            description: What the widget should be.
            properties:
              size: {type: integer, minimum: 0, description: How big the widget is.}
              color: {type: string, default: blue, description: Its color.}
          status:
            type: object
            properties:
              phase: {type: string}
`;

t.test('kubectl against tmc-server', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;

  await t.test('namespace and configmap CRUD', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n' });
    const nsOut = await kubectlOK(kc, ['get', 'namespaces']);
    t.match(nsOut, /team-a\s+Active/);
    t.match(nsOut, /default\s+Active/);
    await kubectlOK(kc, ['-n', 'team-a', 'create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1", b: "2"}\n' });
    const got = JSON.parse(await kubectlOK(kc, ['-n', 'team-a', 'get', 'configmap', 'cfg', '-o', 'json']));
    t.same(got.data, { a: '1', b: '2' });
    t.equal(got.metadata.annotations['kcp.io/cluster'], 'root');
    const table = await kubectlOK(kc, ['-n', 'team-a', 'get', 'configmaps']);
    t.match(table, /NAME\s+DATA\s+AGE/);
    t.match(table, /cfg\s+2\s+/);
    await kubectlOK(kc, ['-n', 'team-a', 'delete', 'configmap', 'cfg']);
    const r = await kubectl(kc, ['-n', 'team-a', 'get', 'configmap', 'cfg']);
    t.not(r.code, 0);
    t.match(r.stderr, /Error from server \(NotFound\): configmaps "cfg" not found/);
  });

  await t.test('api-resources lists built-ins', async (t) => {
    const out = await kubectlOK(kc, ['api-resources']);
    t.match(out, /configmaps\s+cm\s+v1\s+true\s+ConfigMap/);
    t.match(out, /namespaces\s+ns\s+v1\s+false\s+Namespace/);
    t.match(out, /customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io\/v1\s+false\s+CustomResourceDefinition/);
  });

  await t.test('CRD apply, Established, CR with strict validation', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { input: WIDGET_CRD });
    await kubectlOK(kc, ['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
    const w1 = `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default, labels: {tier: gold, env: prod}}\nspec: {size: 3}\n`;
    await kubectlOK(kc, ['apply', '-f', '-'], { input: w1 });
    const obj = JSON.parse(await kubectlOK(kc, ['get', 'widget', 'w1', '-o', 'json']));
    t.equal(obj.spec.size, 3);
    t.equal(obj.spec.color, 'blue', 'schema default applied');
    t.equal(obj.metadata.generation, 1);
    // re-apply (client-side) with a change
    await kubectlOK(kc, ['apply', '-f', '-'], { input: w1.replace('size: 3', 'size: 4') });
    const obj2 = JSON.parse(await kubectlOK(kc, ['get', 'wg', 'w1', '-o', 'json']));
    t.equal(obj2.spec.size, 4);
    t.equal(obj2.metadata.generation, 2);
    // unknown field refused by default strict validation
    const bad = await kubectl(kc, ['apply', '-f', '-'], { input: w1.replace('size: 3', 'size: 3, bogus: 1') });
    t.not(bad.code, 0);
    t.match(bad.stderr, /unknown field "spec.bogus"/);
    // schema violation → Invalid
    const inv = await kubectl(kc, ['apply', '-f', '-'], { input: w1.replace('size: 3', 'size: -1') });
    t.not(inv.code, 0);
    t.match(inv.stderr, /Invalid/);
    t.match(inv.stderr, /spec.size/);
  });

  await t.test('server-side apply', async (t) => {
    const w2 = `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w2, namespace: default, labels: {tier: silver}}\nspec: {size: 7}\n`;
    await kubectlOK(kc, ['apply', '--server-side', '-f', '-'], { input: w2 });
    const obj = JSON.parse(await kubectlOK(kc, ['get', 'widget', 'w2', '-o', 'json', '--show-managed-fields']));
    t.equal(obj.spec.size, 7);
    t.ok(obj.metadata.managedFields.some((m: { manager: string; operation: string }) => m.manager === 'kubectl' && m.operation === 'Apply'));
    // a different manager changing the same field conflicts
    const conflict = await kubectl(kc, ['apply', '--server-side', '--field-manager', 'other', '-f', '-'], { input: w2.replace('size: 7', 'size: 8') });
    t.not(conflict.code, 0);
    t.match(conflict.stderr, /conflict/i);
    await kubectlOK(kc, ['apply', '--server-side', '--force-conflicts', '--field-manager', 'other', '-f', '-'], { input: w2.replace('size: 7', 'size: 8') });
    const obj2 = JSON.parse(await kubectlOK(kc, ['get', 'widget', 'w2', '-o', 'json']));
    t.equal(obj2.spec.size, 8);
  });

  await t.test('merge and json patch, status subresource', async (t) => {
    await kubectlOK(kc, ['patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"color":"red"}}']);
    await kubectlOK(kc, ['patch', 'widget', 'w1', '--type=json', '-p', '[{"op":"replace","path":"/spec/size","value":9}]']);
    let obj = JSON.parse(await kubectlOK(kc, ['get', 'widget', 'w1', '-o', 'json']));
    t.equal(obj.spec.color, 'red');
    t.equal(obj.spec.size, 9);
    // status through the main resource is ignored; through /status it lands
    await kubectlOK(kc, ['patch', 'widget', 'w1', '--type=merge', '-p', '{"status":{"phase":"Ignored"}}']);
    obj = JSON.parse(await kubectlOK(kc, ['get', 'widget', 'w1', '-o', 'json']));
    t.equal(obj.status, undefined);
    await kubectlOK(kc, ['patch', 'widget', 'w1', '--subresource', 'status', '--type=merge', '-p', '{"status":{"phase":"Running"}}']);
    obj = JSON.parse(await kubectlOK(kc, ['get', 'widget', 'w1', '-o', 'json']));
    t.equal(obj.status.phase, 'Running');
    const gen = obj.metadata.generation;
    t.equal(gen, 4, 'status writes do not bump generation');
  });

  await t.test('printer columns and -o wide', async (t) => {
    const out = await kubectlOK(kc, ['get', 'widgets']);
    t.match(out, /NAME\s+SIZE\s+PHASE\n/, 'declared columns only (no Age unless declared), as kube');
    t.match(out, /w1\s+9\s+Running/);
    const wide = await kubectlOK(kc, ['get', 'widgets', '-o', 'wide']);
    t.match(wide, /NAME\s+SIZE\s+COLOR\s+PHASE\n/);
    t.match(wide, /w1\s+9\s+red\s+Running/);
  });

  await t.test('label selectors, set-based', async (t) => {
    const out = await kubectlOK(kc, ['get', 'widgets', '-l', 'tier in (gold,platinum),env', '-o', 'name']);
    t.equal(out.trim(), 'widget.example.com/w1');
    const out2 = await kubectlOK(kc, ['get', 'widgets', '-l', 'tier notin (gold)', '-o', 'name']);
    t.equal(out2.trim(), 'widget.example.com/w2');
    const bad = await kubectl(kc, ['get', 'widgets', '-l', 'tier in (gold']);
    t.not(bad.code, 0);
  });

  await t.test('get -w sees a change', async (t) => {
    const { spawn } = await import('node:child_process');
    const child = spawn('kubectl', ['--kubeconfig', kc, 'get', 'widgets', '-w', '-o', 'jsonpath={.metadata.name}:{.metadata.labels.seen}{"\\n"}']);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    await waitFor('the watch lists w2', () => out.includes('w2:'));
    await kubectlOK(kc, ['label', 'widget', 'w2', 'seen=yes']);
    await waitFor('the watch shows the label on w2', () => out.includes('w2:yes'));
    child.kill();
    t.match(out, /^w1:$/m, 'initial state listed');
    t.match(out, /^w2:yes$/m, 'the change arrived through the watch');
  });

  await t.test('explain uses the published OpenAPI', async (t) => {
    const out = await kubectlOK(kc, ['explain', 'widgets.spec']);
    t.match(out, /How big the widget is/);
    const cm = await kubectlOK(kc, ['explain', 'configmap.data']);
    t.match(cm, /data/i);
  });

  await t.test('errors: NotFound, AlreadyExists, Invalid', async (t) => {
    const nf = await kubectl(kc, ['get', 'namespace', 'nope']);
    t.match(nf.stderr, /Error from server \(NotFound\): namespaces "nope" not found/);
    const ae = await kubectl(kc, ['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n' });
    t.match(ae.stderr, /Error from server \(AlreadyExists\): .*namespaces "team-a" already exists/);
    const inv = await kubectl(kc, ['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n' });
    t.match(inv.stderr, /Invalid/);
    t.match(inv.stderr, /metadata.name/);
  });

  await t.test('a child workspace is isolated from root', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: org}\n' });
    const ws = await kubectlOK(kc, ['get', 'workspaces']);
    t.match(ws, /org/);
    const orgURL = `${srv.url}/clusters/root:org`;
    await kubectlOK(kc, ['create', '-f', '-'], { server: orgURL, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: only-in-org}\ndata: {x: \"y\"}\n' });
    const inOrg = await kubectlOK(kc, ['get', 'configmaps', '-o', 'name'], { server: orgURL });
    t.match(inOrg, /only-in-org/);
    const inRoot = await kubectlOK(kc, ['get', 'configmaps', '-o', 'name']);
    t.notMatch(inRoot, /only-in-org/);
    // CRDs of root are not served in org
    const r = await kubectl(kc, ['get', 'widgets'], { server: orgURL });
    t.not(r.code, 0);
    const cm = JSON.parse(await kubectlOK(kc, ['get', 'configmap', 'only-in-org', '-o', 'json'], { server: orgURL }));
    t.equal(cm.metadata.annotations['kcp.io/path'], 'root:org');
    const missing = await kubectl(kc, ['get', 'configmaps'], { server: `${srv.url}/clusters/root:nope` });
    t.not(missing.code, 0);
  });
});
