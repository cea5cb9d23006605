/**
 * The two kubectl clients the wire tests drive: 1.32 (`kubectl` on PATH, /usr/bin/kubectl) and
 * Debian bookworm's 1.20 (package kubernetes-client), which hack/install-deps.sh unpacks into a
 * cache dir off PATH so that it never shadows 1.32.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DIST_ROOT, type KubectlResult } from './tmc.js';

const KUBECTL_120_CANDIDATES = [
  process.env.TMC_KUBECTL_120,
  join(process.env.TMC_KUBECTL_120_DIR ?? '/var/cache/tmc/kubectl-1.20', 'usr/bin/kubectl'),
  resolve(DIST_ROOT, '..', '.cache', 'kubectl-1.20', 'usr', 'bin', 'kubectl'),
];

/** Path of kubectl 1.20, or undefined when hack/install-deps.sh has not been run. */
export function kubectl120Path(): string | undefined {
  return KUBECTL_120_CANDIDATES.find((p): p is string => !!p && existsSync(p));
}

/** Why tests that need kubectl 1.20 skip, or false when it is there. */
export function kubectl120Missing(): string | false {
  return kubectl120Path() ? false : 'kubectl 1.20 is not installed: run `sudo bash hack/install-deps.sh` (unpacks Debian\'s kubernetes-client into /var/cache/tmc/kubectl-1.20)';
}

/** Runs a given kubectl binary with a kubeconfig, like helpers/tmc.ts `kubectl`. */
export function runKubectl(bin: string, kubeconfig: string, args: string[], opts: { input?: string; timeoutMs?: number; cacheDir?: string } = {}): Promise<KubectlResult> {
  return new Promise((res) => {
    // --cache-dir, not KUBECACHEDIR: kubectl 1.20 predates the variable
    const cacheDir = opts.cacheDir ?? join(tmpdir(), `kubecache-${process.pid}`);
    const child = execFile(bin, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
      timeout: opts.timeoutMs ?? 60_000,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      res({ stdout: String(stdout), stderr: String(stderr), code });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

export const KUBECTL_132 = 'kubectl';
