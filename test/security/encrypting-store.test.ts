import t from 'tap';
import { MemoryStore } from '../../src/storage/memory.js';
import type { KubeObject, ObjectKey, WatchEvent } from '../../src/storage/types.js';
import { ENVELOPE_PREFIX, SecretEncryption, generateKeyLine, parseKeyFile } from '../../src/security/encryption.js';
import { EncryptingStore, withSecretEncryption } from '../../src/security/encrypting-store.js';
import { storeSuite } from '../storage/store-suite.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const keyed = (...lines: string[]) => new SecretEncryption(parseKeyFile(lines.join('\n')));
const K1 = generateKeyLine('k1');
const K2 = generateKeyLine('k2');
const key = (name = 's', resource = 'secrets'): ObjectKey => ({ cluster: 'c', resource, namespace: 'default', name });
const secret = (name = 's', pw = 'hunter2'): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default' }, type: 'Opaque', data: { password: b64(pw) },
});

// The decorator is a Store: the whole storage contract holds through it (non-secret resources).
storeSuite(t, async (opts) => withSecretEncryption(new MemoryStore(opts), keyed(K1)));

t.test('secrets: sealed in the backend, plain through the decorator', async (t) => {
  const inner = new MemoryStore();
  const s = new EncryptingStore(inner, keyed(K1));
  t.teardown(() => s.close());
  const created = await s.create(key(), secret());
  t.same(created.data, { password: b64('hunter2') }, 'create returns plaintext');
  const stored = (await inner.get(key()))!;
  t.match(stored.data.password, new RegExp(`^${ENVELOPE_PREFIX}k1:`));
  t.notOk((await inner.getRaw!(key()))!.includes(b64('hunter2')), 'no plaintext in the stored text');
  t.same((await s.get(key()))!.data, { password: b64('hunter2') });
  t.same(JSON.parse((await s.getRaw!(key()))!).data, { password: b64('hunter2') }, 'raw get decrypts');
  t.same((await s.list({ cluster: 'c', resource: 'secrets' })).items.map((o) => o.data.password), [b64('hunter2')]);
  t.same((await s.listRaw!({ cluster: 'c', resource: 'secrets' })).items.map((x) => JSON.parse(x).data.password), [b64('hunter2')]);

  // other resources untouched
  await s.create(key('cm', 'configmaps'), { metadata: { name: 'cm', namespace: 'default' }, data: { a: 'b' } });
  t.same((await inner.get(key('cm', 'configmaps')))!.data, { a: 'b' });
});

t.test('updates: function and object forms; unchanged data is a no-op (no new revision)', async (t) => {
  const inner = new MemoryStore();
  const s = new EncryptingStore(inner, keyed(K1));
  t.teardown(() => s.close());
  const created = await s.create(key(), secret());
  const same = await s.update(key(), (cur) => { t.equal(cur.data.password, b64('hunter2'), 'transform sees plaintext'); return cur; });
  t.equal(same.metadata.resourceVersion, created.metadata.resourceVersion, 'no-op update keeps the revision');
  const relabeled = await s.update(key(), (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { a: 'b' } } }));
  t.not(relabeled.metadata.resourceVersion, created.metadata.resourceVersion);
  t.same(relabeled.data, { password: b64('hunter2') });
  const changed = await s.update(key(), { ...secret(), data: { password: b64('new'), extra: b64('x') } });
  t.same(changed.data, { password: b64('new'), extra: b64('x') });
  const stored = (await inner.get(key()))!;
  t.ok(Object.values(stored.data).every((v) => String(v).startsWith(ENVELOPE_PREFIX)));
  const asyncUpd = await s.update(key(), async (cur) => ({ ...cur, data: { ...cur.data, more: b64('y') } }));
  t.same(asyncUpd.data, { password: b64('new'), extra: b64('x'), more: b64('y') });
  const deleted = await s.delete(key());
  t.same(deleted.data, { password: b64('new'), extra: b64('x'), more: b64('y') }, 'delete returns plaintext');
});

t.test('rotation: a rewrite with the new key first re-seals values', async (t) => {
  const inner = new MemoryStore();
  t.teardown(() => inner.close());
  await new EncryptingStore(inner, keyed(K1)).create(key(), secret());
  const rotated = new EncryptingStore(inner, keyed(K2, K1));
  t.same((await rotated.get(key()))!.data, { password: b64('hunter2') }, 'old key still decrypts');
  await rotated.update(key(), (cur) => cur);
  t.match((await inner.get(key()))!.data.password, new RegExp(`^${ENVELOPE_PREFIX}k2:`), 're-sealed with the primary key');
  t.same((await new EncryptingStore(inner, keyed(K2)).get(key()))!.data, { password: b64('hunter2') });
});

t.test('watch events carry plaintext (object and prevObject)', async (t) => {
  const s = new EncryptingStore(new MemoryStore(), keyed(K1));
  t.teardown(() => s.close());
  const events: WatchEvent[] = [];
  const w = s.watch({ cluster: 'c', resource: 'secrets' }, {}, { onEvent: (ev) => events.push(ev) });
  await s.create(key(), secret());
  await s.update(key(), { ...secret(), data: { password: b64('two') } });
  await s.delete(key());
  w.stop();
  t.same(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  t.same(events.map((e) => e.object.data.password), [b64('hunter2'), b64('two'), b64('two')]);
  t.equal(events[1].prevObject!.data.password, b64('hunter2'));
});

t.test('wrong key or no key: a clear error, never ciphertext', async (t) => {
  const inner = new MemoryStore();
  t.teardown(() => inner.close());
  await new EncryptingStore(inner, keyed(K1)).create(key(), secret());
  const wrong = new EncryptingStore(inner, keyed(generateKeyLine('k1')));
  await t.rejects(wrong.get(key()), { name: 'EncryptionError', message: /cannot be decrypted with key "k1": wrong key/ });
  await t.rejects(wrong.getRaw!(key()), { name: 'EncryptionError' });
  await t.rejects(wrong.list({ cluster: 'c', resource: 'secrets' }), { name: 'EncryptionError' });
  const none = new EncryptingStore(inner, SecretEncryption.none());
  await t.rejects(none.get(key()), { message: /no --encryption-key-file is configured/ });
  const missing = new EncryptingStore(inner, keyed(K2));
  await t.rejects(missing.get(key()), { message: /key "k1", which is not in the encryption key file/ });
  const gone = await wrong.delete(key());
  t.same(gone.data, {}, 'a delete still succeeds but hands out no ciphertext');
});
