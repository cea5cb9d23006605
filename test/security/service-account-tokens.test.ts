import t from 'tap';
import { MIN_TOKEN_LENGTH, ServiceAccountTokenAuthenticator } from '../../src/security/service-account-tokens.js';

const tok = (c: string) => c.repeat(MIN_TOKEN_LENGTH);

t.test('ServiceAccountTokenAuthenticator', async (t) => {
  const a = new ServiceAccountTokenAuthenticator();
  const e = { cluster: 'root:ws', namespace: 'ns', secretName: 's', serviceAccount: 'sa', serviceAccountUID: 'u1' };
  t.ok(a.setSecretToken(e, tok('a')));
  t.equal(a.verify(tok('a')), undefined, 'no ServiceAccount yet');
  a.setServiceAccount('root:ws', 'ns', 'sa', 'u1');
  t.same(a.verify(tok('a')), {
    name: 'system:serviceaccount:ns:sa', uid: 'u1',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
    extra: { 'authentication.kcp.io/cluster-name': ['root:ws'], 'authentication.kubernetes.io/credential-id': ['secret:s'] },
  });
  t.equal(a.verify(tok('b')), undefined, 'unknown token');
  t.notOk(a.setSecretToken({ ...e, secretName: 'other' }, tok('a')), 'a token held by another Secret is refused');
  t.notOk(a.setSecretToken({ ...e, secretName: 'short' }, 'abc'), 'short tokens are refused');
  a.setSecretToken(e, tok('c'));
  t.equal(a.verify(tok('a')), undefined, 'a replaced token stops working');
  t.ok(a.verify(tok('c')));
  a.setServiceAccount('root:ws', 'ns', 'sa', 'u2');
  t.equal(a.verify(tok('c')), undefined, 'a recreated ServiceAccount (new uid) does not inherit tokens');
  a.setServiceAccount('root:ws', 'ns', 'sa', 'u1');
  a.deleteSecret('root:ws', 'ns', 's');
  t.equal(a.verify(tok('c')), undefined, 'deleting the Secret revokes');
  t.equal(a.size, 0);
});

t.test('syncer-for tokens authenticate as the pull agent of that registration', async (t) => {
  const a = new ServiceAccountTokenAuthenticator();
  a.setServiceAccount('root:clusters', 'default', 'agent', 'u');
  a.setSecretToken({ cluster: 'root:clusters', namespace: 'default', secretName: 's', serviceAccount: 'agent', syncerFor: 'edge-1' }, tok('s'));
  const u = a.verify(tok('s'))!;
  t.equal(u.name, 'system:tmc:syncer:root:clusters:edge-1');
  t.ok(u.groups.includes('system:tmc:syncers'));
  t.ok(u.groups.includes('system:serviceaccounts:default'));
  a.setSecretToken({ cluster: 'root:clusters', namespace: 'default', secretName: 's', serviceAccount: 'agent', syncerFor: 'Bad:Name' }, tok('s'));
  t.notOk(a.verify(tok('s'))!.groups.includes('system:tmc:syncers'), 'an invalid registration name grants nothing extra');
  a.deleteServiceAccount('root:clusters', 'default', 'agent');
  t.equal(a.verify(tok('s')), undefined, 'deleting the ServiceAccount revokes');
});

t.test("authentication.kcp.io/cluster-name holds the token's logical cluster name, as in kcp", async (t) => {
  const names: Record<string, string> = { 'root:ws': '2a7x9k3bq1z8yh4p' };
  const a = new ServiceAccountTokenAuthenticator((path) => names[path] ?? path);
  a.setServiceAccount('root:ws', 'ns', 'sa', 'u1');
  // the Secret's token is opaque: a token issued before names existed is the same token, and gets the name too
  a.setSecretToken({ cluster: 'root:ws', namespace: 'ns', secretName: 's', serviceAccount: 'sa' }, tok('n'));
  const u = a.verify(tok('n'))!;
  t.same(u.extra!['authentication.kcp.io/cluster-name'], ['2a7x9k3bq1z8yh4p']);
  const { subjectInWorkspace } = await import('../../src/security/workspace-subject.js');
  const nameOf = (p: string) => names[p] ?? p;
  t.equal(subjectInWorkspace(u, 'root:ws', nameOf).name, 'system:serviceaccount:ns:sa', 'itself in its own workspace, addressed by path');
  t.equal(subjectInWorkspace(u, 'root:other', nameOf).name, 'system:anonymous', 'nobody elsewhere');
  const old = { ...u, extra: { 'authentication.kcp.io/cluster-name': ['root:ws'] } };
  t.equal(subjectInWorkspace(old, 'root:ws', nameOf).name, 'system:serviceaccount:ns:sa', 'an extra that still holds the path counts too');
});
