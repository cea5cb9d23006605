/**
 * `tmcctl ws [<path>|..|-|:root:x]`: kcp's `kubectl ws`. Without an argument (or with `.`) it
 * prints the current workspace, the `/clusters/<path>` of the kubeconfig's server URL. With one it
 * switches: the current context's cluster gets the new server URL, and the old one is kept for
 * `ws -`. Relative paths (`team`, `team:dev`) are children of the current workspace; `:root:x` and
 * `root:x` are absolute; `..` is the parent. The target must exist: its Workspace object is looked
 * up in its parent before the kubeconfig is touched.
 */
import type { KubeClient } from '../../client/kube-client.js';
import { isNotFound } from '../../errors/status.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { WORKSPACES } from '../gvr.js';
import { loadKubeconfig, previousServer, serverOf, splitServerURL, switchServer, workspaceServerURL } from '../kubeconfig-file.js';

const SEGMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface WsOptions {
  /** What the user typed; undefined or '.' prints the current workspace. */
  target?: string;
}

/** `team` under `root:org` → `root:org:team`; `..` → `root`; `:root:x` → `root:x`. Pure. */
export function resolveWorkspacePath(current: string | undefined, target: string): string {
  let path: string;
  if (target.startsWith(':')) {
    path = target.slice(1);
  } else if (target === 'root' || target.startsWith('root:')) {
    path = target;
  } else {
    if (!current) throw new UsageError(`"${target}" is relative, but the kubeconfig names no current workspace; give an absolute path such as :root:${target}`);
    const parts = current.split(':');
    for (const seg of target.split(':')) {
      if (seg === '..') {
        if (parts.length <= 1) throw new UsageError(`${parts.join(':') || 'root'} has no parent workspace`);
        parts.pop();
      } else if (seg !== '.' && seg !== '') {
        parts.push(seg);
      }
    }
    path = parts.join(':');
  }
  const segments = path.split(':');
  if (segments[0] !== 'root') throw new UsageError(`workspace path "${path}" must start at root (e.g. :root:org)`);
  for (const s of segments) {
    if (!SEGMENT.test(s)) throw new UsageError(`"${s}" in "${path}" is not a valid workspace name (lower-case letters, digits and '-')`);
  }
  return path;
}

/** Throws a CliError unless `path` is root or a Workspace object exists for it in its parent. */
export async function ensureWorkspaceExists(root: KubeClient, path: string): Promise<void> {
  if (path === 'root') return;
  const parts = path.split(':');
  const name = parts.pop()!;
  const parent = parts.join(':');
  try {
    const ws = await root.forCluster(parent).get(WORKSPACES, undefined, name);
    const phase = (ws.status as { phase?: string } | undefined)?.phase;
    if (phase && phase !== 'Ready') throw new CliError(`workspace ${path} is not ready yet (phase ${phase}); try again shortly`);
  } catch (e) {
    if (isNotFound(e)) throw new CliError(`workspace "${name}" not found in ${parent}; list them with "tmcctl ws tree" or create it with "tmcctl ws create ${name}"`);
    throw e;
  }
}

export async function runWs(ctx: CliContext, o: WsOptions): Promise<void> {
  if (ctx.globals.server && o.target && o.target !== '.') {
    throw new UsageError('ws switches the workspace in the kubeconfig file; it cannot be combined with --server');
  }
  const kc = loadKubeconfig(ctx.kubeconfigPath, ctx.globals.context);
  const server = ctx.globals.server ?? serverOf(kc);
  const { base, workspace } = splitServerURL(server);
  if (!o.target || o.target === '.') {
    if (!workspace) throw new CliError(`the server URL ${server} names no workspace; switch to one with "tmcctl ws :root"`);
    ctx.out(`Current workspace is "${workspace}".`);
    return;
  }
  let target: string;
  let newServer: string;
  if (o.target === '~') {
    // the server creates the home workspace on first use and answers where it is (spec.URL), as kcp's does
    const home = await ctx.rootClient().forCluster('root').get(WORKSPACES, undefined, '~');
    newServer = (home.spec as { URL?: string } | undefined)?.URL ?? '';
    const p = splitServerURL(newServer);
    if (!p.workspace) throw new CliError(`the server answered no home workspace URL (got "${newServer}")`);
    target = p.workspace;
    switchServer(kc, newServer);
    ctx.out(`Current workspace is "${target}".`);
    return;
  } else if (o.target === '-') {
    const prev = previousServer(kc);
    if (!prev) throw new CliError('no previous workspace recorded in the kubeconfig yet');
    const p = splitServerURL(prev);
    if (!p.workspace) throw new CliError(`the previous server URL ${prev} names no workspace`);
    target = p.workspace;
    newServer = prev;
  } else {
    target = resolveWorkspacePath(workspace, o.target);
    newServer = workspaceServerURL(base, target);
  }
  await ensureWorkspaceExists(ctx.rootClient(), target);
  switchServer(kc, newServer);
  ctx.out(`Current workspace is "${target}".`);
}
