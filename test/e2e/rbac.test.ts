/**
 * RBAC per workspace: a user without bindings is refused with kube's Forbidden message; a Role and
 * RoleBinding in one workspace grant exactly what they say, there and nowhere else.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { grantConfigMaps } from '../helpers/rbac.js';
import { startServer } from '../helpers/tmc.js';

t.test('RBAC', async (t) => {
  const srv = await startServer(t);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const alice: Creds = { caPem: srv.pki.ca.certPem, token: srv.tokens.issue('alice', ['dev']) };
  const cms = '/clusters/root/api/v1/namespaces/default/configmaps';

  const denied = await request(srv.url, alice, 'GET', cms);
  t.equal(denied.status, 403);
  t.equal(denied.json.reason, 'Forbidden');
  t.equal(denied.json.message, 'configmaps is forbidden: User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"');

  await grantConfigMaps(srv.url, admin, { verbs: ['get', 'list', 'watch'], binding: 'devs-read', subject: { kind: 'Group', name: 'dev' } });

  const allowed = await request(srv.url, alice, 'GET', cms);
  t.equal(allowed.status, 200, 'the binding takes effect at once');
  const write = await request(srv.url, alice, 'POST', cms, { metadata: { name: 'x' } });
  t.equal(write.status, 403, 'read-only role does not allow create');
  t.match(write.json.message, /cannot create resource "configmaps"/);
  const otherNs = await request(srv.url, alice, 'GET', '/clusters/root/api/v1/namespaces/kube-system/configmaps');
  t.equal(otherNs.status, 403, 'a RoleBinding grants in its namespace only');

  // another workspace: nothing granted there
  t.equal((await request(srv.url, admin, 'POST', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { metadata: { name: 'other' } })).status, 201);
  const elsewhere = await request(srv.url, alice, 'GET', '/clusters/root:other/api/v1/namespaces/default/configmaps');
  t.equal(elsewhere.status, 403, 'RBAC is per workspace');
});
