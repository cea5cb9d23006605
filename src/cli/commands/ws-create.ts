/**
 * `tmcctl ws create <name> [--type T] [--enter] [--ignore-existing] [--timeout 30s]`: creates a
 * Workspace in the current workspace, waits until it is Ready, and with `--enter` switches to it.
 */
import type { Command } from 'commander';
import { isAlreadyExists } from '../../errors/status.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { WORKSPACES } from '../gvr.js';
import { parseDuration, waitFor } from '../wait.js';
import type { Runner } from '../runner.js';
import { runWs } from './ws-switch.js';

export interface WsCreateOptions {
  name: string;
  type?: string;
  enter: boolean;
  ignoreExisting: boolean;
  timeoutMs: number;
}

export function completeWsCreate(name: string, flags: { type?: string; enter?: boolean; ignoreExisting?: boolean; timeout: string }): WsCreateOptions {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
    throw new UsageError(`"${name}" is not a valid workspace name: lower-case letters, digits and '-', at most 63 characters`);
  }
  const timeoutMs = parseDuration(flags.timeout);
  if (timeoutMs === undefined) throw new UsageError(`--timeout "${flags.timeout}" is not a duration (e.g. 30s, 2m)`);
  return { name, type: flags.type, enter: !!flags.enter, ignoreExisting: !!flags.ignoreExisting, timeoutMs };
}

export async function runWsCreate(ctx: CliContext, o: WsCreateOptions): Promise<void> {
  const parent = ctx.currentWorkspace();
  const client = ctx.client(parent);
  const spec: Record<string, unknown> = {};
  if (o.type) {
    spec.type = o.type.includes(':') ? { name: o.type.slice(o.type.lastIndexOf(':') + 1), path: o.type.slice(0, o.type.lastIndexOf(':')) } : { name: o.type };
  }
  try {
    await client.create(WORKSPACES, undefined, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: o.name }, spec });
    ctx.out(`Workspace "${o.name}" created in ${parent}. Waiting for it to be ready...`);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    if (!o.ignoreExisting) throw new CliError(`workspace "${o.name}" already exists in ${parent}; use --ignore-existing to reuse it`);
  }
  let phase = '';
  await waitFor(async () => {
    const ws = await client.get(WORKSPACES, undefined, o.name);
    phase = (ws.status as { phase?: string } | undefined)?.phase ?? '';
    return phase === 'Ready' ? true : undefined;
  }, { timeoutMs: o.timeoutMs, what: `workspace ${parent}:${o.name} to be Ready`, explain: () => (phase ? `phase is ${phase}` : '') });
  ctx.out(`Workspace "${parent}:${o.name}" is ready to use.`);
  if (o.enter) await runWs(ctx, { target: `:${parent}:${o.name}` });
}

export function registerWsCreate(ws: Command, run: Runner): void {
  ws.command('create')
    .description('create a workspace in the current one and wait until it is Ready')
    .argument('<name>', 'the new workspace\'s name')
    .option('--type <type>', "workspace type, <path>:<name> or <name> (found in this workspace or a parent); default: the parent type's default child type")
    .option('--enter', 'switch to the new workspace once it is ready')
    .option('--ignore-existing', 'succeed when the workspace already exists')
    .option('--timeout <duration>', 'how long to wait for Ready', '30s')
    .action(async (name: string, flags: { type?: string; enter?: boolean; ignoreExisting?: boolean; timeout: string }, cmd: Command) =>
      run(cmd, (ctx) => runWsCreate(ctx, completeWsCreate(name, flags))));
}
