import t from 'tap';
import { applyCapacityOverride, sumAllocated, sumNodes } from '../../../src/reconcilers/clusterregistration/resource-sums.js';

const node = (name: string, capacity: Record<string, string>, allocatable?: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity, ...(allocatable ? { allocatable } : {}) } });

t.test('node capacity and allocatable are summed exactly per resource', async (t) => {
  const sums = sumNodes([
    node('a', { cpu: '4', memory: '16Gi', pods: '110' }, { cpu: '3500m', memory: '15Gi', pods: '110' }),
    node('b', { cpu: '4', memory: '16Gi', pods: '110', 'nvidia.com/gpu': '2' }),
    node('c', { cpu: 'not-a-quantity', memory: '512Mi', pods: '110' }),
  ]);
  t.equal(sums.nodeCount, 3);
  t.same(sums.capacity, { cpu: '8', memory: '33280Mi', 'nvidia.com/gpu': '2', pods: '330' });
  t.same(sums.allocatable, { cpu: '7500m', memory: '32256Mi', 'nvidia.com/gpu': '2', pods: '330' }, 'allocatable falls back to capacity');
  t.same(sumNodes([]), { nodeCount: 0, capacity: {}, allocatable: {} });
});

t.test('allocated = per-pod request × replicas, with init containers and limit fallback', async (t) => {
  const deployment = (replicas: number | undefined, containers: unknown[], initContainers: unknown[] = []) =>
    ({ metadata: { name: 'd' }, spec: { ...(replicas === undefined ? {} : { replicas }), template: { spec: { containers, initContainers } } } });
  const allocated = sumAllocated([
    deployment(3, [{ resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { resources: { requests: { cpu: '50m' } } }]),
    // init container larger than the sum of containers wins for cpu
    deployment(2, [{ resources: { requests: { cpu: '100m', memory: '128Mi' } } }], [{ resources: { requests: { cpu: '1' } } }]),
    // limits only: request = limit
    deployment(undefined, [{ resources: { limits: { cpu: '250m', memory: '1Gi' } } }]),
    deployment(0, [{ resources: { requests: { cpu: '8' } } }]),
  ]);
  // cpu: 3×150m + 2×1000m + 250m = 2700m; memory: 3×64Mi + 2×128Mi + 1Gi = 1472Mi; pods: 3+2+1
  t.same(allocated, { cpu: '2700m', memory: '1472Mi', pods: '6' });
});

t.test('spec.capacity overrides replace reported values', async (t) => {
  t.same(applyCapacityOverride({ cpu: '8', memory: '32Gi' }, { cpu: '4', pods: 10 }), { cpu: '4', memory: '32Gi', pods: '10' });
  t.same(applyCapacityOverride({ cpu: '8' }, undefined), { cpu: '8' });
});
