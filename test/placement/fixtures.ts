/**
 * Fixtures for placement tests: terse builders for clusters and workloads, and a real CEL
 * compiler on @marcbachmann/cel-js (the engine takes CEL as an injected dependency).
 */
import { Environment } from '@marcbachmann/cel-js';
import type { CelCompiler, ClusterRegistration, Decision, FilterVerdict, Taint, Workload, WorkloadPlacementSpec } from '../../src/placement/types.js';
import type { ScheduleInput } from '../../src/placement/schedule-input.js';
import { schedule } from '../../src/placement/index.js';

const env = new Environment({ unlistedVariablesAreDyn: true });

export const celCompiler: CelCompiler = (expression) => {
  try {
    const program = env.parse(expression);
    return (vars) => {
      const r = program(vars);
      return typeof r === 'boolean' ? r : { error: `expected bool, got ${typeof r}` };
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

export const NOW = Date.parse('2026-01-01T12:00:00Z');
export const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

export interface ClusterOpts {
  labels?: Record<string, string>;
  location?: string;
  ready?: boolean;
  readySince?: string;
  taints?: Taint[];
  unschedulable?: boolean;
  evictAfter?: string;
  allocatable?: { cpu?: string; memory?: string; pods?: string };
  allocated?: { cpu?: string; memory?: string; pods?: string };
  synced?: string[];
}

export function cluster(name: string, o: ClusterOpts = {}): ClusterRegistration {
  return {
    metadata: { name, labels: o.labels },
    spec: { location: o.location, taints: o.taints, unschedulable: o.unschedulable, evictAfter: o.evictAfter },
    status: {
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: o.readySince ?? ago(3600) }],
      allocatable: o.allocatable ?? { cpu: '16', memory: '64Gi', pods: '110' },
      allocated: o.allocated ?? { cpu: '0', memory: '0', pods: '0' },
      syncedResources: o.synced,
      clusterKey: `key-${name}`,
    },
  };
}

export function deployment(replicas: number, cpu = '1', memory = '1Gi', extra: Partial<Workload['metadata']> = {}): Workload {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', ...extra },
    spec: { replicas, template: { spec: { containers: [{ name: 'main', resources: { requests: { cpu, memory } } }] } } },
  };
}

export function run(spec: WorkloadPlacementSpec, clusters: ClusterRegistration[], more: Partial<ScheduleInput> = {}) {
  return schedule({ placement: { spec }, workload: deployment(3), clusters, now: NOW, options: { celCompiler }, ...more });
}

/** clusterName → replicas of a decision, for compact assertions. */
export function split(d: { clusters: Array<{ clusterName: string; replicas?: number }> }): Record<string, number | undefined> {
  return Object.fromEntries(d.clusters.map((c) => [c.clusterName, c.replicas]));
}

export function verdict(d: Decision, cluster: string, plugin: string): FilterVerdict | undefined {
  return d.candidates.find((c) => c.clusterName === cluster)?.filters.find((f) => f.plugin === plugin);
}
