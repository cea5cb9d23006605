#!/usr/bin/env node
// `npm start`: builds only when a source file is newer than the compiled server, then runs
// tmc-server with the flags given after `--`. A fresh clone builds once; later starts are instant.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const entry = join(root, 'dist', 'src', 'cmd', 'tmc-server.js');

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
if (!existsSync(entry) || statSync(entry).mtimeMs < sources) {
  process.stderr.write('npm start: sources changed since the last build; building (npm run build)\n');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawnSync(process.execPath, ['--enable-source-maps', entry, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(server.status ?? (server.signal ? 1 : 0));
