/** The shared secrets informer keeps only the token of service-account token Secrets, no other value. */
import t from 'tap';
import { tokenSecretView } from '../../src/registry/service-account-tokens.js';

t.test('a token Secret keeps its token only; other Secrets keep no data', async (t) => {
  const meta = { name: 's', namespace: 'default', annotations: { 'kubernetes.io/service-account.name': 'bot' } };
  const token = tokenSecretView({ apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'kubernetes.io/service-account-token', data: { token: 'dG9r', 'ca.crt': 'Y2E=' } } as any);
  t.same((token as any).data, { token: 'dG9r' });
  t.equal((token as any).type, 'kubernetes.io/service-account-token');
  t.same(token.metadata, meta);
  const opaque = tokenSecretView({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque', data: { password: 'cHc=' }, stringData: { x: 'y' } } as any);
  t.notOk('data' in opaque);
  t.notOk('stringData' in opaque);
  t.equal((opaque as any).type, 'Opaque');
});
