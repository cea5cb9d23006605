import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createStore, SQLITE_FILE } from '../../src/storage/index.js';

t.test('memory and sqlite backends', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tmc-create-store-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const mem = await createStore({ backend: 'memory' });
  t.equal(mem.backend, 'memory');
  await mem.close();
  const dataDir = join(dir, 'nested', 'data');
  const sql = await createStore({ backend: 'sqlite', dataDir, historySize: 10 });
  t.equal(sql.backend, 'sqlite');
  t.ok(existsSync(join(dataDir, SQLITE_FILE)), 'the data dir and file are created');
  await sql.close();
});

t.test('bad choices are clear errors', async (t) => {
  await t.rejects(createStore({ backend: 'nope' as 'memory' }), { code: 400, message: /unknown storage backend "nope"/ });
  await t.rejects(createStore({ backend: 'etcd', etcdServers: [] }), { code: 400, message: /--etcd-servers/ });
});
