/**
 * Test harness for real etcd: a throwaway cluster of 1..N members (Debian's etcd-server) on free
 * loopback ports in a temp dir, with kill/restart per member for fault tests. Every cluster a test
 * starts is killed and removed by its teardown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Teardown } from './tmc.js';

/** The etcd binary on the PATH, if any (apt-get install etcd-server). */
export function findEtcd(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'etcd');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface EtcdMember {
  name: string;
  clientURL: string;
  peerURL: string;
  dataDir: string;
  /** True while the process runs (not killed, not exited). */
  alive(): boolean;
  /** SIGKILL (or another signal) and wait for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the member again on the same ports and data (it rejoins with its log). */
  restart(): Promise<void>;
}

export interface EtcdCluster {
  members: EtcdMember[];
  /** Every member's client URL, the value for --etcd-servers. */
  clientURLs: string[];
  stop(): Promise<void>;
}

interface MemberSpec { name: string; client: string; peer: string; dir: string }

function runMember(bin: string, spec: MemberSpec, initialCluster: string): Promise<ChildProcess> {
  const proc = spawn(bin, [
    '--name', spec.name, '--data-dir', spec.dir,
    '--listen-client-urls', spec.client, '--advertise-client-urls', spec.client,
    '--listen-peer-urls', spec.peer, '--initial-advertise-peer-urls', spec.peer,
    '--initial-cluster', initialCluster, '--initial-cluster-state', 'new',
    '--initial-cluster-token', `tmc-test-${process.pid}`,
    // Tests run on loaded 2-core machines: a slow heartbeat must not trigger elections all the time.
    '--heartbeat-interval', '100', '--election-timeout', '1000',
    '--logger', 'zap', '--log-level', 'info',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (b: Buffer) => {
      log = (log + b.toString()).slice(-20_000);
      // capnslog says 'ready to serve client requests', zap 'serving client traffic'
      if (/ready to serve client requests|serving client traffic/.test(log)) {
        proc.stderr!.off('data', onData);
        proc.stderr!.resume(); // keep draining so etcd never blocks on a full pipe
        proc.off('exit', onExit);
        resolve(proc);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`etcd ${spec.name} exited with ${code}: ${log.slice(-2000)}`));
    proc.stderr!.on('data', onData);
    proc.once('exit', onExit);
  });
}

function exitOf(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

async function startOnce(bin: string, root: string, size: number, attempt: number): Promise<{ specs: MemberSpec[]; procs: ChildProcess[]; initial: string }> {
  const specs: MemberSpec[] = [];
  for (let i = 0; i < size; i++) {
    const [client, peer] = [await freePort(), await freePort()];
    const dir = join(root, `a${attempt}-m${i}`);
    mkdirSync(dir, { recursive: true });
    specs.push({ name: `m${i}`, client: `http://127.0.0.1:${client}`, peer: `http://127.0.0.1:${peer}`, dir: join(dir, 'data') });
  }
  const initial = specs.map((s) => `${s.name}=${s.peer}`).join(',');
  const started = await Promise.allSettled(specs.map((s) => runMember(bin, s, initial)));
  const procs = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map(exitOf));
    throw failed.reason;
  }
  return { specs, procs, initial };
}

/**
 * Starts an etcd cluster of `size` members and waits until every member serves. A probed free port
 * can be taken by a parallel test before etcd binds it: then the whole cluster is retried on fresh
 * ports (a member cannot change its peer URL once the cluster knows it).
 */
export async function startEtcdCluster(t: Teardown, size = 1, bin = findEtcd()): Promise<EtcdCluster> {
  if (!bin) throw new Error('no etcd binary on PATH (apt-get install etcd-server)');
  const root = mkdtempSync(join(tmpdir(), 'tmc-etcd-'));
  let got: Awaited<ReturnType<typeof startOnce>> | undefined;
  for (let attempt = 1; !got; attempt++) {
    try {
      got = await startOnce(bin, root, size, attempt);
    } catch (err) {
      if (attempt >= 5 || !String(err).includes('address already in use')) {
        rmSync(root, { recursive: true, force: true });
        throw err;
      }
    }
  }
  const { specs, initial } = got;
  const procs = got.procs;
  const members: EtcdMember[] = specs.map((spec, i) => ({
    name: spec.name, clientURL: spec.client, peerURL: spec.peer, dataDir: spec.dir,
    alive: () => procs[i].exitCode === null && procs[i].signalCode === null,
    kill: async (signal: NodeJS.Signals = 'SIGKILL') => {
      procs[i].kill(signal);
      await exitOf(procs[i]);
    },
    restart: async () => {
      if (procs[i].exitCode === null && procs[i].signalCode === null) throw new Error(`etcd ${spec.name} is still running`);
      procs[i] = await runMember(bin, spec, initial);
    },
  }));
  const stop = async () => {
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map(exitOf));
    rmSync(root, { recursive: true, force: true });
  };
  t.teardown(stop);
  return { members, clientURLs: specs.map((s) => s.client), stop };
}
