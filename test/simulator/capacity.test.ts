import t from 'tap';
import { nodeView, pack, podRequest, type NodeView } from '../../src/simulator/capacity.js';
import { nodeObject, nodeStatus } from '../../src/simulator/nodes.js';

const opts = { nodes: 2, nodeCpu: '2', nodeMemory: '4Gi', nodePods: 110, readyDelayMs: 0, refuseWrites: [] };
function nodes(n: number): NodeView[] {
  return Array.from({ length: n }, (_, i) => nodeView({ ...nodeObject(i + 1), status: nodeStatus(i + 1, opts, new Date()) })!);
}
const demand = (key: string, count: number, cpu: string, extra = {}) =>
  ({ key, count, request: podRequest({ containers: [{ resources: { requests: { cpu, memory: '1Mi' } } }] }), nodeSelector: {}, tolerations: [], ...extra });

t.test('podRequest: sums containers, falls back to limits then defaults, init containers take the max', async (t) => {
  t.same(podRequest({ containers: [{}] }), { cpuMilli: 100, memory: 128 * 1024 * 1024, pods: 1 });
  t.same(podRequest({ containers: [{ resources: { requests: { cpu: '250m', memory: '1Gi' } } }, { resources: { limits: { cpu: '1' } } }] }),
    { cpuMilli: 1250, memory: 1024 ** 3 + 128 * 1024 ** 2, pods: 1 });
  t.equal(podRequest({ containers: [{ resources: { requests: { cpu: '100m' } } }], initContainers: [{ resources: { requests: { cpu: '3' } } }] }).cpuMilli, 3000);
});

t.test('nodeView reads allocatable and skips cordoned or NotReady nodes', async (t) => {
  const [v] = nodes(1);
  t.same(v.allocatable, { cpuMilli: 2000, memory: 4 * 1024 ** 3, pods: 110 });
  const cordoned = { ...nodeObject(1), spec: { unschedulable: true }, status: nodeStatus(1, opts, new Date()) };
  t.equal(nodeView(cordoned), undefined);
  const st = nodeStatus(1, opts, new Date()) as any;
  st.conditions = st.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'False' } : c));
  t.equal(nodeView({ ...nodeObject(1), status: st }), undefined);
});

t.test('pack: what fits is placed, in order, the rest stays unscheduled', async (t) => {
  const p = pack(nodes(2), [demand('a', 3, '500m'), demand('b', 10, '1'), demand('c', 1, '100m')]);
  t.equal(p.placed.get('a'), 3); // 1.5 cpu of 4
  t.equal(p.placed.get('b'), 2); // 2.5 cpu left, but split 1 + 1.5 over the two nodes: two 1-cpu pods fit
  t.equal(p.placed.get('c'), 1);
  t.equal(pack(nodes(2), [demand('x', 10, '1')]).placed.get('x'), 4, '10 × 1 cpu on 2 × 2 cpu nodes: 4 fit');
});

t.test('pack: pod count limits and per-node (DaemonSet) demands', async (t) => {
  const few = nodes(2).map((n) => ({ ...n, allocatable: { ...n.allocatable, pods: 2 } }));
  const p = pack(few, [{ ...demand('ds', 0, '10m'), perNode: true }, demand('d', 5, '10m')]);
  t.equal(p.placed.get('ds'), 2);
  t.equal(p.eligible.get('ds'), 2);
  t.equal(p.placed.get('d'), 2, 'one pod slot left per node');
});

t.test('pack: nodeSelector and taints restrict nodes; tolerations lift taints', async (t) => {
  const ns = nodes(3);
  ns[0].taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
  const zoneA = pack(ns, [{ ...demand('z', 0, '10m'), perNode: true, nodeSelector: { 'topology.kubernetes.io/zone': 'sim-a' } }]);
  t.equal(zoneA.eligible.get('z'), 0, 'the only sim-a node is tainted');
  const tol = pack(ns, [{ ...demand('z', 0, '10m'), perNode: true, tolerations: [{ key: 'dedicated', operator: 'Exists' }] }]);
  t.equal(tol.eligible.get('z'), 3);
  t.equal(pack(ns, [{ ...demand('z', 0, '10m'), perNode: true }]).eligible.get('z'), 2);
});
