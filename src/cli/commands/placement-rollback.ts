/**
 * `tmcctl placement rollback <name> --to-revision N` pins a placement to an earlier decision
 * (`spec.pinnedRevision`): TMC then applies that decision's clusters and replicas instead of
 * scheduling afresh. `tmcctl placement unpin <name>` removes the pin and resumes scheduling.
 */
import type { Command } from 'commander';
import { WORKLOAD_PLACEMENTS } from '../../apis/tmc/index.js';
import { pinPatch } from '../../apis/tmc/explain.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { clusterList, decisionsOf, getPlacement, parseRevision } from '../placement-decisions.js';
import type { Runner } from '../runner.js';

export async function runRollback(ctx: CliContext, o: { name: string; namespace?: string; revision: number }): Promise<void> {
  const workspace = ctx.currentWorkspace();
  const namespace = ctx.namespace(o.namespace);
  const client = ctx.client(workspace);
  const wp = await getPlacement(client, namespace, o.name, workspace);
  const decisions = await decisionsOf(client, namespace, o.name);
  const d = decisions.find((x) => x.spec.revision === o.revision);
  if (!d) {
    throw new CliError(`workloadplacement ${namespace}/${o.name} has no revision ${o.revision}; revisions: ${decisions.map((x) => x.spec.revision).join(', ') || '<none>'} (see "tmcctl placement history ${o.name}")`);
  }
  const current = wp.status?.decisions?.map((c) => (c.replicas === undefined ? c.clusterName : `${c.clusterName}(${c.replicas})`)).join(', ') || '<none>';
  ctx.out(`rolling back workloadplacement ${namespace}/${o.name} from revision ${wp.status?.currentRevision ?? '-'} (${current}) to revision ${o.revision}: will apply ${clusterList(d.spec.selected)}`);
  await client.patch(WORKLOAD_PLACEMENTS, namespace, o.name, pinPatch(o.revision), { type: 'merge' });
  ctx.out(`workloadplacement ${namespace}/${o.name} pinned to revision ${o.revision}: ${clusterList(d.spec.selected)}. Run "tmcctl placement unpin ${o.name}" to resume scheduling.`);
}

export async function runUnpin(ctx: CliContext, o: { name: string; namespace?: string }): Promise<void> {
  const workspace = ctx.currentWorkspace();
  const namespace = ctx.namespace(o.namespace);
  const client = ctx.client(workspace);
  const wp = await getPlacement(client, namespace, o.name, workspace);
  if (wp.spec?.pinnedRevision === undefined) {
    ctx.out(`workloadplacement ${namespace}/${o.name} is not pinned.`);
    return;
  }
  await client.patch(WORKLOAD_PLACEMENTS, namespace, o.name, pinPatch(null), { type: 'merge' });
  ctx.out(`workloadplacement ${namespace}/${o.name} unpinned (was revision ${wp.spec.pinnedRevision}); scheduling resumes.`);
}

export function registerPlacementRollback(placement: Command, run: Runner): void {
  placement.command('rollback')
    .description('pin a placement to an earlier decision (sets spec.pinnedRevision)')
    .argument('<name>', 'the WorkloadPlacement')
    .option('--to-revision <n>', 'the revision to go back to (see "tmcctl placement history")')
    .option('-n, --namespace <ns>', 'its namespace (default: the context\'s, else default)')
    .action(async (name: string, flags: { toRevision?: string; namespace?: string }, cmd: Command) => run(cmd, async (ctx) => {
      if (flags.toRevision === undefined) throw new UsageError('rollback needs --to-revision N; list revisions with "tmcctl placement history ' + name + '"');
      await runRollback(ctx, { name, namespace: flags.namespace, revision: parseRevision('--to-revision', flags.toRevision) });
    }));
  placement.command('unpin')
    .description('remove a rollback pin so the placement is scheduled afresh')
    .argument('<name>', 'the WorkloadPlacement')
    .option('-n, --namespace <ns>', 'its namespace (default: the context\'s, else default)')
    .action(async (name: string, flags: { namespace?: string }, cmd: Command) => run(cmd, (ctx) => runUnpin(ctx, { name, namespace: flags.namespace })));
}
