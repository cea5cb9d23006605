import t from 'tap';
import { PlacementPlugin, type PlacementSource } from '../../../src/admission/placement/index.js';
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
