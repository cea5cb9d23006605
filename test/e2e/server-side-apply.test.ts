/**
 * Server-side apply with the real kubectl 1.32: client-side then server-side apply keeps every
 * field (kubectl's ownership migration), a second identical apply of list-maps whose keys have
 * defaults succeeds, and `kubectl diff --server-side` works on an unchanged manifest.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { gadgetCRD } from '../helpers/crd.js';
import { appsWorkload } from '../helpers/manifests.js';

const GADGET_CRD = gadgetCRD(`
  type: object
  properties:
    size: {type: integer}
    tags: {type: array, items: {type: string}, x-kubernetes-list-type: set}
    parts:
      type: array
      x-kubernetes-list-type: map
      x-kubernetes-list-map-keys: [name]
      items: {type: object, properties: {name: {type: string}, count: {type: integer}}}
`);

const SERVICE_AND_DEPLOYMENT = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80}
  - {name: https, port: 443}
---
${appsWorkload('Deployment', 'web', { containers: '[{name: c, image: nginx, ports: [{containerPort: 80}, {containerPort: 443}]}]' })}`;

t.test('server-side apply through kubectl', async (t) => {
  const srv = await startServer(t, { mode: 'cluster', readyDelayMs: 50 });
  const kc = srv.kubeconfigPath;
  const getJSON = async (...args: string[]) => JSON.parse(await kubectlOK(kc, ['get', ...args, '-o', 'json', '--show-managed-fields']));

  await t.test('client-side then server-side apply keeps a ConfigMap whole', async (t) => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: default, labels: {team: a}}\ndata: {alpha: "1", beta: "2"}\n';
    await kubectlOK(kc, ['apply', '-f', '-'], { input: cm });
    await kubectlOK(kc, ['apply', '--server-side', '-f', '-'], { input: cm });
    const got = await getJSON('configmap', 'settings');
    t.same(got.data, { alpha: '1', beta: '2' });
    t.same(got.metadata.labels, { team: 'a' });
    // a later apply that drops a key removes exactly that key
    await kubectlOK(kc, ['apply', '--server-side', '-f', '-'], { input: cm.replace(', beta: "2"', '') });
    t.same((await getJSON('configmap', 'settings')).data, { alpha: '1' });
  });

  await t.test('client-side then server-side apply keeps a custom resource whole', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { input: GADGET_CRD });
    await kubectlOK(kc, ['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=20s']);
    const g = `apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1, namespace: default, labels: {tier: gold}}\nspec: {size: 3, tags: [red, blue], parts: [{name: p, count: 2}]}\n`;
    await kubectlOK(kc, ['apply', '-f', '-'], { input: g });
    await kubectlOK(kc, ['apply', '--server-side', '-f', '-'], { input: g });
    const got = await getJSON('gadget', 'g1');
    t.same(got.spec, { size: 3, tags: ['red', 'blue'], parts: [{ name: 'p', count: 2 }] });
    t.same(got.metadata.labels, { tier: 'gold' });
    await kubectlOK(kc, ['apply', '--server-side', '-f', '-'], { input: g });
    t.same((await getJSON('gadget', 'g1')).spec.size, 3);
  });

  await t.test('a second identical apply of list-maps with defaulted keys succeeds', async (t) => {
    await kubectlOK(kc, ['apply', '--server-side', '-f', '-'], { input: SERVICE_AND_DEPLOYMENT });
    const again = await kubectl(kc, ['apply', '--server-side', '-f', '-'], { input: SERVICE_AND_DEPLOYMENT });
    t.equal(again.code, 0, again.stderr);
    const svc = await getJSON('service', 'web');
    t.same(svc.spec.ports.map((p: { port: number; protocol: string }) => [p.port, p.protocol]), [[80, 'TCP'], [443, 'TCP']]);
    const mf = svc.metadata.managedFields.find((m: { manager: string }) => m.manager === 'kubectl');
    t.ok(mf.fieldsV1['f:spec']['f:ports']['k:{"port":80,"protocol":"TCP"}'], 'keys recorded with the defaulted protocol');
    const dep = await getJSON('deployment', 'web');
    t.equal(dep.spec.template.spec.containers[0].ports.length, 2);
    const diff = await kubectl(kc, ['diff', '--server-side', '-f', '-'], { input: SERVICE_AND_DEPLOYMENT });
    t.equal(diff.code, 0, `diff of an unchanged manifest is empty: ${diff.stderr}${diff.stdout}`);
  });

  await t.test('client-side then server-side apply of a StatefulSet whose atomic list the server defaults', async (t) => {
    const sts = appsWorkload('StatefulSet', 'db', {
      spec: ['serviceName: db', 'volumeClaimTemplates:', '- metadata: {name: data}', '  spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}'],
      containers: '[{name: db, image: "postgres:16"}]',
    });
    await kubectlOK(kc, ['apply', '-f', '-'], { input: sts });
    const ssa = await kubectl(kc, ['apply', '--server-side', '-f', '-'], { input: sts });
    t.equal(ssa.code, 0, `no conflict on the defaulted volumeClaimTemplates: ${ssa.stderr}`);
    const got = await getJSON('sts', 'db');
    t.match(got.spec.volumeClaimTemplates[0], { kind: 'PersistentVolumeClaim', spec: { volumeMode: 'Filesystem' } });
    const diff = await kubectl(kc, ['diff', '--server-side', '-f', '-'], { input: sts });
    t.equal(diff.code, 0, `${diff.stdout}${diff.stderr}`);
  });

  await t.test('an unchanged Secret with stringData is a no-op for diff --server-side', async (t) => {
    const sec = 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: default}\ntype: Opaque\nstringData: {user: admin}\n';
    await kubectlOK(kc, ['apply', '--server-side', '-f', '-'], { input: sec });
    const diff = await kubectl(kc, ['diff', '--server-side', '-f', '-'], { input: sec });
    t.equal(diff.code, 0, `${diff.stdout}${diff.stderr}`);
  });

  await t.test('a duplicate list-map key names its key values', async (t) => {
    const dup = 'apiVersion: v1\nkind: Service\nmetadata: {name: dup, namespace: default}\nspec:\n  ports:\n  - {name: a, port: 80}\n  - {name: b, port: 80}\n';
    const r = await kubectl(kc, ['apply', '--server-side', '-f', '-'], { input: dup });
    t.not(r.code, 0);
    t.notMatch(r.stderr, /"object"/);
    t.match(r.stderr, /port=80,protocol="TCP"|"port":80/);
  });
});
