/**
 * RBAC revocations survive a lost watch: a user's RoleBinding deleted while the server's store
 * watches are closed (as after an etcd restart) is seen once they recover, and the user is
 * denied within seconds, whether the watch resumes from its revision or has to relist (410).
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { grantConfigMaps } from '../helpers/rbac.js';
import { startServer } from '../helpers/tmc.js';
import { flakyStore, type FlakyStore } from '../helpers/flaky-store.js';
import { waitFor } from '../helpers/wait.js';

for (const expired of [false, true]) {
  t.test(`a RoleBinding deleted while the RBAC watch was closed is revoked (${expired ? 'relist after 410' : 'resume'})`, async (t) => {
    let store!: FlakyStore;
    const srv = await startServer(t, {}, { components: [], wrapStore: (s) => (store = flakyStore(s)) });
    const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
    const alice: Creds = { caPem: srv.pki.ca.certPem, token: srv.tokens.issue('alice', ['dev']) };
    const cms = '/clusters/root/api/v1/namespaces/default/configmaps';
    const rbac = '/clusters/root/apis/rbac.authorization.k8s.io/v1/namespaces/default';
    await grantConfigMaps(srv.url, admin, { verbs: ['list'], binding: 'alice-read', subject: { kind: 'User', name: 'alice' } });
    t.equal((await request(srv.url, alice, 'GET', cms)).status, 200, 'alice may list configmaps');

    store.breakWatches();
    t.equal((await request(srv.url, admin, 'DELETE', `${rbac}/rolebindings/alice-read`)).status, 200);
    await store.heal({ expired });
    await waitFor('alice denied', async () => (await request(srv.url, alice, 'GET', cms)).status === 403, { timeoutMs: 10_000 });
    t.pass('alice is denied after the watch recovered');
  });
}
