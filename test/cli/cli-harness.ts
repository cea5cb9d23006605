/**
 * Runs tmcctl in-process (src/cli/program.ts) with captured output, against a private copy of a
 * server's admin kubeconfig (ws rewrites it), and a KubeClient for checking what the commands did.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import { KubeClient } from '../../src/client/kube-client.js';
import { runCli } from '../../src/cli/program.js';
import { tempDir, type Teardown } from '../helpers/tmc.js';

export interface CliResult { code: number; stdout: string; stderr: string }

export async function tmcctl(kubeconfig: string | undefined, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const argv = kubeconfig ? ['--kubeconfig', kubeconfig, ...args] : args;
  const code = await runCli(argv, { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, env: { HOME: '/nonexistent-home', ...env } });
  return { code, stdout, stderr };
}

/** tmcctl that must exit 0; returns stdout. */
export async function tmcctlOK(kubeconfig: string, args: string[]): Promise<string> {
  const r = await tmcctl(kubeconfig, args);
  if (r.code !== 0) throw new Error(`tmcctl ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A copy of `kubeconfig` in a temp dir that the test may rewrite. */
export function kubeconfigCopy(t: Teardown, kubeconfig: string): string {
  const p = join(tempDir(t, 'tmcctl-'), 'kubeconfig');
  copyFileSync(kubeconfig, p);
  return p;
}

/** A root client (workspaces via forCluster) from an admin kubeconfig. */
export function rootClient(t: Teardown, kubeconfig: string): KubeClient {
  const transport = httpTransportFromKubeConfig({ file: kubeconfig, basePath: '' });
  t.teardown(() => transport.close());
  return new KubeClient(transport);
}
