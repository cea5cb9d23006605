/**
 * Runs docs/quickstart.md as written: its `sh` blocks, in order, in a fresh directory. Lines that
 * start a server (`npm start …`) run in the background (as `node dist/src/cmd/tmc-server.js …`,
 * which is what `npm start` runs after building) and the script waits for their `ready` line;
 * everything else runs in one bash with `set -euo pipefail`, so any failing command fails the test.
 */
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DIST_ROOT, SERVER_BIN, tempDir } from '../helpers/tmc.js';

const REPO = resolve(DIST_ROOT, '..');
const SERVER_LINE = /^(?:npm ci && )?npm start(?: --)?(.*?)(?:\s*&)?\s*(?:#.*)?$/;

export function quickstartScript(markdown: string): { servers: string[][]; script: string } {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const servers: string[][] = [];
  const lines: string[] = [];
  for (const block of blocks) {
    for (const line of block.split('\n')) {
      const m = SERVER_LINE.exec(line.trim());
      if (m) servers.push(m[1].trim().split(/\s+/).filter(Boolean));
      else lines.push(line);
    }
  }
  return { servers, script: lines.join('\n') };
}

t.test('docs/quickstart.md works as written', async (t) => {
  const { servers, script } = quickstartScript(readFileSync(join(REPO, 'docs', 'quickstart.md'), 'utf8'));
  t.ok(servers.length >= 1, 'the quickstart starts tmc-server');
  const cwd = tempDir(t, 'tmc-quickstart-');
  const children: ChildProcess[] = [];
  t.teardown(() => { for (const c of children) c.kill('SIGKILL'); });
  await Promise.all(servers.map((args) => new Promise<void>((ready, fail) => {
    const child = spawn(process.execPath, [SERVER_BIN, '--log-level', 'warn', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => fail(new Error(`server ${args.join(' ')} not ready: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => { out += d; if (/ready at/.test(out)) { clearTimeout(timer); ready(); } });
    child.stderr!.on('data', (d) => { out += d; });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`server ${args.join(' ')} exited ${code}: ${out}`)); });
  })));
  const result = await new Promise<{ code: number | null; out: string }>((done) => {
    const sh = spawn('bash', ['-c', `set -euo pipefail\n${script}`], { cwd, env: { ...process.env, KUBECACHEDIR: join(cwd, '.kube-cache') } });
    let out = '';
    sh.stdout.on('data', (d) => { out += d; });
    sh.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => sh.kill('SIGKILL'), 240_000);
    sh.once('exit', (code) => { clearTimeout(timer); done({ code, out }); });
  });
  t.equal(result.code, 0, 'every command succeeded');
  if (result.code !== 0) t.comment(result.out.slice(-4000));
  // what the reader is promised to see
  t.match(result.out, /web\s+4\/4/, 'the upstream Deployment shows all replicas ready');
  t.match(result.out, /east\s+\S+\s+True/, 'clusters are listed Ready');
});
