/** AdmissionReview round trips posted to /admission/{validate,mutate} of a server with the default wiring (admission on). */
import t from 'tap';
import { startServer } from '../../helpers/tmc.js';
import { request } from '../../helpers/http.js';

const review = (request: Record<string, unknown>) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
const configMap = (name: string, labels: Record<string, string>, cluster = 'root') => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels, annotations: { 'kcp.io/cluster': cluster } }, data: { a: '1' },
});
const cmRequest = (uid: string, object: unknown) => ({
  uid, kind: { group: '', version: 'v1', kind: 'ConfigMap' }, resource: { group: '', version: 'v1', resource: 'configmaps' },
  name: (object as { metadata: { name: string } }).metadata.name, namespace: 'default', operation: 'CREATE',
  userInfo: { username: 'alice', groups: ['devs'] }, object, oldObject: null, dryRun: false,
});

t.test('AdmissionReview endpoints', async (t) => {
  const srv = await startServer(t);
  const creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const post = (path: string, body: unknown) => request(srv.url, creds, 'POST', path, body);
  const put = (resource: string, name: string, obj: unknown) => srv.store.create({ cluster: 'root', resource, namespace: '', name }, obj as never);
  await put('admissionregistration.k8s.io/validatingadmissionpolicies', 'no-secret-label', {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'no-secret-label', annotations: { 'kcp.io/cluster': 'root' } },
    spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
      validations: [{ expression: "!('secret' in object.metadata.labels)", message: 'no secret label', reason: 'Forbidden' },
        { expression: "request.userInfo.username != 'mallory'", messageExpression: "'user ' + request.userInfo.username + ' may not'" }] },
  });
  await put('admissionregistration.k8s.io/validatingadmissionpolicybindings', 'b', {
    apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b', annotations: { 'kcp.io/cluster': 'root' } },
    spec: { policyName: 'no-secret-label', validationActions: ['Deny'] },
  });

  await t.test('allowed: uid echoed, no status', async (t) => {
    const r = await post('/admission/validate', review(cmRequest('u-1', configMap('ok', { app: 'x' }))));
    t.equal(r.status, 200);
    t.same(r.json, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u-1', allowed: true } });
  });

  await t.test('denied: a Status with the validation reason and kube message', async (t) => {
    const r = await post('/admission/validate', review(cmRequest('u-2', configMap('bad', { secret: 'y' }))));
    t.equal(r.status, 200);
    t.equal(r.json.response.uid, 'u-2');
    t.equal(r.json.response.allowed, false);
    t.equal(r.json.response.status.code, 403);
    t.equal(r.json.response.status.reason, 'Forbidden');
    t.equal(r.json.response.status.message, `configmaps "bad" is forbidden: ValidatingAdmissionPolicy 'no-secret-label' with binding 'b' denied request: no secret label`);
    const u = cmRequest('u-3', configMap('fine', {}));
    u.userInfo = { username: 'mallory', groups: [] };
    const r2 = await post('/admission/validate', review(u));
    t.equal(r2.json.response.status.code, 422);
    t.match(r2.json.response.status.message, 'denied request: user mallory may not');
  });

  await t.test('workspace comes from kcp.io/cluster: other workspaces have no policy', async (t) => {
    const r = await post('/admission/validate', review(cmRequest('u-4', configMap('bad', { secret: 'y' }, 'root:other'))));
    t.equal(r.json.response.allowed, true);
  });

  await t.test('mutate: placement labels come back as a base64 JSONPatch', async (t) => {
    await srv.store.create({ cluster: 'root', resource: 'tmc.kcp.io/workloadplacements', namespace: 'default', name: 'web' }, {
      apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name: 'web', namespace: 'default', annotations: { 'kcp.io/cluster': 'root' } },
      spec: { workloadSelector: { workloadTypes: [{ group: '', kind: 'ConfigMap' }], labelSelector: { matchLabels: { app: 'web' } } } },
      status: { decisions: [{ clusterName: 'east', clusterKey: 'k1' }] },
    } as never);
    const r = await post('/admission/mutate', review(cmRequest('u-5', configMap('web-cfg', { app: 'web' }))));
    t.equal(r.json.response.uid, 'u-5');
    t.equal(r.json.response.allowed, true);
    t.equal(r.json.response.patchType, 'JSONPatch');
    const ops = JSON.parse(Buffer.from(r.json.response.patch, 'base64').toString());
    t.same(ops.map((o: { op: string; path: string; value: unknown }) => [o.op, o.path, o.value]).sort(), [
      ['add', '/metadata/annotations/tmc.kcp.io~1placement', 'default/web'],
      // the syncer's finalizer comes in the same write as the Sync label (docs/sync.md)
      ['add', '/metadata/finalizers', ['tmc.kcp.io/syncer-k1']],
      ['add', '/metadata/labels/state.tmc.kcp.io~1k1', 'Sync'],
    ]);
    const none = await post('/admission/mutate', review(cmRequest('u-6', configMap('other', { app: 'api' }))));
    t.same(none.json.response, { uid: 'u-6', allowed: true });
  });

  await t.test('bad reviews are 400 Status', async (t) => {
    for (const [body, msg] of [
      [{ apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'x' } }, 'expected admission.k8s.io/v1 AdmissionReview'],
      [{ apiVersion: 'admission.k8s.io/v1', kind: 'Pod' }, 'expected admission.k8s.io/v1 AdmissionReview'],
      [review({ operation: 'CREATE' }), 'request.uid is required'],
      [review({ uid: 'x', operation: 'EXPLODE' }), 'request.operation must be'],
      ['{not json', 'invalid AdmissionReview body'],
    ] as const) {
      const r = await post('/admission/validate', body);
      t.equal(r.status, 400, msg);
      t.equal(r.json?.kind, 'Status');
      t.match(r.json?.message, msg);
    }
  });
});
