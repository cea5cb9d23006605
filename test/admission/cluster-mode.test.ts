/**
 * Admission in cluster mode (`--mode cluster`): objects carry no `kcp.io/cluster` annotation and
 * the one logical cluster is 'cluster'. A ValidatingAdmissionPolicy created there (with kubectl)
 * must apply to that cluster's objects — the admission caches key by the storage key's cluster —
 * and so must the AdmissionReview endpoint, for reviews without the annotation.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer, tempDir } from '../helpers/tmc.js';
import { request } from '../helpers/http.js';

const POLICY = `
apiVersion: v1
kind: ConfigMap
metadata: {name: replica-limits, namespace: default}
data: {maxReplicas: "2"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceeds ' + params.data.maxReplicas"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas}
spec:
  policyName: max-replicas
  validationActions: [Deny]
  paramRef: {name: replica-limits, namespace: default}
`;
const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`;

t.test('cluster mode: policies created in the cluster apply to its objects', async (t) => {
  const srv = await startServer(t, { mode: 'cluster' });
  const kc = srv.kubeconfigPath;
  await kubectlOK(kc, ['apply', '-f', '-'], { input: POLICY });
  const stored = await srv.store.get({ cluster: 'cluster', resource: 'admissionregistration.k8s.io/validatingadmissionpolicies', namespace: '', name: 'max-replicas' });
  t.ok(stored, 'the policy is stored under the cluster "cluster"');
  t.notOk(stored?.metadata.annotations?.['kcp.io/cluster'], 'without a kcp.io/cluster annotation');

  const denied = await kubectl(kc, ['apply', '-f', '-'], { input: deployment('big', 3) });
  t.not(denied.code, 0);
  t.match(denied.stderr, `The deployments "big" is invalid: : ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas' denied request: replicas 3 exceeds 2`);
  const ok = await kubectl(kc, ['apply', '-f', '-'], { input: deployment('small', 2) });
  t.equal(ok.code, 0, ok.stderr);

  await kubectlOK(kc, ['-n', 'default', 'patch', 'configmap', 'replica-limits', '--type', 'merge', '-p', '{"data":{"maxReplicas":"1"}}']);
  const scaled = await kubectl(kc, ['-n', 'default', 'patch', 'deployment', 'small', '--type', 'merge', '-p', '{"spec":{"replicas":3}}']);
  t.not(scaled.code, 0);
  t.match(scaled.stderr, 'replicas 3 exceeds 1', 'updates use the current param');

  // the webhook endpoint admits annotation-less reviews in the same cluster
  const creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hooked', namespace: 'default' }, spec: { replicas: 5 } };
  const res = await request(srv.url, creds, 'POST', '/admission/validate', {
    apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview',
    request: { uid: 'u1', kind: { group: 'apps', version: 'v1', kind: 'Deployment' }, resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      name: 'hooked', namespace: 'default', operation: 'CREATE', userInfo: { username: 'x' }, object: obj, oldObject: null, dryRun: false },
  });
  t.equal(res.status, 200, res.text);
  t.equal(res.json.response.allowed, false);
  t.match(res.json.response.status.message, 'replicas 5 exceeds 1');
});

t.test('cluster mode: policies that exist at startup are enforced (initial list)', async (t) => {
  const dir = tempDir(t);
  const first = await startServer(t, { mode: 'cluster', storage: 'sqlite', dataDir: dir });
  await kubectlOK(first.kubeconfigPath, ['apply', '-f', '-'], { input: POLICY });
  await first.stop();
  const srv = await startServer(t, { mode: 'cluster', storage: 'sqlite', dataDir: dir });
  const denied = await kubectl(srv.kubeconfigPath, ['apply', '-f', '-'], { input: deployment('big', 3) });
  t.not(denied.code, 0);
  t.match(denied.stderr, 'replicas 3 exceeds 2');
});
