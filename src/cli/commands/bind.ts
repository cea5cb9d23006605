/**
 * `tmcctl bind compute|tmc|all [--workspace <path>] [--timeout 30s]`: binds the TMC APIs in a
 * workspace (the current one, or the global `--workspace`), like kcp's `kubectl kcp bind compute`. `compute` binds APIExport `kubernetes` of
 * `root:compute` (Deployments, Services, … as kcp serves them); `tmc` binds `tmc.kcp.io` of
 * `root:tmc` (ClusterRegistration, WorkloadPlacement, PlacementDecision) and accepts every
 * permission claim the export makes, so TMC's controllers can see the workspace's namespaces,
 * configmaps, secrets and workloads. Each binding is created (or its claims updated) and waited on
 * until its phase is Bound.
 */
import type { Command } from 'commander';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/types.js';
import { isNotFound, isStatusError } from '../../errors/status.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { API_BINDINGS, API_EXPORTS } from '../gvr.js';
import { parseDuration, waitFor } from '../wait.js';
import type { Runner } from '../runner.js';

export interface ExportRef { name: string; path: string; exportName: string; claims: boolean }

export const COMPUTE_EXPORT: ExportRef = { name: 'kubernetes', path: 'root:compute', exportName: 'kubernetes', claims: false };
export const TMC_EXPORT: ExportRef = { name: 'tmc', path: 'root:tmc', exportName: 'tmc.kcp.io', claims: true };

const TARGETS: Record<string, ExportRef[]> = { compute: [COMPUTE_EXPORT], tmc: [TMC_EXPORT], all: [COMPUTE_EXPORT, TMC_EXPORT] };

export interface BindOptions {
  exports: ExportRef[];
  timeoutMs: number;
}

interface Claim { group?: string; resource: string; all?: boolean; identityHash?: string; state?: string }

export function completeBind(what: string, flags: { timeout: string }): BindOptions {
  const exports = TARGETS[what];
  if (!exports) throw new UsageError(`cannot bind "${what}": use compute, tmc or all`);
  const timeoutMs = parseDuration(flags.timeout);
  if (timeoutMs === undefined) throw new UsageError(`--timeout "${flags.timeout}" is not a duration (e.g. 30s, 2m)`);
  return { exports, timeoutMs };
}

/** The export's permission claims, all accepted; [] (with a warning) when the export cannot be read. */
async function acceptedClaims(ctx: CliContext, ref: ExportRef): Promise<Claim[]> {
  try {
    const exp = await ctx.rootClient().forCluster(ref.path).get(API_EXPORTS, undefined, ref.exportName);
    const claims = ((exp.spec as { permissionClaims?: Claim[] } | undefined)?.permissionClaims ?? []);
    return claims.map((c) => ({ ...c, all: c.all ?? true, state: 'Accepted' }));
  } catch (e) {
    if (isNotFound(e)) throw new CliError(`APIExport ${ref.path}:${ref.exportName} not found; is this a TMC server (tmc-server --mode server)?`);
    if (isStatusError(e) && e.reason === 'Forbidden') {
      ctx.warn(`cannot read APIExport ${ref.path}:${ref.exportName} to accept its permission claims (forbidden); binding without them — TMC will not see this workspace's workloads until they are accepted`);
      return [];
    }
    throw e;
  }
}

async function bindOne(ctx: CliContext, client: KubeClient, workspace: string, ref: ExportRef, timeoutMs: number): Promise<void> {
  const claims = ref.claims ? await acceptedClaims(ctx, ref) : [];
  const existing = (await client.listAll(API_BINDINGS)).items.find((b) => {
    const exp = (b.spec as { reference?: { export?: { path?: string; name?: string } } } | undefined)?.reference?.export;
    return exp?.name === ref.exportName && (exp.path ?? '') === ref.path;
  });
  let name = ref.name;
  if (existing) {
    name = existing.metadata.name!;
    if (claims.length) await client.patch(API_BINDINGS, undefined, name, { spec: { permissionClaims: claims } }, { type: 'merge' });
  } else {
    const binding: KubeObject = {
      apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name },
      spec: { reference: { export: { path: ref.path, name: ref.exportName } }, ...(claims.length ? { permissionClaims: claims } : {}) },
    };
    await client.create(API_BINDINGS, undefined, binding);
  }
  let last: KubeObject | undefined;
  await waitFor(async () => {
    last = await client.get(API_BINDINGS, undefined, name);
    return (last.status as { phase?: string } | undefined)?.phase === 'Bound' ? true : undefined;
  }, {
    timeoutMs, what: `APIBinding ${name} in ${workspace} to be Bound`,
    explain: () => {
      const ready = ((last?.status as { conditions?: Array<{ type: string; reason?: string; message?: string }> } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
      return ready ? `${ready.reason ?? ''}${ready.message ? `: ${ready.message}` : ''}` : '';
    },
  });
  const accepted = claims.length ? ` (accepted ${claims.length} permission claims: ${claims.map((c) => `${c.resource}${c.group ? `.${c.group}` : ''}`).join(', ')})` : '';
  ctx.out(`APIBinding ${name} → ${ref.path}:${ref.exportName} is Bound in ${workspace}${accepted}.`);
}

export async function runBind(ctx: CliContext, o: BindOptions): Promise<void> {
  const workspace = ctx.currentWorkspace();
  const client = ctx.client(workspace);
  for (const ref of o.exports) await bindOne(ctx, client, workspace, ref, o.timeoutMs);
}

export function registerBind(program: Command, run: Runner): void {
  program.command('bind')
    .description('bind the TMC APIs in a workspace: compute (root:compute:kubernetes), tmc (root:tmc:tmc.kcp.io, accepting its permission claims) or all')
    .argument('<what>', 'compute, tmc or all')
    .option('--timeout <duration>', 'how long to wait for each binding to be Bound', '30s')
    .addHelpText('after', '\nExamples:\n  tmcctl bind all\n  tmcctl bind compute --workspace root:org:team')
    .action(async (what: string, flags: { timeout: string }, cmd: Command) =>
      run(cmd, (ctx) => runBind(ctx, completeBind(what, flags))));
}
