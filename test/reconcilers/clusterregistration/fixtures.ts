/** Shared fixtures for the ClusterRegistration tests: registrations, a healthy probe, deps with a fake clock. */
import type { ClusterRegistration } from '../../../src/apis/tmc/index.js';
import type { ClusterFacts, ProbeResult } from '../../../src/reconcilers/clusterregistration/cluster-probe.js';
import type { ReconcileDeps } from '../../../src/reconcilers/clusterregistration/clusterregistration-reconcile.js';
import { FakeClock } from '../../../src/client/testing/fake-clock.js';

export const WORKSPACE = 'root:clusters';
export const T0 = Date.parse('2026-01-01T00:00:00Z');

export function registration(overrides: Partial<ClusterRegistration['spec']> = {}, status?: ClusterRegistration['status']): ClusterRegistration {
  return {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration',
    metadata: {
      name: 'prod-eu', uid: 'uid-1', generation: 1, resourceVersion: '10',
      creationTimestamp: new Date(T0).toISOString(), annotations: { 'kcp.io/cluster': WORKSPACE },
    },
    spec: { syncMode: 'Push', clusterEndpoint: { serverURL: 'https://10.0.0.1:6443', secretRef: { name: 'prod-eu' } }, ...overrides },
    ...(status ? { status } : {}),
  };
}

export const FACTS: ClusterFacts = {
  kubernetesVersion: 'v1.32.0',
  nodeCount: 3,
  capacity: { cpu: '12', memory: '48Gi', pods: '330' },
  allocatable: { cpu: '11', memory: '45Gi', pods: '330' },
  allocated: { cpu: '500m', memory: '256Mi', pods: '2' },
  apiResources: [
    { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true },
    { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
    { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
    { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
    { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
    { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
    { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  ],
};

export const HEALTHY: ProbeResult = { kind: 'healthy', facts: FACTS };

/** Deps whose probe answers whatever `next` holds, on a fake clock; records probe calls. */
export function deps(clock = new FakeClock(T0)) {
  const state = { next: HEALTHY as ProbeResult, probes: 0 };
  const d: ReconcileDeps = {
    now: () => clock.now(),
    heartbeatIntervalMs: 10_000,
    heartbeatThresholdMs: 40_000,
    serverURL: () => 'https://tmc.example:6443',
    probe: async () => { state.probes++; return state.next; },
  };
  return { clock, state, d };
}

export function cond(r: ClusterRegistration, type: string) {
  return r.status?.conditions?.find((c) => c.type === type);
}
