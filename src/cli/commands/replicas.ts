/**
 * `tmcctl replicas [-o table|json|yaml]`: which tmc-server replica holds which HA Lease (docs/ha.md):
 * who runs the controllers and the status aggregator, which replicas are live and how many clusters
 * each syncs, then the clusters of the current workspace with the replica (or pull agent) syncing each.
 */
import type { Command } from 'commander';
import {
  CONTROLLERS_LEASE, HA_LEASE_NAMESPACE, HA_LEASE_WORKSPACE, LEASES_GVR, REPLICA_LEASE_PREFIX, STATUS_AGGREGATOR_LEASE,
  SYNCER_SHARD_LEASE_PREFIX, syncerShardLeaseName,
} from '../../apis/ha.js';
import { clusterKey, clusterOf } from '../../apis/contract.js';
import { CLUSTER_REGISTRATIONS, type ClusterRegistration } from '../../apis/tmc/index.js';
import type { KubeObject } from '../../client/types.js';
import { isNotFound } from '../../errors/status.js';
import type { CliContext } from '../context.js';
import { age, serialize, table } from '../output.js';
import type { Runner } from '../runner.js';

type Lease = KubeObject & { spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number; leaseTransitions?: number } };
interface LeaseView { lease: string; runs: string; holder: string; renewed: string; transitions: number }
interface ReplicaView { replica: string; lease: string; renewed: string; live: boolean; clusters: number }
interface ClusterView { cluster: string; mode: string; syncedBy: string; lease?: string }

const ROLES: Array<[string, string]> = [
  [CONTROLLERS_LEASE, 'placement + cluster-registration controllers'],
  [STATUS_AGGREGATOR_LEASE, 'status aggregator, release of deleted clusters'],
];

/** Renewed within its duration by this machine's clock: good enough for a display. */
function live(l: Lease, now = Date.now()): boolean {
  const renewed = Date.parse(l.spec?.renewTime ?? '');
  return !!l.spec?.holderIdentity && now - renewed < (l.spec?.leaseDurationSeconds ?? 15) * 1000;
}

export async function runReplicas(ctx: CliContext): Promise<void> {
  const format = ctx.outputFormat();
  let all: Lease[] = [];
  try {
    all = (await ctx.client(HA_LEASE_WORKSPACE).listAll(LEASES_GVR, { namespace: HA_LEASE_NAMESPACE })).items as Lease[];
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const byName = new Map(all.map((l) => [l.metadata?.name ?? '', l]));
  const leases: LeaseView[] = ROLES.flatMap(([name, runs]) => {
    const l = byName.get(name);
    return l ? [{ lease: name, runs, holder: l.spec?.holderIdentity || '<none>', renewed: l.spec?.renewTime ?? '', transitions: l.spec?.leaseTransitions ?? 0 }] : [];
  });
  const load = new Map<string, number>();
  for (const l of all) {
    if (l.metadata?.name?.startsWith(SYNCER_SHARD_LEASE_PREFIX) && live(l)) load.set(l.spec!.holderIdentity!, (load.get(l.spec!.holderIdentity!) ?? 0) + 1);
  }
  const replicas: ReplicaView[] = all.filter((l) => l.metadata?.name?.startsWith(REPLICA_LEASE_PREFIX) && l.spec?.holderIdentity).map((l) => ({
    replica: l.spec!.holderIdentity!, lease: l.metadata!.name!, renewed: l.spec?.renewTime ?? '', live: live(l), clusters: load.get(l.spec!.holderIdentity!) ?? 0,
  }));
  const sharded = replicas.length > 0;

  const workspace = ctx.currentWorkspace();
  let clusters: ClusterView[] = [];
  try {
    const list = await ctx.client(workspace).listAll(CLUSTER_REGISTRATIONS);
    clusters = (list.items as unknown as ClusterRegistration[]).map((c) => {
      const mode = c.spec?.syncMode ?? 'Push';
      const name = c.metadata.name ?? '';
      if (mode === 'Pull') return { cluster: name, mode, syncedBy: 'pull agent' };
      if (!sharded) return { cluster: name, mode, syncedBy: leases.length ? '<unknown>' : 'this server (no leader election)' };
      const leaseName = syncerShardLeaseName(clusterKey(clusterOf(c as unknown as KubeObject, workspace), name));
      const l = byName.get(leaseName);
      const syncedBy = l && live(l) ? l.spec!.holderIdentity! : `<none>${l?.spec?.holderIdentity ? ` (was ${l.spec.holderIdentity})` : ''}`;
      return { cluster: name, mode, syncedBy, lease: leaseName };
    });
  } catch (err) {
    if (!isNotFound(err)) throw err; // the TMC API is not bound here: no clusters to show
  }
  if (format !== 'table') {
    ctx.io.stdout(serialize({ leases, replicas, clusters }, format));
    return;
  }
  if (leases.length === 0) {
    ctx.io.stderr('No HA Leases: this tmc-server runs without leader election (one replica, or --leader-elect=false).\n');
  } else {
    ctx.io.stdout(table(['LEASE', 'RUNS', 'HOLDER', 'RENEWED', 'TRANSITIONS'],
      leases.map((l) => [l.lease, l.runs, l.holder, l.renewed ? `${age(l.renewed)} ago` : '', String(l.transitions)])));
  }
  if (replicas.length > 0) {
    ctx.io.stdout(`\n${table(['REPLICA', 'STATE', 'RENEWED', 'CLUSTERS'],
      replicas.map((r) => [r.replica, r.live ? 'live' : 'gone', r.renewed ? `${age(r.renewed)} ago` : '', String(r.clusters)]))}`);
  }
  if (clusters.length > 0) ctx.io.stdout(`\n${table(['CLUSTER', 'MODE', 'SYNCED BY'], clusters.map((c) => [c.cluster, c.mode, c.syncedBy]))}`);
}

export function registerReplicas(program: Command, run: Runner): void {
  program.command('replicas')
    .description('show which tmc-server replica runs the controllers and which syncs each cluster')
    .action(async (_opts: unknown, cmd: Command) => run(cmd, (ctx) => runReplicas(ctx)));
}
