/**
 * Kill -9 in the middle of a write storm: every write the child acknowledged (printed) must be in
 * the file when it is reopened, and the revision counter must be past all of them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { SqliteStore } from '../../src/storage/sqlite.js';

const here = dirname(fileURLToPath(import.meta.url));
const writer = join(here, 'fixtures', 'durable-writer.js');
const KILL_AFTER_ACKS = 600;

t.test('acknowledged writes survive SIGKILL', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tmc-durability-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'store.db');

  const child = spawn(process.execPath, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<string, { rv: number; gen: number }>();
  let maxRv = 0;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const [op, name, rv] = line.split(' ');
    if (op !== 'create' && op !== 'update') continue;
    acked.set(name, { rv: Number(rv), gen: op === 'update' ? 1 : 0 });
    maxRv = Math.max(maxRv, Number(rv));
    if (acked.size === KILL_AFTER_ACKS) child.kill('SIGKILL');
  }
  t.equal(await exited, 'SIGKILL', 'the writer died mid-stream');
  t.ok(acked.size >= KILL_AFTER_ACKS, `${acked.size} objects acknowledged`);

  const store = new SqliteStore({ path });
  t.teardown(() => store.close());
  let missing = 0;
  let stale = 0;
  for (const [name, want] of acked) {
    const got = await store.get({ cluster: 'root', resource: 'configmaps', namespace: 'default', name });
    if (!got) missing++;
    else if (Number(got.metadata.resourceVersion) < want.rv || (got.data.gen as number) < want.gen) stale++;
  }
  t.equal(missing, 0, 'no acknowledged object is missing');
  t.equal(stale, 0, 'no acknowledged update is lost');
  t.ok(Number(await store.currentResourceVersion()) >= maxRv, 'the revision counter is past every acknowledged write');
  const listed = await store.list({ cluster: 'root', resource: 'configmaps' });
  t.ok(listed.items.length >= acked.size, 'list agrees');
});
