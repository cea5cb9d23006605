/**
 * Encryption at rest (docs/security.md): with --encryption-key-file, Secret data goes through the
 * API in the clear but sits in the sqlite file sealed; a restart with the wrong key (or none)
 * fails with a clear error, never ciphertext or garbage.
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { request, type Creds } from '../helpers/http.js';
import { spawnServer, tempDir, type Teardown } from '../helpers/tmc.js';
import { readKubeconfigFile } from '../../src/security/kubeconfig.js';
import { generateKeyLine } from '../../src/security/encryption.js';
import { SQLITE_FILE } from '../../src/storage/index.js';

const SECRETS = '/clusters/root/api/v1/namespaces/default/secrets';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const PLAIN = 'correct-horse-battery-staple';

async function connect(t: Teardown, dataDir: string, keyFile?: string) {
  const srv = await spawnServer(t, ['--storage', 'sqlite', ...(keyFile ? ['--encryption-key-file', keyFile] : [])], { dataDir });
  const kc = readKubeconfigFile(srv.kubeconfigPath);
  const creds: Creds = { caPem: kc.caPem!, certPem: kc.certPem, keyPem: kc.keyPem };
  return { srv, api: (method: string, path: string, body?: unknown) => request(srv.url, creds, method, path, body) };
}

t.test('Secret data is sealed in sqlite and plain through the API', async (t) => {
  const dataDir = tempDir(t);
  const keys = tempDir(t, 'tmc-keys-');
  const keyFile = join(keys, 'key');
  writeFileSync(keyFile, generateKeyLine('k1') + '\n', { mode: 0o600 });

  const first = await connect(t, dataDir, keyFile);
  const created = await first.api('POST', SECRETS, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, type: 'Opaque',
    data: { password: b64(PLAIN) }, stringData: { user: 'admin-user-name' },
  });
  t.equal(created.status, 201, created.text);
  t.same(created.json.data, { password: b64(PLAIN), user: b64('admin-user-name') });
  const got = await first.api('GET', `${SECRETS}/db`);
  t.same(got.json.data, { password: b64(PLAIN), user: b64('admin-user-name') }, 'GET reads back plain');
  const list = await first.api('GET', SECRETS);
  t.same(list.json.items.find((s: { metadata: { name: string } }) => s.metadata.name === 'db').data.password, b64(PLAIN), 'LIST reads back plain');
  // a config map is stored as is
  t.equal((await first.api('POST', '/clusters/root/api/v1/namespaces/default/configmaps', { metadata: { name: 'cm' }, data: { k: 'visible-value' } })).status, 201);
  await first.srv.kill('SIGTERM');

  const db = new Database(join(dataDir, SQLITE_FILE), { readonly: true, fileMustExist: true });
  const rows = db.prepare("SELECT resource, name, value FROM objects WHERE name IN ('db', 'cm')").all() as Array<{ resource: string; name: string; value: string }>;
  db.close();
  const secretRow = rows.find((r) => r.resource === 'secrets');
  t.ok(secretRow, 'the Secret is in the sqlite file');
  for (const needle of [PLAIN, b64(PLAIN), 'admin-user-name', b64('admin-user-name')]) {
    t.notOk(secretRow!.value.includes(needle), `no plaintext ${needle} in the stored Secret`);
  }
  t.match(JSON.parse(secretRow!.value).data.password, /^k8s:enc:aesgcm:v1:k1:/);
  t.ok(rows.find((r) => r.resource === 'configmaps')!.value.includes('visible-value'), 'other resources are not encrypted');

  // Wrong key, or none: the server's own Secrets (APIExport identities) are read at start, so the
  // start fails naming the problem, rather than serving ciphertext or garbage.
  const wrongKey = join(keys, 'wrong');
  writeFileSync(wrongKey, generateKeyLine('k1') + '\n', { mode: 0o600 });
  await t.rejects(connect(t, dataDir, wrongKey), /EncryptionError: Secret data "\w+" cannot be decrypted with key "k1": wrong key or corrupted data/);
  await t.rejects(connect(t, dataDir), /encrypted \(key "k1"\) but no --encryption-key-file is configured/);
  const otherId = join(keys, 'other');
  writeFileSync(otherId, generateKeyLine('k2') + '\n', { mode: 0o600 });
  await t.rejects(connect(t, dataDir, otherId), /encrypted with key "k1", which is not in the encryption key file/);

  // the right key again: everything readable
  const again = await connect(t, dataDir, keyFile);
  t.same((await again.api('GET', `${SECRETS}/db`)).json.data, { password: b64(PLAIN), user: b64('admin-user-name') });
  await again.srv.kill('SIGTERM');
});

t.test('a malformed key file fails the start with a clear message', async (t) => {
  const keyFile = join(tempDir(t, 'tmc-keys-'), 'key');
  writeFileSync(keyFile, 'k1:dG9vLXNob3J0\n');
  await t.rejects(spawnServer(t, ['--storage', 'sqlite', '--encryption-key-file', keyFile]), /key must be 32 bytes/);
});
