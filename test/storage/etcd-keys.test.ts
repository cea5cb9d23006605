import t from 'tap';
import { etcdKey, etcdPrefix, parseEtcdKey, prefixEnd } from '../../src/storage/etcd-keys.js';
import type { ObjectKey } from '../../src/storage/types.js';

t.test('keys round-trip for core, dotless and dotted groups, namespaced or not', async (t) => {
  const keys: ObjectKey[] = [
    { cluster: 'root:org', resource: 'configmaps', namespace: 'default', name: 'a' },
    { cluster: 'root:org', resource: 'namespaces', namespace: '', name: 'default' },
    { cluster: 'root', resource: 'apps/deployments', namespace: 'ns', name: 'web' },
    { cluster: 'root', resource: 'tmc.kcp.io/clusterregistrations', namespace: '', name: 'east' },
    { cluster: 'root', resource: 'rbac.authorization.k8s.io/roles', namespace: 'ns', name: 'r' },
  ];
  for (const k of keys) t.same(parseEtcdKey('/registry', etcdKey('/registry', k)), k, etcdKey('/registry', k));
  t.equal(etcdKey('/registry', keys[2]), '/registry/apps/deployments/root/ns/web');
  t.equal(etcdKey('/registry', keys[0]), '/registry/configmaps/root:org/default/a');
  t.equal(parseEtcdKey('/registry', '/other/configmaps/c/n'), undefined);
  t.equal(parseEtcdKey('/registry', '/registry/configmaps'), undefined);
});

t.test('prefixes', async (t) => {
  t.equal(etcdPrefix('/registry', { cluster: '*', resource: 'configmaps', namespace: 'x' }), '/registry/configmaps/');
  t.equal(etcdPrefix('/registry', { cluster: 'root', resource: 'configmaps', namespace: 'x' }), '/registry/configmaps/root/x/');
  t.equal(etcdPrefix('/registry', { cluster: 'root', resource: 'configmaps' }), '/registry/configmaps/root/');
  t.equal(prefixEnd('/registry/configmaps/'), '/registry/configmaps0');
});
