/**
 * `tmcctl cluster cordon|uncordon|drain <name>`, as kcp's plugin: cordon sets
 * `spec.unschedulable` (no new workloads; existing ones stay); drain sets it and `spec.evictAfter`
 * to now (workloads move off); uncordon clears both.
 */
import type { Command } from 'commander';
import { CLUSTER_REGISTRATIONS } from '../../apis/tmc/index.js';
import { cordonPatch, type CordonAction } from '../../apis/tmc/explain.js';
import { isNotFound } from '../../errors/status.js';
import type { CliContext } from '../context.js';
import { CliError } from '../errors.js';
import type { Runner } from '../runner.js';
import { requireServed } from '../served.js';

export { cordonPatch, type CordonAction };

const PAST: Record<CordonAction, string> = { cordon: 'cordoned', uncordon: 'uncordoned', drain: 'drained' };

export async function runCordon(ctx: CliContext, action: CordonAction, name: string): Promise<void> {
  const workspace = ctx.currentWorkspace();
  try {
    await requireServed(workspace, 'clusterregistrations', () => ctx.client(workspace).patch(CLUSTER_REGISTRATIONS, undefined, name, cordonPatch(action), { type: 'merge' }));
  } catch (e) {
    if (isNotFound(e)) throw new CliError(`clusterregistration "${name}" not found in ${workspace}; see "tmcctl cluster list"`);
    throw e;
  }
  const note = action === 'drain' ? ' (unschedulable; workloads are moved off)' : action === 'cordon' ? ' (no new workloads; existing ones stay)' : '';
  ctx.out(`clusterregistration/${name} ${PAST[action]}${note}`);
}

export function registerClusterCordon(cluster: Command, run: Runner): void {
  const help: Record<CordonAction, string> = {
    cordon: 'mark a cluster unschedulable: no new workloads, existing ones stay',
    uncordon: 'make a cluster schedulable again (clears unschedulable and evictAfter)',
    drain: 'mark a cluster unschedulable and evict its workloads now (evictAfter = now)',
  };
  for (const action of ['cordon', 'uncordon', 'drain'] as const) {
    cluster.command(action)
      .description(help[action])
      .argument('<name>', 'the ClusterRegistration name')
      .action(async (name: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => runCordon(ctx, action, name)));
  }
}
