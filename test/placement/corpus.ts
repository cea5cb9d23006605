/**
 * A seeded random corpus of fleets and placements for the decision-equivalence test: every input
 * the engine reads is varied (quantity spellings, capacity overrides, conditions, taints with
 * and without timeAdded, drains, cordons, syncedResources in both shapes, CEL selectors and rules
 * including broken ones, spread, every replica mode, prioritizer modes and aliases, previous
 * decisions naming unknown clusters, Balance counts). Same seed, same corpus.
 */
import type {
  ClusterRegistration, LabelSelectorSpec, Taint, Toleration, Workload, WorkloadPlacementSpec,
} from '../../src/placement/types.js';
import type { ScheduleInput } from '../../src/placement/schedule-input.js';

export const CORPUS_NOW = Date.parse('2026-01-01T12:00:00Z');

/** mulberry32: tiny, fast and good enough to drive a test corpus. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    some: (xs, p) => xs.filter(() => next() < p),
  };
  return r;
}

export interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
  some<T>(xs: readonly T[], p: number): T[];
}

const REGIONS = ['eu', 'us', 'ap', 'sa'];
const PROVIDERS = ['aws', 'gcp', 'azure'];
const TIERS = ['prod', 'staging', 'dev'];
const RESOURCES = ['deployments.apps', 'services', 'configmaps', 'statefulsets.apps', 'jobs.batch'];
const ago = (s: number) => new Date(CORPUS_NOW - s * 1000).toISOString();

function cpu(r: Rng): string | number | undefined {
  return r.pick([undefined, '0', '2', '4', '16', '32', '64', '500m', '1500m', '7.5', 8, '250m', '1k'] as const);
}
function memory(r: Rng): string | number | undefined {
  return r.pick([undefined, '0', '1Gi', '8Gi', '64Gi', '256Gi', '512Mi', '1G', '100M', '3.5Gi', 1073741824, '2Ti', 'bogus'] as const);
}
function pods(r: Rng): string | number | undefined {
  return r.pick([undefined, '0', '3', '10', '110', '1100', 50] as const);
}
function resources(r: Rng): Record<string, string | number> | undefined {
  if (r.chance(0.1)) return undefined;
  const out: Record<string, string | number> = {};
  for (const [k, f] of [['cpu', cpu], ['memory', memory], ['pods', pods]] as const) {
    const v = f(r);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function taint(r: Rng): Taint {
  const t: Taint = { key: r.pick(['spot', 'maint', 'gpu', 'edge']), effect: r.pick(['NoSchedule', 'NoExecute', 'PreferNoSchedule'] as const) };
  if (r.chance(0.4)) t.value = r.pick(['true', 'a', 'b']);
  if (r.chance(0.5)) t.timeAdded = ago(r.pick([0, 30, 120, 600, 7200]));
  return t;
}

export function cluster(r: Rng, i: number): ClusterRegistration {
  const region = r.pick(REGIONS);
  const labels: Record<string, string> = {};
  if (r.chance(0.9)) labels['topology.kubernetes.io/region'] = region;
  if (r.chance(0.7)) labels['topology.kubernetes.io/zone'] = `${region}-${r.int(0, 2)}`;
  if (r.chance(0.8)) labels['tmc.kcp.io/provider'] = r.pick(PROVIDERS);
  if (r.chance(0.8)) labels.tier = r.pick(TIERS);
  if (r.chance(0.3)) labels.gpu = 'true';
  const spec: NonNullable<ClusterRegistration['spec']> = {};
  if (r.chance(0.85)) spec.location = `${region}-dc${r.int(0, 3)}`;
  if (r.chance(0.3)) spec.taints = Array.from({ length: r.int(1, 2) }, () => taint(r));
  if (r.chance(0.08)) spec.unschedulable = true;
  if (r.chance(0.06)) spec.evictAfter = r.chance(0.5) ? ago(60) : ago(-3600);
  if (r.chance(0.1)) spec.capacity = resources(r) as never;
  const status: NonNullable<ClusterRegistration['status']> = {};
  if (r.chance(0.95)) {
    const ready = r.chance(0.9);
    status.conditions = [{ type: 'Ready', status: ready ? 'True' : r.pick(['False', 'Unknown'] as const), lastTransitionTime: r.chance(0.9) ? ago(r.pick([10, 200, 400, 4000])) : undefined }];
    if (r.chance(0.2)) status.conditions.unshift({ type: 'Synced', status: 'True' });
  }
  if (r.chance(0.9)) status.allocatable = resources(r) as never;
  if (r.chance(0.8)) status.allocated = r.chance(0.2) ? resources(r) as never : { cpu: r.pick(['0', '1', '2', '500m', undefined]), memory: r.pick(['0', '1Gi', '4Gi', undefined]), pods: r.pick(['0', '5', '20', undefined]) };
  if (r.chance(0.8)) {
    status.syncedResources = r.chance(0.5)
      ? r.some(RESOURCES, 0.7)
      : r.some(RESOURCES, 0.7).map((x) => {
        const [resource, group] = x.split('.');
        return { resource, group: group ?? '', state: r.pick(['Accepted', 'Accepted', 'Pending', undefined]) };
      });
  }
  if (r.chance(0.7)) status.clusterKey = `key-${i}`;
  // zero-padded names keep ties and sort order interesting; a few duplicates exercise the warning
  const name = r.chance(0.01) && i > 0 ? `c-${String(i - 1).padStart(4, '0')}` : `c-${String(i).padStart(4, '0')}`;
  return { metadata: { name, labels: Object.keys(labels).length || r.chance(0.5) ? labels : undefined }, spec, status };
}

export function fleet(r: Rng, n: number): ClusterRegistration[] {
  return Array.from({ length: n }, (_, i) => cluster(r, i));
}

const SELECTOR_EXPRESSIONS = [
  "cluster.metadata.labels['tier'] != 'dev'",
  "cluster.spec.location != 'eu-dc0'",
  "has(cluster.metadata.labels.gpu)",
  'cluster.status.syncedResources.exists(x, x == \'services\')',
  'cluster.metadata.name.startsWith(', // does not compile
  'cluster.spec.nope.deeper == 1', // fails at run time
  "cluster.metadata.labels['tmc.kcp.io/provider'] == 'aws' || cluster.metadata.labels['tier'] == 'prod'",
  "cluster.metadata.name != 'c-0003'",
  "!has(cluster.spec.unschedulable) || cluster.spec.unschedulable == false",
  "cluster.metadata.labels['topology.kubernetes.io/region'] in ['eu', 'us', 'ap']",
];
const RULES = [
  { expression: "cluster.status.syncedResources.exists(r, r == 'deployments.apps')", message: 'needs deployments' },
  { expression: "workload.metadata.name == 'web' || cluster.metadata.labels['tier'] == 'prod'" },
  { expression: 'workload.spec.replicas < 50' },
  { expression: '1 +' },
  { expression: "cluster.metadata.labels['tier'] != 'staging'", message: '' },
];

function labelSelector(r: Rng): LabelSelectorSpec {
  const s: LabelSelectorSpec = {};
  if (r.chance(0.6)) s.matchLabels = r.chance(0.5) ? { tier: r.pick(TIERS) } : { 'tmc.kcp.io/provider': r.pick(PROVIDERS) };
  if (r.chance(0.5)) {
    s.matchExpressions = [r.pick([
      { key: 'tier', operator: 'In' as const, values: ['prod', 'staging'] },
      { key: 'gpu', operator: 'DoesNotExist' as const },
      { key: 'gpu', operator: 'Exists' as const },
      { key: 'topology.kubernetes.io/region', operator: 'NotIn' as const, values: ['sa'] },
      { key: 'bad key!', operator: 'In' as const, values: ['x'] },
    ])];
  }
  return s;
}

function clusterSelector(r: Rng, names: string[]) {
  const s: NonNullable<WorkloadPlacementSpec['clusterSelector']> = {};
  if (r.chance(0.1)) s.clusterNames = r.some(names, 0.3);
  if (r.chance(0.5)) s.labelSelector = labelSelector(r);
  if (r.chance(0.15)) s.locations = r.some(['eu-dc0', 'eu-dc1', 'us-dc0', 'ap-dc2', 'sa-dc3'], 0.5);
  if (r.chance(0.5)) s.expression = r.pick(SELECTOR_EXPRESSIONS);
  return s;
}

function tolerations(r: Rng): Toleration[] {
  return Array.from({ length: r.int(0, 3) }, () => {
    const t: Toleration = {};
    if (r.chance(0.8)) t.key = r.pick(['spot', 'maint', 'gpu', '']);
    if (r.chance(0.6)) t.operator = r.pick(['Exists', 'Equal'] as const);
    if (r.chance(0.4)) t.value = r.pick(['true', 'a']);
    if (r.chance(0.5)) t.effect = r.pick(['NoSchedule', 'NoExecute', 'PreferNoSchedule'] as const);
    if (r.chance(0.3)) t.tolerationSeconds = r.pick([0, 60, 300, 3600]);
    return t;
  });
}

export function placementSpec(r: Rng, names: string[]): WorkloadPlacementSpec {
  const spec: WorkloadPlacementSpec = {};
  if (r.chance(0.7)) spec.clusterSelector = clusterSelector(r, names);
  if (r.chance(0.6)) spec.numberOfClusters = r.int(0, 12);
  if (r.chance(0.4)) {
    spec.spreadConstraints = Array.from({ length: r.int(1, 2) }, () => {
      const sc: NonNullable<WorkloadPlacementSpec['spreadConstraints']>[number] = { topologyKey: r.pick(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'tmc.kcp.io/provider']) };
      if (r.chance(0.6)) sc.maxSkew = r.int(0, 3);
      if (r.chance(0.5)) sc.minGroups = r.int(1, 4);
      if (r.chance(0.3)) sc.maxGroups = r.int(1, 4);
      return sc;
    });
  }
  if (r.chance(0.7)) {
    const type = r.pick(['Duplicated', 'Divided', 'Divided', undefined] as const);
    spec.replicaScheduling = { type };
    if (r.chance(0.3)) spec.replicaScheduling.divisionPreference = r.pick(['Weighted', 'Aggregated'] as const);
    if (r.chance(0.5)) {
      spec.replicaScheduling.weights = r.chance(0.5)
        ? { dynamic: 'AvailableReplicas' }
        : { static: Array.from({ length: r.int(1, 3) }, () => ({ clusterSelector: clusterSelector(r, names), weight: r.int(0, 5) })) };
    }
  }
  if (r.chance(0.5)) spec.tolerations = tolerations(r);
  if (r.chance(0.3)) {
    spec.prioritizers = {
      mode: r.pick(['Additive', 'Exact', undefined] as const),
      configurations: Array.from({ length: r.int(0, 3) }, () => ({
        name: r.pick(['LeastAllocated', 'BalancedAllocation', 'Balance', 'Steady', 'Locality', 'Random', 'TaintToleration', 'RoundRobin', 'LeastLoaded', 'LocationAware', 'Balanced', 'Nope']),
        weight: r.chance(0.7) ? r.int(0, 5) : undefined,
      })),
    };
  }
  if (r.chance(0.2)) spec.rules = r.some(RULES, 0.4);
  if (r.chance(0.3)) spec.failover = { tolerationSeconds: r.chance(0.7) ? r.pick([0, 60, 300, 3600]) : undefined, purgeMode: r.pick(['Graceful', 'Immediately', 'Never', undefined] as const) };
  if (r.chance(0.1)) spec.workloadSelector = r.chance(0.5) ? { names: ['web', 'api'] } : { workloadTypes: [{ group: 'apps', kind: 'StatefulSet' }] };
  return spec;
}

export function workload(r: Rng): Workload {
  const kind = r.pick(['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'Service', 'ConfigMap', 'Job']);
  const apiVersion = kind === 'Service' || kind === 'ConfigMap' ? 'v1' : kind === 'Job' ? 'batch/v1' : 'apps/v1';
  const w: Workload = { apiVersion, kind, metadata: { name: r.pick(['web', 'api', 'db']), namespace: 'default', uid: r.chance(0.8) ? `uid-${r.int(0, 5)}` : undefined } };
  if (kind === 'Service' || kind === 'ConfigMap') return w;
  const req = () => (r.chance(0.8) ? { requests: { cpu: r.pick(['100m', '500m', '1', '2', '4', undefined]), memory: r.pick(['128Mi', '1Gi', '4Gi', undefined]) } } : undefined);
  w.spec = {
    ...(r.chance(0.85) ? { replicas: r.pick([0, 1, 3, 7, 20, 60]) } : {}),
    template: { spec: { containers: Array.from({ length: r.int(1, 2) }, (_, k) => ({ name: `c${k}`, resources: req() })), ...(r.chance(0.2) ? { initContainers: [{ name: 'init', resources: req() }] } : {}) } },
  };
  return w;
}

/** One engine input over `clusters`; the caller supplies the CEL compiler. */
export function scheduleInput(r: Rng, clusters: ClusterRegistration[]): Omit<ScheduleInput, 'options'> & { options: NonNullable<ScheduleInput['options']> } {
  const names = clusters.map((c) => c.metadata.name);
  const prev = r.chance(0.5) ? r.some(names, 3 / Math.max(3, names.length)) : [];
  if (r.chance(0.1)) prev.push('gone-cluster');
  return {
    placement: { metadata: { name: 'p', namespace: 'default', uid: 'p-uid' }, spec: placementSpec(r, names) },
    workload: workload(r),
    clusters,
    previous: prev.length || r.chance(0.5) ? { clusters: prev.map((clusterName) => (r.chance(0.7) ? { clusterName, replicas: r.int(0, 10) } : { clusterName })) } : undefined,
    now: r.pick([CORPUS_NOW, new Date(CORPUS_NOW), new Date(CORPUS_NOW).toISOString()]),
    placementCounts: r.chance(0.6) ? Object.fromEntries(r.some(names, 0.5).map((n) => [n, r.int(0, 9)])) : undefined,
    options: {
      ...(r.chance(0.2) ? { preferredLocations: r.some(['eu-dc0', 'us', 'ap-dc1'], 0.5) } : {}),
      ...(r.chance(0.2) ? { randomSeed: `seed-${r.int(0, 3)}` } : {}),
      ...(r.chance(0.1) ? { workloadResource: r.pick(RESOURCES) } : {}),
    },
  };
}
