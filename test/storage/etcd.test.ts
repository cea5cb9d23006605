/**
 * The shared Store suite against a real etcd. Runs only when an `etcd` binary is on the PATH
 * (Debian: apt-get install etcd-server); it starts a throwaway member on free local ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import t from 'tap';
import { EtcdStore } from '../../src/storage/etcd.js';
import { storeSuite } from './store-suite.js';

function findEtcd(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'etcd');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startEtcd(bin: string, dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const proc = spawn(bin, [
    '--name', 'tmc-test', '--data-dir', dir,
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `tmc-test=${peerUrl}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    proc.stderr!.on('data', (b: Buffer) => {
      log += b.toString();
      if (log.includes('ready to serve client requests')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`etcd exited with ${code}: ${log.slice(-2000)}`)));
  });
  return { proc, url };
}

const bin = findEtcd();
if (!bin) {
  t.plan(0, 'no etcd binary on PATH (apt-get install etcd-server to run the etcd backend tests)');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tmc-etcd-'));
  // A free port can be taken by a parallel test between our probe and etcd's bind: try again.
  let started: { proc: ChildProcess; url: string } | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await startEtcd(bin, join(dir, `member-${attempt}`));
    } catch (err) {
      if (attempt >= 5 || !String(err).includes('address already in use')) throw err;
    }
  }
  const { proc, url } = started;
  t.teardown(() => {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  let n = 0;
  storeSuite(t, async (opts) => EtcdStore.open({ servers: [url], root: `/t${n++}`, ...opts }), { servesOldRevisions: true });

  t.test('two replicas see each other\'s writes through the watch', async (t) => {
    const a = await EtcdStore.open({ servers: [url], root: '/shared' });
    const b = await EtcdStore.open({ servers: [url], root: '/shared' });
    t.teardown(async () => { await a.close(); await b.close(); });
    const seen: string[] = [];
    b.watch({ cluster: '*', resource: 'configmaps' }, {}, { onEvent: (e) => seen.push(`${e.type} ${e.key.name}`) });
    const key = { cluster: 'root', resource: 'configmaps', namespace: 'ns', name: 'x' };
    await a.create(key, { metadata: { name: 'x' } });
    await a.delete(key);
    for (let i = 0; i < 400 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    t.same(seen, ['ADDED x', 'DELETED x']);
    t.same(await b.get(key), undefined);
  });
}
