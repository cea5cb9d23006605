import t from 'tap';
import { ResourceCatalog } from '../../src/registry/catalog.js';
import { builtinResourceDefs } from '../../src/registry/builtin/index.js';
import type { ResourceDef } from '../../src/registry/types.js';

t.test('clusters serving only the built-ins share one index; one with resources of its own has its own while it has them', async (t) => {
  const builtins = builtinResourceDefs();
  const widget: ResourceDef = { ...builtins[0], group: 'example.com', resource: 'widgets', kind: 'Widget' };
  let added: Record<string, ResourceDef[]> = { crd: [widget] };
  let gen = 0;
  const catalog = new ResourceCatalog(builtins, [{ defsFor: (c) => added[c] ?? [], generation: () => gen }]);

  const shared = catalog.all('a');
  t.ok(catalog.all('b') === shared, 'two empty clusters: the same list');
  t.equal(catalog.indexedClusters(), 0, 'no index of their own');
  t.ok(catalog.resolve('a', builtins[0].group, builtins[0].version, builtins[0].resource), 'built-ins resolve');
  t.equal(catalog.resolve('a', 'example.com', widget.version, 'widgets'), undefined, 'another cluster\'s resource does not');

  t.ok(catalog.resolve('crd', 'example.com', widget.version, 'widgets'), 'the cluster with a CRD serves it');
  t.equal(catalog.all('crd').length, shared.length + 1);
  t.equal(catalog.indexedClusters(), 1, 'and has an index of its own');

  added = {};
  gen++;
  t.equal(catalog.resolve('crd', 'example.com', widget.version, 'widgets'), undefined, 'its CRD gone, it no longer serves it');
  t.ok(catalog.all('crd') === shared, 'it shares the built-ins\' list again');
  t.equal(catalog.indexedClusters(), 0, 'and its own index is dropped');
});
