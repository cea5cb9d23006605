import t from 'tap';
import { MemoryStore } from '../../src/storage/memory.js';
import type { KubeObject } from '../../src/storage/types.js';
import type { APIBindings } from '../../src/tenancy/apis/api-bindings.js';
import { bindingsBy, listWorkspaceTree } from '../../src/virtual/discovery.js';

async function tree() {
  const store = new MemoryStore();
  const ws = async (parent: string, name: string) => store.create({ cluster: parent, resource: 'tenancy.kcp.io/workspaces', namespace: '', name },
    { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name, annotations: { 'kcp.io/cluster': parent } }, spec: { type: { name: 'universal' } }, status: { phase: 'Ready' } } as KubeObject);
  await ws('root', 'org');
  await ws('root:org', 'team');
  await ws('root', 'other');
  await ws('elsewhere', 'orphan'); // not under root: never listed from root
  await store.create({ cluster: 'root:org:team', resource: 'rbac.authorization.k8s.io/rolebindings', namespace: 'default', name: 'rb' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'default', annotations: { 'kcp.io/cluster': 'root:org:team' } }, subjects: [{ kind: 'User', name: 'alice' }] } as KubeObject);
  await store.create({ cluster: 'root:other', resource: 'rbac.authorization.k8s.io/clusterrolebindings', namespace: '', name: 'crb' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'crb', annotations: { 'kcp.io/cluster': 'root:other' } }, subjects: [{ kind: 'Group', name: 'devs' }] } as KubeObject);
  return store;
}

t.test('masters see the whole tree under root', async (t) => {
  const ws = await listWorkspaceTree(await tree(), { name: 'admin', groups: ['system:masters'] });
  t.same(ws.map((w) => w.path), ['root', 'root:org', 'root:org:team', 'root:other']);
  t.same(ws.find((w) => w.path === 'root:org:team'), { path: 'root:org:team', parent: 'root:org', type: 'universal', phase: 'Ready' });
  t.same((await listWorkspaceTree(await tree(), { name: 'admin', groups: ['system:masters'] }, 'root:org')).map((w) => w.path), ['root:org', 'root:org:team']);
});

t.test('others see workspaces whose bindings name them or their groups', async (t) => {
  const store = await tree();
  t.same((await listWorkspaceTree(store, { name: 'alice', groups: ['system:authenticated'] })).map((w) => w.path), ['root:org:team']);
  t.same((await listWorkspaceTree(store, { name: 'bob', groups: ['devs'] })).map((w) => w.path), ['root:other']);
  t.same(await listWorkspaceTree(store, { name: 'eve', groups: [] }), []);
});

t.test('bindingsBy groups the binding table by export', async (t) => {
  const fake = { bindingTable: () => [
    { cluster: 'root:c2', binding: 'kubernetes', exportCluster: 'root:compute', exportName: 'kubernetes' },
    { cluster: 'root:c1', binding: 'tmc', exportCluster: 'root:tmc', exportName: 'tmc.kcp.io' },
    { cluster: 'root:c1', binding: 'kubernetes', exportCluster: 'root:compute', exportName: 'kubernetes' },
  ] } as unknown as APIBindings;
  t.same(bindingsBy(fake), [
    { export: 'root:compute:kubernetes', exportCluster: 'root:compute', exportName: 'kubernetes', boundIn: [{ cluster: 'root:c1', binding: 'kubernetes' }, { cluster: 'root:c2', binding: 'kubernetes' }] },
    { export: 'root:tmc:tmc.kcp.io', exportCluster: 'root:tmc', exportName: 'tmc.kcp.io', boundIn: [{ cluster: 'root:c1', binding: 'tmc' }] },
  ]);
});
