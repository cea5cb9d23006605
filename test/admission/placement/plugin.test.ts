import t from 'tap';
import { PlacementPlugin, type PlacementSource } from '../../../src/admission/placement/index.js';
import { divideReplicas } from '../../../src/admission/placement/plugin.js';
import { clusterKey } from '../../../src/apis/contract.js';
import type { WorkloadPlacement } from '../../../src/apis/tmc/v1alpha1.js';
import type { AdmissionAttributes } from '../../../src/registry/hooks.js';
import type { ResourceDef } from '../../../src/registry/types.js';

const deploymentDef = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true } as ResourceDef;
const placement = (name: string, spec: WorkloadPlacement['spec'], decisions?: WorkloadPlacement['status'] extends infer S ? S extends { decisions?: infer D } ? D : never : never): WorkloadPlacement =>
  ({ apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name, namespace: 'ns' }, spec, ...(decisions ? { status: { decisions } } : {}) }) as WorkloadPlacement;

function fake(list: WorkloadPlacement[]): PlacementSource {
  return { placements: (cluster, ns) => (cluster === 'root:org' && ns === 'ns' ? list : []) };
}
function attrs(obj: Record<string, any>, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return { def: deploymentDef, operation: 'CREATE', cluster: 'root:org', namespace: 'ns', name: obj.metadata.name, subresource: '',
    object: obj as never, oldObject: undefined, user: { name: 'u', groups: [] }, dryRun: false, warnings: [], ...over };
}
const deploy = (labels: Record<string, string> = { app: 'web' }) =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns', labels }, spec: { replicas: 5 } });

t.test('sets state labels, placement annotation and replica spec-diffs for a Divided placement', async (t) => {
  const p = placement('spread', { workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }], labelSelector: { matchLabels: { app: 'web' } } },
    replicaScheduling: { type: 'Divided' } } as never, [{ clusterName: 'east', replicas: 3 }, { clusterName: 'west', replicas: 2 }] as never);
  const a = attrs(deploy());
  await new PlacementPlugin(fake([p])).mutate(a);
  const east = clusterKey('root:org', 'east');
  const west = clusterKey('root:org', 'west');
  t.equal(a.object!.metadata.labels![`state.tmc.kcp.io/${east}`], 'Sync');
  t.equal(a.object!.metadata.labels![`state.tmc.kcp.io/${west}`], 'Sync');
  t.same(a.object!.metadata.finalizers, [`tmc.kcp.io/syncer-${east}`, `tmc.kcp.io/syncer-${west}`], 'each syncer finalizer comes with its label');
  t.equal(a.object!.metadata.annotations!['tmc.kcp.io/placement'], 'ns/spread');
  t.same(JSON.parse(a.object!.metadata.annotations![`spec-diff.tmc.kcp.io/${east}`]), [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
  t.same(JSON.parse(a.object!.metadata.annotations![`spec-diff.tmc.kcp.io/${west}`]), [{ op: 'replace', path: '/spec/replicas', value: 2 }]);
});

t.test('leaves objects alone when not selected, unscheduled, or already placed', async (t) => {
  const dup = placement('dup', { workloadSelector: { names: ['web'] }, locationWorkspace: 'root:loc' } as never, [{ clusterName: 'east', replicas: 5 }] as never);
  const plugin = new PlacementPlugin(fake([
    placement('other-kind', { workloadSelector: { workloadTypes: [{ group: '', kind: 'Service' }] } } as never, [{ clusterName: 'x' }] as never),
    placement('pending', { workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }] }, priority: 10 } as never),
  ]));
  const a = attrs(deploy());
  await plugin.mutate(a);
  t.same(a.object!.metadata.labels, { app: 'web' }, 'pending placement (no decisions) and other kinds do nothing');

  const duplicated = new PlacementPlugin(fake([dup]));
  const b = attrs(deploy());
  await duplicated.mutate(b);
  t.equal(b.object!.metadata.labels![`state.tmc.kcp.io/${clusterKey('root:loc', 'east')}`], 'Sync', 'locationWorkspace keys the cluster');
  t.notOk(Object.keys(b.object!.metadata.annotations ?? {}).some((k) => k.startsWith('spec-diff')), 'Duplicated: no replica diff');

  const c = attrs(deploy({ app: 'web', 'state.tmc.kcp.io/abc': 'Pending' }));
  await duplicated.mutate(c);
  t.same(c.object!.metadata.labels, { app: 'web', 'state.tmc.kcp.io/abc': 'Pending' }, 'controller-owned labels win');
  t.notOk(c.object!.metadata.annotations);

  const d = attrs(deploy(), { subresource: 'status' });
  await duplicated.mutate(d);
  t.same(d.object!.metadata.labels, { app: 'web' }, 'status writes are not placed');
  const e = attrs(deploy(), { cluster: 'root:elsewhere' });
  await duplicated.mutate(e);
  t.same(e.object!.metadata.labels, { app: 'web' }, 'placements are per workspace');
});

t.test('Divided: decisions sum every workload, so this workload is divided in their proportion', async (t) => {
  // the placement already holds workloads totalling 8 on east and 4 on west; a new 3-replica one
  const p = placement('spread', { workloadSelector: {}, replicaScheduling: { type: 'Divided' } } as never,
    [{ clusterName: 'east', replicas: 8 }, { clusterName: 'west', replicas: 4 }] as never);
  const a = attrs({ ...deploy(), spec: { replicas: 3 } });
  await new PlacementPlugin(fake([p])).mutate(a);
  const diff = (c: string) => JSON.parse(a.object!.metadata.annotations![`spec-diff.tmc.kcp.io/${clusterKey('root:org', c)}`])[0].value;
  t.same([diff('east'), diff('west')], [2, 1], 'not 8 and 4');
});

t.test('divideReplicas', async (t) => {
  const rows: Array<[number, number[], number[]]> = [
    [5, [3, 2], [3, 2]], [3, [8, 4], [2, 1]], [10, [1, 1, 1], [4, 3, 3]], [2, [0, 0], [1, 1]],
    [0, [1, 2], [0, 0]], [7, [0, 5], [0, 7]], [1, [1, 1], [1, 0]], [4, [], []], [9, [2, 3, 5], [2, 3, 4]],
  ];
  for (const [total, w, want] of rows) {
    const got = divideReplicas(total, w);
    t.same(got, want, `${total} by ${JSON.stringify(w)}`);
    t.equal(got.reduce((a, b) => a + b, 0), w.length ? total : 0, 'parts sum to the total');
  }
});
