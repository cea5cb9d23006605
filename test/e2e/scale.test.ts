/**
 * The `/scale` subresource with the real kubectl (which sends a merge patch for a plain scale and
 * GET + PUT with --current-replicas) and raw requests for the wire details: the autoscaling/v1
 * Scale shape, optimistic concurrency on the parent's resourceVersion, validation, and 404 for
 * resources without the subresource. Built-in workloads in cluster mode, a CRD in server mode.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { kubectl, kubectlOK, startServer, type RunningServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const creds = (srv: RunningServer): Creds => ({ caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem });

t.test('kubectl scale on a Deployment (cluster mode)', async (t) => {
  const srv = await startServer(t, { mode: 'cluster' });
  const kc = srv.kubeconfigPath;
  const scaleURL = '/apis/apps/v1/namespaces/default/deployments/x/scale';
  await kubectlOK(kc, ['create', 'deployment', 'x', '--image=nginx', '--replicas=1']);

  t.match(await kubectlOK(kc, ['scale', 'deployment', 'x', '--replicas=3']), /deployment.apps\/x scaled/);
  t.equal((await kubectlOK(kc, ['get', 'deployment', 'x', '-o', 'jsonpath={.spec.replicas}'])).trim(), '3', 'the parent has the new replicas');

  const deploy = JSON.parse(await kubectlOK(kc, ['get', 'deployment', 'x', '-o', 'json']));
  const scale = JSON.parse(await kubectlOK(kc, ['get', '--raw', scaleURL]));
  const after = JSON.parse(await kubectlOK(kc, ['get', 'deployment', 'x', '-o', 'json']));
  // the status simulator may write the Deployment in between: the Scale's revision is the parent's at read time
  const rv = Number(scale.metadata.resourceVersion);
  t.ok(rv >= Number(deploy.metadata.resourceVersion) && rv <= Number(after.metadata.resourceVersion), 'the Scale carries the parent\'s resourceVersion');
  t.match(scale, {
    apiVersion: 'autoscaling/v1', kind: 'Scale',
    metadata: { name: 'x', namespace: 'default', uid: deploy.metadata.uid, creationTimestamp: deploy.metadata.creationTimestamp },
    spec: { replicas: 3 },
    status: { selector: 'app=x' },
  }, 'an autoscaling/v1 Scale projected from the Deployment');
  t.type(scale.status.replicas, 'number');

  // --current-replicas makes kubectl GET the Scale and PUT it back (the update path)
  t.match(await kubectlOK(kc, ['scale', 'deployment', 'x', '--current-replicas=3', '--replicas=2']), /scaled/);
  t.equal((await kubectlOK(kc, ['get', 'deployment', 'x', '-o', 'jsonpath={.spec.replicas}'])).trim(), '2');
  const wrong = await kubectl(kc, ['scale', 'deployment', 'x', '--current-replicas=7', '--replicas=1']);
  t.not(wrong.code, 0, 'a failed --current-replicas precondition is an error');

  const api = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    request(srv.url, creds(srv), method, path, body, { 'Content-Type': contentType });
  const current = (await api('GET', scaleURL)).json;
  const stale = await api('PUT', scaleURL, { ...current, metadata: { ...current.metadata, resourceVersion: '1' }, spec: { replicas: 5 } });
  t.equal(stale.status, 409, 'a stale resourceVersion on the Scale is a Conflict');
  t.equal(stale.json.reason, 'Conflict');
  // without a resourceVersion the update is unconditional (the status simulator may have moved it on)
  const put = await api('PUT', scaleURL, { ...current, metadata: { name: 'x', namespace: 'default' }, spec: { replicas: 4 } });
  t.equal(put.status, 200);
  t.equal(put.json.spec.replicas, 4);
  t.not(put.json.metadata.resourceVersion, current.metadata.resourceVersion, 'the Scale carries the new revision');

  const jp = await api('PATCH', scaleURL, [{ op: 'replace', path: '/spec/replicas', value: 6 }], 'application/json-patch+json');
  t.equal(jp.status, 200);
  t.equal(jp.json.spec.replicas, 6, 'json patch on the Scale');

  const negative = await api('PATCH', scaleURL, { spec: { replicas: -1 } }, 'application/merge-patch+json');
  t.equal(negative.status, 422);
  t.match(negative.json.message, /Scale.autoscaling "x" is invalid: spec.replicas/);

  const dry = await api('PATCH', `${scaleURL}?dryRun=All`, { spec: { replicas: 9 } }, 'application/merge-patch+json');
  t.equal(dry.json.spec.replicas, 9, 'dry run answers with the would-be Scale');
  t.equal((await kubectlOK(kc, ['get', 'deployment', 'x', '-o', 'jsonpath={.spec.replicas}'])).trim(), '6', 'and stores nothing');

  t.equal((await api('GET', '/apis/apps/v1/namespaces/default/deployments/nope/scale')).status, 404);

  await kubectlOK(kc, ['create', 'configmap', 'c', '--from-literal=a=b']);
  const cm = await kubectl(kc, ['scale', 'configmap', 'c', '--replicas=2']);
  t.not(cm.code, 0, 'a ConfigMap has no scale subresource');
  t.equal((await api('GET', '/api/v1/namespaces/default/configmaps/c/scale')).status, 404);
});

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: pools.example.com}
spec:
  group: example.com
  names: {plural: pools, singular: pool, kind: Pool, listKind: PoolList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.size, labelSelectorPath: .status.selector}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
          status: {type: object, properties: {size: {type: integer}, selector: {type: string}}}
`;

t.test('kubectl scale on a custom resource with a scale subresource (server mode)', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  await kubectlOK(kc, ['apply', '-f', '-'], { input: CRD });
  // the CRD is served once it is established
  await waitFor('pools served', async () => (await kubectl(kc, ['get', 'pools'])).code === 0, { timeoutMs: 5_000, everyMs: 100 });
  await kubectlOK(kc, ['apply', '-f', '-'], { input: 'apiVersion: example.com/v1\nkind: Pool\nmetadata: {name: p, namespace: default}\nspec: {size: 1}\n' });
  t.match(await kubectlOK(kc, ['scale', 'pool', 'p', '--replicas=4']), /pool.example.com\/p scaled/);
  t.equal((await kubectlOK(kc, ['get', 'pool', 'p', '-o', 'jsonpath={.spec.size}'])).trim(), '4', 'specReplicasPath is written');

  const url = '/apis/example.com/v1/namespaces/default/pools/p';
  const api = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    request(srv.url, creds(srv), method, `/clusters/root${path}`, body, { 'Content-Type': contentType });
  t.equal((await api('PATCH', `${url}/status`, { status: { size: 2, selector: 'role=pool' } }, 'application/merge-patch+json')).status, 200);
  const scale = (await api('GET', `${url}/scale`)).json;
  t.match(scale, { kind: 'Scale', spec: { replicas: 4 }, status: { replicas: 2, selector: 'role=pool' } }, 'status paths are read');
});
