/**
 * `tmcctl cluster list [-o table|json|yaml]`: the ClusterRegistrations of the current workspace
 * with NAME, LOCATION, READY, UNSCHEDULABLE, KEY and AGE.
 */
import type { Command } from 'commander';
import { CLUSTER_REGISTRATIONS, type ClusterRegistration, type Condition } from '../../apis/tmc/index.js';
import type { CliContext } from '../context.js';
import { age, serialize, table } from '../output.js';
import type { Runner } from '../runner.js';
import { requireServed } from '../served.js';

export function condition(obj: ClusterRegistration | undefined, type: string): Condition | undefined {
  return obj?.status?.conditions?.find((c) => c.type === type);
}

export function clusterRows(items: ClusterRegistration[], now = Date.now()): string[][] {
  return [...items].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')).map((c) => [
    c.metadata.name ?? '',
    c.spec?.location ?? '',
    condition(c, 'Ready')?.status ?? 'Unknown',
    c.spec?.unschedulable ? (c.spec.evictAfter ? 'true (draining)' : 'true') : 'false',
    c.status?.clusterKey ?? '',
    age(c.metadata.creationTimestamp, now),
  ]);
}

export async function runClusterList(ctx: CliContext): Promise<void> {
  const format = ctx.outputFormat();
  const workspace = ctx.currentWorkspace();
  const list = await requireServed(workspace, 'clusterregistrations', () => ctx.client(workspace).listAll(CLUSTER_REGISTRATIONS));
  const items = list.items as unknown as ClusterRegistration[];
  if (format !== 'table') {
    ctx.io.stdout(serialize({ apiVersion: 'v1', kind: 'List', items }, format));
    return;
  }
  if (items.length === 0) {
    ctx.io.stderr(`No clusters registered in ${ctx.currentWorkspace()}; register one with "tmcctl cluster register".\n`);
    return;
  }
  ctx.io.stdout(table(['NAME', 'LOCATION', 'READY', 'UNSCHEDULABLE', 'KEY', 'AGE'], clusterRows(items)));
}

export function registerClusterList(cluster: Command, run: Runner): void {
  cluster.command('list').alias('ls')
    .description('list the registered clusters of the current workspace')
    .action(async (_opts: unknown, cmd: Command) => run(cmd, (ctx) => runClusterList(ctx)));
}
