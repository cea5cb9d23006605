/**
 * authorization.k8s.io/v1 access reviews and authentication.k8s.io/v1 SelfSubjectReview, through
 * kubectl 1.32 (`auth can-i`, `auth can-i --list`, `auth whoami`) and kubectl 1.20 (`auth can-i`),
 * answered per workspace by the RBAC evaluation that guards requests.
 */
import t from 'tap';
import { join } from 'node:path';
import { request, type Creds } from '../helpers/http.js';
import { KUBECTL_132, kubectl120Missing, kubectl120Path, runKubectl } from '../helpers/kubectl-versions.js';
import { grantConfigMaps } from '../helpers/rbac.js';
import { startServer, tempDir } from '../helpers/tmc.js';
import { writeKubeconfig } from '../../src/security/kubeconfig.js';

t.test('access reviews', async (t) => {
  const srv = await startServer(t);
  const dir = tempDir(t);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const token = srv.tokens.issue('alice', ['dev']);
  const alice = join(dir, 'alice.kubeconfig');
  await writeKubeconfig(alice, { server: `${srv.url}/clusters/root`, caPem: srv.pki.ca.certPem, token, user: 'alice', context: 'alice' });
  const aliceOther = join(dir, 'alice-other.kubeconfig');
  await writeKubeconfig(aliceOther, { server: `${srv.url}/clusters/root:other`, caPem: srv.pki.ca.certPem, token, user: 'alice', context: 'alice' });
  const adminKc = srv.kubeconfigPath;

  await grantConfigMaps(srv.url, admin, { verbs: ['get', 'list'], binding: 'devs-read', subject: { kind: 'Group', name: 'dev' } });
  t.equal((await request(srv.url, admin, 'POST', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { metadata: { name: 'other' } })).status, 201);

  await t.test('kubectl 1.32 auth can-i', async (t) => {
    const yes = await runKubectl(KUBECTL_132, alice, ['auth', 'can-i', 'list', 'configmaps', '-n', 'default']);
    t.equal(yes.stdout.trim(), 'yes', yes.stderr);
    t.equal(yes.code, 0);
    const no = await runKubectl(KUBECTL_132, alice, ['auth', 'can-i', 'create', 'configmaps', '-n', 'default']);
    t.equal(no.stdout.trim(), 'no');
    t.equal(no.code, 1, 'exit code 1 on no');
    const otherNs = await runKubectl(KUBECTL_132, alice, ['auth', 'can-i', 'list', 'configmaps', '-n', 'kube-system']);
    t.equal(otherNs.stdout.trim(), 'no', 'a RoleBinding grants in its namespace only');
    const otherWs = await runKubectl(KUBECTL_132, aliceOther, ['auth', 'can-i', 'list', 'configmaps', '-n', 'default']);
    t.equal(otherWs.stdout.trim(), 'no', 'RBAC is per workspace');
    const adminYes = await runKubectl(KUBECTL_132, adminKc, ['auth', 'can-i', 'delete', 'namespaces']);
    t.equal(adminYes.stdout.trim(), 'yes');
    const nonResource = await runKubectl(KUBECTL_132, alice, ['auth', 'can-i', 'get', '/metrics']);
    t.equal(nonResource.stdout.trim(), 'no');
  });

  await t.test('kubectl 1.32 auth can-i --list and whoami', async (t) => {
    const list = await runKubectl(KUBECTL_132, alice, ['auth', 'can-i', '--list', '-n', 'default']);
    t.equal(list.code, 0, list.stderr);
    t.match(list.stdout, /Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    t.match(list.stdout, /configmaps\s+\[\]\s+\[\]\s+\[get list\]/);
    t.match(list.stdout, /selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
    const elsewhere = await runKubectl(KUBECTL_132, alice, ['auth', 'can-i', '--list', '-n', 'kube-system']);
    t.notMatch(elsewhere.stdout, /configmaps/);

    const who = await runKubectl(KUBECTL_132, alice, ['auth', 'whoami']);
    t.equal(who.code, 0, who.stderr);
    t.match(who.stdout, /Username\s+alice/);
    t.match(who.stdout, /Groups\s+\[dev system:authenticated\]/);
    const whoJSON = JSON.parse((await runKubectl(KUBECTL_132, adminKc, ['auth', 'whoami', '-o', 'json'])).stdout);
    t.equal(whoJSON.kind, 'SelfSubjectReview');
    t.equal(whoJSON.status.userInfo.username, 'admin');
    t.ok(whoJSON.status.userInfo.groups.includes('system:masters'));
  });

  await t.test('kubectl 1.20 auth can-i', { skip: kubectl120Missing() }, async (t) => {
    const k120 = kubectl120Path()!;
    const yes = await runKubectl(k120, alice, ['auth', 'can-i', 'get', 'configmaps', '-n', 'default']);
    t.equal(yes.stdout.trim(), 'yes', yes.stderr);
    const no = await runKubectl(k120, alice, ['auth', 'can-i', 'delete', 'configmaps', '-n', 'default']);
    t.equal(no.stdout.trim(), 'no', no.stderr);
    const list = await runKubectl(k120, alice, ['auth', 'can-i', '--list', '-n', 'default']);
    t.match(list.stdout, /configmaps\s+\[\]\s+\[\]\s+\[get list\]/, list.stderr);
  });

  await t.test('SubjectAccessReview needs RBAC to create; invalid specs are 422', async (t) => {
    const sar = '/clusters/root/apis/authorization.k8s.io/v1/subjectaccessreviews';
    const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'bob', groups: ['dev'], resourceAttributes: { namespace: 'default', verb: 'get', resource: 'configmaps' } } };
    const asAdmin = await request(srv.url, admin, 'POST', sar, body);
    t.equal(asAdmin.status, 201);
    t.equal(asAdmin.json.status.allowed, true);
    t.match(asAdmin.json.status.reason, /RoleBinding "devs-read\/default" of Role "cm-reader"/);
    const asAlice = await request(srv.url, { caPem: srv.pki.ca.certPem, token }, 'POST', sar, body);
    t.equal(asAlice.status, 403, 'creating a SubjectAccessReview is an ordinary RBAC grant');
    const local = await request(srv.url, admin, 'POST', '/clusters/root/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews',
      { ...body, kind: 'LocalSubjectAccessReview' });
    t.equal(local.json.status.allowed, true);
    const both = await request(srv.url, admin, 'POST', '/clusters/root/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/x', verb: 'get' } } });
    t.equal(both.status, 422);
    t.equal(both.json.message, 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: "object": cannot be specified in combination with resourceAttributes');
    const get = await request(srv.url, admin, 'GET', '/clusters/root/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
    t.equal(get.status, 405);
  });
});
