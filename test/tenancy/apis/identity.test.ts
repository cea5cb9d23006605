import { createHash } from 'node:crypto';
import t from 'tap';
import { identityHash, newIdentityKey } from '../../../src/tenancy/apis/identity.js';

t.test('identity keys are random 256-bit values; the hash is hex sha256 of the key', async (t) => {
  const a = newIdentityKey();
  const b = newIdentityKey();
  t.not(a, b);
  t.equal(Buffer.from(a, 'base64').length, 32);
  t.equal(identityHash(a), createHash('sha256').update(a).digest('hex'));
  t.match(identityHash(a), /^[0-9a-f]{64}$/);
  t.equal(identityHash(a), identityHash(a), 'stable');
  t.not(identityHash(a), identityHash(b), 'a recreated export with a new key is a different API');
});
