/**
 * `tmcctl placement history <name> [-n ns] [-o table|json|yaml]`: the PlacementDecisions of a
 * placement, oldest first: REVISION, TIME, TRIGGER, SELECTED; `*` marks the one in effect.
 */
import type { Command } from 'commander';
import type { PlacementDecision, WorkloadPlacement } from '../../apis/tmc/index.js';
import type { CliContext } from '../context.js';
import { serialize, table } from '../output.js';
import { clusterList, decisionsOf, getPlacement } from '../placement-decisions.js';
import type { Runner } from '../runner.js';

export function historyRows(wp: WorkloadPlacement, decisions: PlacementDecision[]): string[][] {
  return decisions.map((d) => [
    `${d.spec.revision}${d.spec.revision === wp.status?.currentRevision ? '*' : ''}${d.spec.revision === wp.spec?.pinnedRevision ? ' (pinned)' : ''}`,
    d.spec.time ?? d.metadata.creationTimestamp ?? '',
    d.spec.trigger ?? '',
    clusterList(d.spec.selected),
  ]);
}

export async function runHistory(ctx: CliContext, o: { name: string; namespace?: string }): Promise<void> {
  const format = ctx.outputFormat();
  const workspace = ctx.currentWorkspace();
  const namespace = ctx.namespace(o.namespace);
  const client = ctx.client(workspace);
  const wp = await getPlacement(client, namespace, o.name, workspace);
  const decisions = await decisionsOf(client, namespace, o.name);
  if (format !== 'table') {
    ctx.io.stdout(serialize({ apiVersion: 'v1', kind: 'List', items: decisions }, format));
    return;
  }
  if (decisions.length === 0) {
    ctx.io.stderr(`workloadplacement ${namespace}/${o.name} has no decisions yet (phase ${wp.status?.phase ?? 'Pending'}).\n`);
    return;
  }
  ctx.io.stdout(table(['REVISION', 'TIME', 'TRIGGER', 'SELECTED'], historyRows(wp, decisions)));
}

export function registerPlacementHistory(placement: Command, run: Runner): void {
  placement.command('history')
    .description('list a placement\'s decisions (revisions, time, trigger, selected clusters)')
    .argument('<name>', 'the WorkloadPlacement')
    .option('-n, --namespace <ns>', 'its namespace (default: the context\'s, else default)')
    .action(async (name: string, flags: { namespace?: string }, cmd: Command) => run(cmd, (ctx) => runHistory(ctx, { name, namespace: flags.namespace })));
}
