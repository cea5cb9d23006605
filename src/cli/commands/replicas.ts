/**
 * `tmcctl replicas [-o table|json|yaml]`: which tmc-server replica holds which HA Lease, so which
 * one runs the controllers and which one syncs the push clusters (docs/ha.md); then the clusters of
 * the current workspace with the replica (or pull agent) that syncs each.
 */
import type { Command } from 'commander';
import {
  CONTROLLERS_LEASE, HA_LEASE_NAMESPACE, HA_LEASE_WORKSPACE, LEASES_GVR, SYNCERS_LEASE,
} from '../../apis/ha.js';
import { CLUSTER_REGISTRATIONS, type ClusterRegistration } from '../../apis/tmc/index.js';
import type { KubeObject } from '../../client/types.js';
import { isNotFound } from '../../errors/status.js';
import type { CliContext } from '../context.js';
import { age, serialize, table } from '../output.js';
import type { Runner } from '../runner.js';

interface LeaseView { lease: string; runs: string; holder: string; renewed: string; transitions: number }

const ROLES: Array<[string, string]> = [[CONTROLLERS_LEASE, 'placement + cluster-registration controllers'], [SYNCERS_LEASE, 'push syncers']];

export async function runReplicas(ctx: CliContext): Promise<void> {
  const format = ctx.outputFormat();
  const rootClient = ctx.client(HA_LEASE_WORKSPACE);
  const leases: LeaseView[] = [];
  for (const [name, runs] of ROLES) {
    try {
      const l = await rootClient.get<KubeObject & { spec?: { holderIdentity?: string; renewTime?: string; leaseTransitions?: number } }>(LEASES_GVR, HA_LEASE_NAMESPACE, name);
      leases.push({ lease: name, runs, holder: l.spec?.holderIdentity || '<none>', renewed: l.spec?.renewTime ?? '', transitions: l.spec?.leaseTransitions ?? 0 });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const syncersHolder = leases.find((l) => l.lease === SYNCERS_LEASE)?.holder;
  const workspace = ctx.currentWorkspace();
  let clusters: Array<{ cluster: string; mode: string; syncedBy: string }> = [];
  try {
    const list = await ctx.client(workspace).listAll(CLUSTER_REGISTRATIONS);
    clusters = (list.items as unknown as ClusterRegistration[]).map((c) => {
      const mode = c.spec?.syncMode ?? 'Push';
      return { cluster: c.metadata.name ?? '', mode, syncedBy: mode === 'Pull' ? 'pull agent' : syncersHolder ?? 'every replica (no leader election)' };
    });
  } catch (err) {
    if (!isNotFound(err)) throw err; // the TMC API is not bound here: no clusters to show
  }
  if (format !== 'table') {
    ctx.io.stdout(serialize({ leases, clusters }, format));
    return;
  }
  if (leases.length === 0) {
    ctx.io.stderr('No HA Leases: this tmc-server runs without leader election (one replica, or --leader-elect=false).\n');
  } else {
    ctx.io.stdout(table(['LEASE', 'RUNS', 'HOLDER', 'RENEWED', 'TRANSITIONS'],
      leases.map((l) => [l.lease, l.runs, l.holder, l.renewed ? `${age(l.renewed)} ago` : '', String(l.transitions)])));
  }
  if (clusters.length > 0) ctx.io.stdout(`\n${table(['CLUSTER', 'MODE', 'SYNCED BY'], clusters.map((c) => [c.cluster, c.mode, c.syncedBy]))}`);
}

export function registerReplicas(program: Command, run: Runner): void {
  program.command('replicas')
    .description('show which tmc-server replica runs the controllers and which syncs each cluster')
    .action(async (_opts: unknown, cmd: Command) => run(cmd, (ctx) => runReplicas(ctx)));
}
