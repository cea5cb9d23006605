import t from 'tap';
import { IncrementalPacker, demandSignature, nodeSignature, nodeView, pack, podRequest, type Demand, type NodeView } from '../../src/simulator/capacity.js';
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

t.test('IncrementalPacker: always what pack() answers, over a seeded random run of appends, scales, deletions and node changes', async (t) => {
  let seed = 7;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const packer = new IncrementalPacker();
  let ns = nodes(3);
  let ds: Demand[] = [];
  let next = 0;
  let reused = 0;
  for (let step = 0; step < 400; step++) {
    const r = rand(10);
    if (r < 6 || ds.length === 0) {
      // a burst: new workloads come last
      for (let i = rand(4); i >= 0; i--) {
        ds.push(demand(`w${next++}`, rand(4), ['100m', '300m', '700m'][rand(3)], rand(5) === 0 ? { nodeSelector: { 'topology.kubernetes.io/zone': 'sim-a' } } : {}));
      }
    } else if (r === 6) {
      const i = rand(ds.length);
      ds = ds.map((d, j) => (j === i ? { ...d, count: d.count + 1 } : d));
    } else if (r === 7) {
      ds = ds.filter((_, j) => j !== rand(ds.length));
    } else if (r === 8) {
      ns = nodes(2 + rand(3));
    } else {
      // nothing changed (a pass woken by a status write)
    }
    const before = ds.length;
    const got = packer.pack(ns, ns.map(nodeSignature), ds, ds.map(demandSignature));
    const want = pack(ns, ds);
    if (r < 6 && step > 0) reused++;
    t.same([...got.placed], [...want.placed], `placed, step ${step}`);
    t.same([...got.eligible], [...want.eligible], `eligible, step ${step}`);
    t.equal(ds.length, before);
  }
  t.ok(reused > 100, 'the run exercised the append path');
});

t.test('IncrementalPacker: a demand changed inside the prefix is packed from scratch', async (t) => {
  const packer = new IncrementalPacker();
  const ns = nodes(1);
  const a = [demand('a', 3, '500m'), demand('b', 3, '500m')];
  t.equal(packer.pack(ns, ns.map(nodeSignature), a, a.map(demandSignature)).placed.get('b'), 1, '2 cpu: 3 + 1');
  const b = [demand('a', 1, '500m'), demand('b', 3, '500m'), demand('c', 1, '500m')];
  const p = packer.pack(ns, ns.map(nodeSignature), b, b.map(demandSignature));
  t.same([p.placed.get('a'), p.placed.get('b'), p.placed.get('c')], [1, 3, 0]);
});
