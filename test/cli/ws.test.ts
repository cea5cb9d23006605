/**
 * tmcctl ws against a real server: print, create (waits Ready, --enter), switch by child / absolute
 * / .. / - (rewriting a temp copy of the kubeconfig, comments kept), tree, and the errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { resolveWorkspacePath } from '../../src/cli/commands/ws-switch.js';
import { splitServerURL } from '../../src/cli/kubeconfig-file.js';
import { startServer } from '../helpers/tmc.js';
import { kubeconfigCopy, tmcctl, tmcctlOK } from './cli-harness.js';

t.test('resolveWorkspacePath', async (t) => {
  t.equal(resolveWorkspacePath('root:org', 'team'), 'root:org:team');
  t.equal(resolveWorkspacePath('root:org', 'team:dev'), 'root:org:team:dev');
  t.equal(resolveWorkspacePath('root:org:team', '..'), 'root:org');
  t.equal(resolveWorkspacePath('root:org:team', '..:other'), 'root:org:other');
  t.equal(resolveWorkspacePath('root:org', ':root:x'), 'root:x');
  t.equal(resolveWorkspacePath('root:org', 'root:x'), 'root:x');
  t.equal(resolveWorkspacePath(undefined, 'root'), 'root');
  t.throws(() => resolveWorkspacePath('root', '..'), /root has no parent/);
  t.throws(() => resolveWorkspacePath('root', 'Bad_Name'), /not a valid workspace name/);
  t.throws(() => resolveWorkspacePath(undefined, 'team'), /relative/);
  t.throws(() => resolveWorkspacePath('root', ':other:x'), /must start at root/);
  t.same(splitServerURL('https://h:6443/clusters/root:org'), { base: 'https://h:6443', workspace: 'root:org' });
  t.same(splitServerURL('https://h:6443/prefix/clusters/root/'), { base: 'https://h:6443/prefix', workspace: 'root' });
  t.same(splitServerURL('https://h:6443'), { base: 'https://h:6443' });
});

t.test('ws print, create, switch, previous, tree', async (t) => {
  const srv = await startServer(t);
  const kc = kubeconfigCopy(t, srv.kubeconfigPath);
  writeFileSync(kc, '# my precious comment\n' + readFileSync(kc, 'utf8'));
  const server = () => {
    const doc = parse(readFileSync(kc, 'utf8'));
    const ctx = doc.contexts.find((c: any) => c.name === doc['current-context']).context;
    return doc.clusters.find((c: any) => c.name === ctx.cluster).cluster.server as string;
  };

  t.equal(await tmcctlOK(kc, ['ws']), 'Current workspace is "root".\n');
  t.equal(await tmcctlOK(kc, ['ws', '.']), 'Current workspace is "root".\n');

  const created = await tmcctlOK(kc, ['ws', 'create', 'org', '--enter']);
  t.match(created, /Workspace "root:org" is ready to use/);
  t.match(created, /Current workspace is "root:org"/);
  t.equal(server(), `${srv.url}/clusters/root:org`, 'the kubeconfig server URL was rewritten');
  t.match(readFileSync(kc, 'utf8'), /^# my precious comment/, 'comments survive the rewrite');

  t.match(await tmcctlOK(kc, ['ws', 'create', 'team']), /"root:org:team" is ready/);
  t.equal(server(), `${srv.url}/clusters/root:org`, 'create without --enter stays');
  const again = await tmcctl(kc, ['ws', 'create', 'team']);
  t.equal(again.code, 1, 'an existing workspace is an error');
  t.match(again.stderr, /already exists in root:org; use --ignore-existing/);
  t.equal((await tmcctl(kc, ['ws', 'create', 'team', '--ignore-existing'])).code, 0);

  t.equal(await tmcctlOK(kc, ['ws', 'team']), 'Current workspace is "root:org:team".\n');
  t.equal(server(), `${srv.url}/clusters/root:org:team`);
  t.equal(await tmcctlOK(kc, ['ws', '..']), 'Current workspace is "root:org".\n');
  t.equal(await tmcctlOK(kc, ['ws', '-']), 'Current workspace is "root:org:team".\n', '- goes back');
  t.equal(await tmcctlOK(kc, ['ws', '-']), 'Current workspace is "root:org".\n', 'and forth');
  t.equal(await tmcctlOK(kc, ['ws', ':root']), 'Current workspace is "root".\n');
  t.equal(await tmcctlOK(kc, ['ws', 'use', 'root:org:team']), 'Current workspace is "root:org:team".\n');
  t.equal(await tmcctlOK(kc, ['ws', 'current']), 'Current workspace is "root:org:team".\n');
  t.equal(await tmcctlOK(kc, ['ws', '~']), 'Current workspace is "user:admin".\n', '~ goes home (created on first use)');
  t.equal(await tmcctlOK(kc, ['ws', '-']), 'Current workspace is "root:org:team".\n', 'and back');

  const missing = await tmcctl(kc, ['ws', ':root:nope']);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /workspace "nope" not found in root; list them with "tmcctl ws tree"/);
  t.equal(server(), `${srv.url}/clusters/root:org:team`, 'a failed switch leaves the kubeconfig alone');
  const bad = await tmcctl(kc, ['ws', 'Bad_Name']);
  t.equal(bad.code, 2, 'usage error');
  t.match(bad.stderr, /not a valid workspace name/);
  t.equal((await tmcctl(kc, ['ws', 'create', 'UPPER'])).code, 2);

  await tmcctlOK(kc, ['ws', ':root']);
  const tree = await tmcctlOK(kc, ['ws', 'tree']);
  t.match(tree, /^\.\n└── root\n/);
  t.match(tree, /├── compute\n/);
  t.match(tree, /├── org\n    │   └── team\n/);
  t.match(tree, /└── tmc\n$/);
  const json = JSON.parse(await tmcctlOK(kc, ['ws', 'tree', '-o', 'json', '--workspace', 'root:org']));
  t.same(json, { name: 'org', path: 'root:org', children: [{ name: 'team', path: 'root:org:team', children: [], phase: 'Ready' }] });

  const noServer = await tmcctl(kc, ['ws', 'org', '--server', `${srv.url}/clusters/root`]);
  t.equal(noServer.code, 2, 'switching with --server is a usage error');
  t.equal(await tmcctlOK(kc, ['ws', '--server', `${srv.url}/clusters/root:org`]), 'Current workspace is "root:org".\n', '--server only for reading');

  const noFile = await tmcctl(undefined, ['ws'], { KUBECONFIG: '/does/not/exist' });
  t.equal(noFile.code, 1);
  t.match(noFile.stderr, /cannot read kubeconfig \/does\/not\/exist/);
  const viaEnv = await tmcctl(undefined, ['ws'], { KUBECONFIG: kc });
  t.equal(viaEnv.stdout, 'Current workspace is "root".\n', '$KUBECONFIG is honoured');
});
