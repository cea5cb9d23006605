import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVELOPE_PREFIX, EncryptionError, SecretEncryption, generateKeyLine, parseKeyFile } from '../../src/security/encryption.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = () => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, type: 'Opaque',
  data: { password: b64('hunter2'), token: b64('abc\u0000binary\u00ff') },
});

t.test('round trip; only data values change; each value sealed separately', async (t) => {
  const enc = new SecretEncryption(parseKeyFile(generateKeyLine('k1')));
  t.ok(enc.enabled);
  const s = secret();
  const sealed = enc.encrypt(s);
  t.same(s, secret(), 'input not mutated');
  t.same(Object.keys(sealed.data), ['password', 'token']);
  t.same(sealed.metadata, s.metadata);
  for (const v of Object.values(sealed.data)) t.match(v, /^k8s:enc:aesgcm:v1:k1:[A-Za-z0-9+/=]+$/);
  t.notOk(JSON.stringify(sealed).includes(b64('hunter2')));
  t.not(enc.encrypt(s).data.password, sealed.data.password, 'fresh nonce each time');
  t.ok(enc.isEncrypted(sealed));
  t.same(enc.decrypt(sealed), s);
  t.same(enc.encrypt(sealed), sealed, 'already sealed values are not sealed twice');
});

t.test('no key: encrypt is a no-op; plaintext values decrypt as is', async (t) => {
  const none = SecretEncryption.fromKeyFile(undefined);
  t.notOk(none.enabled);
  const s = secret();
  t.equal(none.encrypt(s), s);
  t.same(none.decrypt(s), s);
  const enc = new SecretEncryption(parseKeyFile(generateKeyLine()));
  t.same(enc.decrypt(s), s, 'pre-encryption data still readable');
  t.same(enc.encrypt({ kind: 'Secret', metadata: {} }), { kind: 'Secret', metadata: {} }, 'no data, nothing to do');
});

t.test('wrong key, missing key, tampering → clear errors', async (t) => {
  const a = new SecretEncryption(parseKeyFile(`k1:${Buffer.alloc(32, 1).toString('base64')}`));
  const b = new SecretEncryption(parseKeyFile(`k1:${Buffer.alloc(32, 2).toString('base64')}`));
  const sealed = a.encrypt(secret());
  t.throws(() => b.decrypt(sealed), new EncryptionError('Secret data "password" cannot be decrypted with key "k1": wrong key or corrupted data'));
  const c = new SecretEncryption(parseKeyFile(`other:${Buffer.alloc(32, 1).toString('base64')}`));
  t.throws(() => c.decrypt(sealed), /encrypted with key "k1", which is not in the encryption key file/);
  t.throws(() => SecretEncryption.none().decrypt(sealed), /no --encryption-key-file is configured/);
  const swapped = { ...sealed, data: { password: sealed.data.token, token: sealed.data.password } };
  t.throws(() => a.decrypt(swapped), /wrong key or corrupted/, 'values cannot be swapped between keys');
  t.throws(() => a.decrypt({ data: { x: `${ENVELOPE_PREFIX}k1:AAAA` } }), /truncated/);
});

t.test('key rotation: first key encrypts, all decrypt', async (t) => {
  const oldLine = generateKeyLine('old');
  const old = new SecretEncryption(parseKeyFile(oldLine));
  const sealedOld = old.encrypt(secret());
  const rotated = new SecretEncryption(parseKeyFile(`${generateKeyLine('new')}\n# previous\n${oldLine}\n`));
  t.same(rotated.decrypt(sealedOld), secret());
  t.match(rotated.encrypt(secret()).data.password, /^k8s:enc:aesgcm:v1:new:/);
});

t.test('key file validation', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tmc-enc-'));
  const f = join(dir, 'key');
  writeFileSync(f, Buffer.alloc(32, 7).toString('base64') + '\n');
  const enc = SecretEncryption.fromKeyFile(f);
  t.match(enc.encrypt(secret()).data.password, /^k8s:enc:aesgcm:v1:[0-9a-f]{8}:/, 'bare key gets a hash id');
  t.throws(() => parseKeyFile('k:' + Buffer.alloc(16).toString('base64'), 'kf'), /kf:1: key must be 32 bytes/);
  t.throws(() => parseKeyFile('# nothing'), /no key found/);
  const k = Buffer.alloc(32).toString('base64');
  t.throws(() => parseKeyFile(`a:${k}\na:${k}`), /duplicate key id "a"/);
  t.throws(() => parseKeyFile(`bad id:${k}`), /may only use/);
});
