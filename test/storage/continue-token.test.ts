import t from 'tap';
import { decodeContinue, encodeContinue } from '../../src/storage/continue-token.js';

t.test('round trip', async (t) => {
  const p = { revision: 42, after: { cluster: 'root:org', namespace: 'ns', name: 'a/b' } };
  t.same(decodeContinue(encodeContinue(p)), p);
});

t.test('garbage is a 400', async (t) => {
  for (const bad of ['', '!!!', Buffer.from('{"v":1}').toString('base64'), Buffer.from('[1,2]').toString('base64'),
    Buffer.from('{"v":1,"rv":-1,"k":["a","b","c"]}').toString('base64')]) {
    t.throws(() => decodeContinue(bad), { code: 400, reason: 'BadRequest' }, JSON.stringify(bad));
  }
});
