/**
 * Legacy service-account token Secrets: created with kubectl, filled by the server, usable as a
 * bearer token (RBAC applies to the ServiceAccount), revoked by deleting the Secret.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { parse, parseAllDocuments } from 'yaml';
import { kubectlOK, startServer } from '../helpers/tmc.js';
import { kubeconfigCopy, tmcctlOK, tmcctl } from '../cli/cli-harness.js';
import { waitFor } from '../helpers/wait.js';

t.test('service-account token Secret', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const ca = srv.pki.ca.certPem;
  const cms = '/clusters/root/api/v1/namespaces/default/configmaps';

  await kubectlOK(kc, ['apply', '-f', '-'], { input: [
    'apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: reader, namespace: default}', '---',
    'apiVersion: v1', 'kind: Secret', 'type: kubernetes.io/service-account-token',
    'metadata: {name: reader-token, namespace: default, annotations: {kubernetes.io/service-account.name: reader}}', '',
  ].join('\n') });

  let token = '';
  await waitFor('the token to be filled in', async () => {
    const out = await kubectlOK(kc, ['-n', 'default', 'get', 'secret', 'reader-token', '-o', 'jsonpath={.data.token}']);
    token = Buffer.from(out.trim(), 'base64').toString('utf8');
    return token.length > 0;
  }, { timeoutMs: 10_000 });
  const ns = await kubectlOK(kc, ['-n', 'default', 'get', 'secret', 'reader-token', '-o', 'jsonpath={.data.namespace}']);
  t.equal(Buffer.from(ns, 'base64').toString(), 'default');
  const caData = await kubectlOK(kc, ['-n', 'default', 'get', 'secret', 'reader-token', '-o', 'jsonpath={.data.ca\\.crt}']);
  t.equal(Buffer.from(caData, 'base64').toString(), ca);

  const bogus: Creds = { caPem: ca, token: 'x'.repeat(43) };
  t.equal((await request(srv.url, bogus, 'GET', cms)).status, 401, 'an unknown token is refused');

  const sa: Creds = { caPem: ca, token };
  const denied = await request(srv.url, sa, 'GET', cms);
  t.equal(denied.status, 403, 'authenticated, but no RBAC yet');
  t.match(denied.json.message, /User "system:serviceaccount:default:reader" cannot list resource "configmaps"/);

  await kubectlOK(kc, ['apply', '-f', '-'], { input: [
    'apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata: {name: cm-reader, namespace: default}',
    'rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]', '---',
    'apiVersion: rbac.authorization.k8s.io/v1', 'kind: RoleBinding', 'metadata: {name: reader-cm, namespace: default}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-reader}',
    'subjects: [{kind: ServiceAccount, name: reader, namespace: default}]', '',
  ].join('\n') });
  t.equal((await request(srv.url, sa, 'GET', cms)).status, 200, 'the RoleBinding for the ServiceAccount applies');
  t.equal((await request(srv.url, sa, 'POST', cms, { metadata: { name: 'x' } })).status, 403, 'only what the Role grants');

  // nothing beyond the Role: secrets stay forbidden
  t.equal((await request(srv.url, sa, 'GET', '/clusters/root/api/v1/namespaces/default/secrets')).status, 403);

  await kubectlOK(kc, ['-n', 'default', 'delete', 'secret', 'reader-token']);
  await waitFor('the token to be revoked', async () => (await request(srv.url, sa, 'GET', cms)).status === 401, { timeoutMs: 5_000 });
  t.pass('deleting the Secret revokes the token');
});

t.test('deleting the ServiceAccount revokes; a pull-agent token is confined to its registration name', async (t) => {
  const srv = await startServer(t);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const base = '/clusters/root/api/v1/namespaces/default';
  t.equal((await request(srv.url, admin, 'POST', `${base}/serviceaccounts`, { metadata: { name: 'agent' } })).status, 201);
  t.equal((await request(srv.url, admin, 'POST', `${base}/secrets`, {
    type: 'kubernetes.io/service-account-token',
    metadata: { name: 'agent-token', annotations: { 'kubernetes.io/service-account.name': 'agent' }, labels: { 'tmc.kcp.io/syncer-for': 'edge-1' } },
  })).status, 201);
  let token = '';
  await waitFor('the token', async () => {
    const s = await request(srv.url, admin, 'GET', `${base}/secrets/agent-token`);
    token = s.json?.data?.token ? Buffer.from(s.json.data.token, 'base64').toString() : '';
    return !!token;
  }, { timeoutMs: 10_000 });
  const agent: Creds = { caPem: srv.pki.ca.certPem, token };
  const who = await request(srv.url, agent, 'GET', `${base}/configmaps`);
  t.equal(who.status, 403);
  t.match(who.json.message, /User "system:tmc:syncer:root:edge-1"/, 'a syncer-for token names its registration');

  t.equal((await request(srv.url, admin, 'DELETE', `${base}/serviceaccounts/agent`)).status, 200);
  await waitFor('revocation', async () => (await request(srv.url, agent, 'GET', `${base}/configmaps`)).status === 401, { timeoutMs: 5_000 });
  t.pass('deleting the ServiceAccount revokes its tokens');
});

t.test('tmcctl cluster register --mode pull --create-token embeds a working agent token', async (t) => {
  const srv = await startServer(t);
  const kc = kubeconfigCopy(t, srv.kubeconfigPath);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  await tmcctlOK(kc, ['ws', 'create', 'clusters', '--enter']);
  await tmcctlOK(kc, ['bind', 'all']);
  const out = await tmcctl(kc, ['cluster', 'register', 'edge-1', '--mode', 'pull', '--create-token', '--timeout', '10s']);
  t.equal(out.code, 0, out.stderr);
  t.notMatch(out.stdout, /REPLACE-WITH-AGENT-TOKEN/);
  t.match(out.stderr, /secret\/tmc-syncer-edge-1-token/);
  const docs = parseAllDocuments(out.stdout).map((d) => d.toJS());
  const agentKc = parse(docs.find((d) => d.kind === 'Secret').stringData.kubeconfig);
  const token: string = agentKc.users[0].user.token;
  const vw: string = agentKc.clusters[0].cluster.server;
  const agent: Creds = { caPem: srv.pki.ca.certPem, token };
  const own = await request(vw, agent, 'GET', `${new URL(vw).pathname}/clusters/*/api`);
  t.not(own.status, 401, `authenticated in the syncer VW (${own.status} ${own.text.slice(0, 200)})`);
  t.not(own.status, 403, 'allowed to sync its own registration');
  const other = await request(vw, agent, 'GET', `${new URL(vw).pathname.replace('/edge-1/', '/edge-2/')}/clusters/*/api`);
  t.equal(other.status, 403, 'not another registration');

  // re-registering reuses the token; deleting the Secret revokes it
  const again = await tmcctlOK(kc, ['cluster', 'register', 'edge-1', '--mode', 'pull', '--create-token']);
  t.ok(again.includes(token), 'the same token again');
  const base = '/clusters/root:clusters/api/v1/namespaces/default';
  t.equal((await request(srv.url, admin, 'DELETE', `${base}/secrets/tmc-syncer-edge-1-token`)).status, 200);
  await waitFor('revocation', async () => (await request(vw, agent, 'GET', `${new URL(vw).pathname}/clusters/*/api`)).status === 401, { timeoutMs: 5_000 });
  t.pass('deleting the token Secret revokes the agent');
});

t.test('a service-account token is someone only in its own workspace', async (t) => {
  const srv = await startServer(t);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  // two teams, each with a ServiceAccount default/bot and a RoleBinding letting "default/bot" read configmaps
  for (const team of ['team-a', 'team-b']) {
    t.equal((await request(srv.url, admin, 'POST', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: team } })).status, 201);
  }
  for (const team of ['team-a', 'team-b']) {
    const ws = `/clusters/root:${team}`;
    await waitFor(`${team} serves`, async () => (await request(srv.url, admin, 'GET', `${ws}/api/v1/namespaces/default/serviceaccounts`)).status === 200, { timeoutMs: 10_000 });
    t.equal((await request(srv.url, admin, 'POST', `${ws}/api/v1/namespaces/default/serviceaccounts`, { metadata: { name: 'bot' } })).status, 201);
    t.equal((await request(srv.url, admin, 'POST', `${ws}/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles`, { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] })).status, 201);
    t.equal((await request(srv.url, admin, 'POST', `${ws}/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings`, {
      metadata: { name: 'bot-reads' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'default' }],
    })).status, 201);
  }
  t.equal((await request(srv.url, admin, 'POST', '/clusters/root:team-a/api/v1/namespaces/default/secrets', {
    type: 'kubernetes.io/service-account-token', metadata: { name: 'bot-token', annotations: { 'kubernetes.io/service-account.name': 'bot' } },
  })).status, 201);
  let token = '';
  await waitFor('the token', async () => {
    const s = await request(srv.url, admin, 'GET', '/clusters/root:team-a/api/v1/namespaces/default/secrets/bot-token');
    token = s.json?.data?.token ? Buffer.from(s.json.data.token, 'base64').toString() : '';
    return !!token;
  }, { timeoutMs: 10_000 });
  const botA: Creds = { caPem: srv.pki.ca.certPem, token };

  t.equal((await request(srv.url, botA, 'GET', '/clusters/root:team-a/api/v1/namespaces/default/configmaps')).status, 200, 'at home its RoleBinding applies');
  const abroad = await request(srv.url, botA, 'GET', '/clusters/root:team-b/api/v1/namespaces/default/configmaps');
  t.equal(abroad.status, 403, 'team B\'s binding for its own default/bot does not apply to team A\'s');
  t.match(abroad.json.message, /User "system:serviceaccount:default:bot" cannot list resource "configmaps".*a service account of root:team-a has no identity in root:team-b/);
});
