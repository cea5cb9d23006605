/**
 * The entry points as users run them: `node dist/src/cmd/tmcctl.js` (exit codes reach the shell)
 * and the kubectl plugin shim, found by the real kubectl as `kubectl-tmc` on the PATH.
 */
import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DIST_ROOT, kubectl, startServer, tempDir } from '../helpers/tmc.js';
import { kubeconfigCopy } from './cli-harness.js';

const TMCCTL = join(DIST_ROOT, 'src', 'cmd', 'tmcctl.js');
const SHIM = join(DIST_ROOT, 'src', 'cmd', 'kubectl-tmc.js');

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

t.test('tmcctl as a process: exit codes 0, 1, 2', async (t) => {
  const v = await run(process.execPath, [TMCCTL, 'version', '--client']);
  t.equal(v.code, 0);
  t.match(v.stdout, /^Client Version: tmcctl v\d+\.\d+\.\d+/);
  const usage = await run(process.execPath, [TMCCTL, 'cluster', 'frobnicate']);
  t.equal(usage.code, 2, 'unknown command');
  t.match(usage.stderr, /unknown command 'frobnicate'/);
  const fail = await run(process.execPath, [TMCCTL, 'cluster', 'list', '--kubeconfig', '/does/not/exist']);
  t.equal(fail.code, 1);
  t.match(fail.stderr, /cannot read kubeconfig/);
  const help = await run(process.execPath, [TMCCTL, 'placement', '--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, /explain .*\n[\s\S]*history[\s\S]*rollback[\s\S]*unpin/);
});

const kubectlMissing = await kubectl('/dev/null', ['version', '--client']).then((r) => r.code !== 0);

t.test('kubectl tmc … through the plugin shim', { skip: kubectlMissing && 'kubectl not found' }, async (t) => {
  const srv = await startServer(t);
  const kc = kubeconfigCopy(t, srv.kubeconfigPath);
  const bin = tempDir(t, 'tmc-plugin-');
  const plugin = join(bin, 'kubectl-tmc');
  writeFileSync(plugin, `#!/bin/sh\nexec "${process.execPath}" "${SHIM}" "$@"\n`);
  chmodSync(plugin, 0o755);
  const PATH = `${bin}:${process.env.PATH}`;
  const plugins = await run('kubectl', ['plugin', 'list'], { PATH });
  t.match(plugins.stdout, /kubectl-tmc/, 'kubectl finds the plugin');

  const ws = await run('kubectl', ['tmc', 'ws', 'create', 'org', '--enter', '--kubeconfig', kc], { PATH });
  t.equal(ws.code, 0, ws.stderr);
  t.match(ws.stdout, /Current workspace is "root:org"/);
  const bound = await run('kubectl', ['tmc', 'bind', 'tmc'], { PATH, KUBECONFIG: kc });
  t.equal(bound.code, 0, bound.stderr);
  t.match(bound.stdout, /APIBinding tmc → root:tmc:tmc.kcp.io is Bound in root:org/);
  // the real kubectl sees what the plugin did
  const get = await kubectl(kc, ['get', 'apibindings']);
  t.match(get.stdout, /^tmc\s/m);
  const bad = await run('kubectl', ['tmc', 'bind', 'nothing'], { PATH, KUBECONFIG: kc });
  t.equal(bad.code, 2, 'usage errors exit 2 through kubectl');
  t.match(bad.stderr, /add --help for usage of kubectl tmc/);
});
