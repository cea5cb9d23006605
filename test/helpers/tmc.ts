/**
 * Test harness: starts tmc-server in-process or as a child process on a free port in a temp dir,
 * and runs the real kubectl against it. Every server a test starts is stopped by its teardown.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultServerOptions, type ServerOptions } from '../../src/cmd/server-options.js';
import { startTmcServer, type RunningServer, type StartHooks } from '../../src/cmd/start-server.js';
import { silentLogger } from '../../src/observability/logger.js';
import { withDefaultHooks } from '../../src/cmd/default-hooks.js';

/** The minimal part of a tap Test the helpers use. */
export interface Teardown { teardown(fn: () => unknown): void }

const here = fileURLToPath(new URL('.', import.meta.url));
/** dist/ root of the compiled project (tests run from dist/test/...). */
export const DIST_ROOT = resolve(here, '..', '..');
export const SERVER_BIN = join(DIST_ROOT, 'src', 'cmd', 'tmc-server.js');

export function tempDir(t: Teardown, prefix = 'tmc-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function startServer(t: Teardown, overrides: Partial<ServerOptions> = {}, hooks: StartHooks = {}): Promise<RunningServer> {
  const dir = overrides.dataDir ?? tempDir(t);
  const opts = defaultServerOptions({ port: 0, storage: 'memory', logLevel: 'silent', ...overrides, dataDir: dir });
  const running = await startTmcServer(opts, withDefaultHooks(opts, { logger: silentLogger(), ...hooks }));
  t.teardown(() => running.stop());
  return running;
}

export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  kubeconfigPath: string;
  dataDir: string;
  /** Resolves with the exit code/signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `node dist/src/cmd/tmc-server.js` and waits for its `ready` line. */
export function spawnServer(t: Teardown, args: string[], opts: { dataDir?: string; nodeArgs?: string[]; readyTimeoutMs?: number } = {}): Promise<SpawnedServer> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const dataDir = opts.dataDir ?? tempDir(t);
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), SERVER_BIN, '--data-dir', dataDir, '--port', '0', '--log-level', 'warn', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  t.teardown(() => kill('SIGKILL'));
  return new Promise((resolveReady, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`tmc-server did not become ready in ${readyTimeoutMs / 1000}s\nstdout: ${out}\nstderr: ${err}`)), readyTimeoutMs);
    child.stderr!.on('data', (d) => { err += d; });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/ready at (https:\/\/\S+) \(kubeconfig: ([^)]+)\)/);
      if (m) {
        clearTimeout(timer);
        resolveReady({ child, url: m[1], kubeconfigPath: m[2], dataDir, exited, kill });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`tmc-server exited (${code ?? signal}) before ready\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

export interface KubectlResult { stdout: string; stderr: string; code: number }

/** Runs the real kubectl with a kubeconfig (and optional --server override and stdin). */
export function kubectl(kubeconfig: string, args: string[], opts: { input?: string; server?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  const full = ['--kubeconfig', kubeconfig, ...(opts.server ? ['--server', opts.server] : []), ...args];
  return new Promise((res) => {
    const child = execFile('kubectl', full, { timeout: opts.timeoutMs ?? 60_000, env: { ...process.env, KUBECACHEDIR: join(tmpdir(), `kubecache-${process.pid}`) } },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        res({ stdout: String(stdout), stderr: String(stderr), code });
      });
    if (opts.input !== undefined) {
      child.stdin!.end(opts.input);
    }
  });
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOK(kubeconfig: string, args: string[], opts: { input?: string; server?: string } = {}): Promise<string> {
  const r = await kubectl(kubeconfig, args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export { type RunningServer };
