/**
 * The APIExport/APIBinding controller over a real store and generic store, no server: an export
 * change enqueues only its own bindings (the export → bindings index) and one naming a new schema
 * serves it there, a failed status write is
 * retried through the rate-limited queue, and a deleted binding stops serving and frees its names
 * for another binding of the workspace.
 */
import t, { type Test } from 'tap';
import { silentLogger } from '../../../src/observability/logger.js';
import { serverModeDefs } from '../../../src/registry/builtin-sets.js';
import { GenericStore, type RequestScope } from '../../../src/registry/generic-store.js';
import type { ResourceDef } from '../../../src/registry/types.js';
import { StoreInformers } from '../../../src/storage/informers.js';
import { MemoryStore } from '../../../src/storage/memory.js';
import type { KubeObject } from '../../../src/storage/types.js';
import { APIBindings } from '../../../src/tenancy/apis/api-bindings.js';
import { waitFor } from '../../helpers/wait.js';

const defs = serverModeDefs();
const def = (resource: string) => defs.find((d) => d.resource === resource) as ResourceDef;
const scope = (cluster: string, namespace = ''): RequestScope =>
  ({ cluster, namespace, user: { name: 'admin', groups: ['system:masters'] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] });

function schema(group: string): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIResourceSchema', metadata: { name: `v1.widgets.${group}` },
    spec: { group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }] },
  };
}
const anExport = (name: string, group: string): KubeObject =>
  ({ apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExport', metadata: { name }, spec: { latestResourceSchemas: [`v1.widgets.${group}`] } });
const aBinding = (name: string, exportName: string): KubeObject =>
  ({ apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name }, spec: { reference: { export: { path: 'root:provider', name: exportName } } } });

async function setup(t: Test, opts: { failStatusWrites?: number } = {}) {
  const store = new MemoryStore();
  let failures = opts.failStatusWrites ?? 0;
  const generic = new GenericStore({ store, annotateCluster: true });
  const flaky = Object.create(generic) as GenericStore;
  flaky.patch = async (...args: Parameters<GenericStore['patch']>) => {
    if (args[1].resource === 'apibindings' && failures > 0) { failures--; throw new Error('injected status write failure'); }
    return generic.patch(...args);
  };
  const informers = new StoreInformers(store, { defaultCluster: 'root' });
  const processed: Array<{ controller: string; key: string; outcome: string }> = [];
  const bindings = new APIBindings({
    store, informers, generic: flaky, log: silentLogger(),
    crdDefs: () => [], resolveDef: (_c, g, _v, r) => defs.find((d) => d.group === g && d.resource === r),
    externalURL: () => 'https://tmc.test',
    onOutcome: (e) => processed.push({ controller: e.controller, key: e.key, outcome: e.outcome }),
  });
  t.teardown(async () => { await bindings.stop(); informers.stop(); });
  for (const g of ['a.example.com', 'b.example.com']) await generic.create(scope('root:provider'), def('apiresourceschemas'), schema(g));
  await generic.create(scope('root:provider'), def('apiexports'), anExport('a', 'a.example.com'));
  await generic.create(scope('root:provider'), def('apiexports'), anExport('b', 'b.example.com'));
  await generic.create(scope('root:c1'), def('apibindings'), aBinding('to-a', 'a'));
  await generic.create(scope('root:c2'), def('apibindings'), aBinding('to-b', 'b'));
  await bindings.start();
  return { store, generic, bindings, processed };
}

t.test('an export change enqueues only the bindings of that export', async (t) => {
  const { generic, bindings, processed } = await setup(t);
  t.same(bindings.defsFor('root:c1').map((d) => d.group), ['a.example.com']);
  t.same(bindings.defsFor('root:c2').map((d) => d.group), ['b.example.com']);
  processed.length = 0;
  const live = await generic.get(scope('root:provider'), def('apiexports'), 'a');
  await generic.update(scope('root:provider'), def('apiexports'), 'a', { ...live, metadata: { ...live.metadata, labels: { touched: 'yes' } } }, '');
  await bindings.settle();
  t.same(processed.filter((p) => p.controller === 'apibindings').map((p) => p.key), ['root:c1|to-a'], 'only export a\'s binding');
  t.same(processed.filter((p) => p.controller === 'apiexports').map((p) => p.key), ['root:provider|a']);
});

t.test('an export pointed at a new schema serves it in its bindings at once, no restart', async (t) => {
  // how an upgrade lands: schemas are immutable, so the new one has a new name and the export's
  // latestResourceSchemas changes to it; the binding must follow that export change alone
  const { generic, bindings } = await setup(t);
  const next = schema('a.example.com');
  next.metadata.name = 'v2.widgets.a.example.com';
  next.spec!.versions[0].name = 'v2';
  await generic.create(scope('root:provider'), def('apiresourceschemas'), next);
  const live = await generic.get(scope('root:provider'), def('apiexports'), 'a');
  await generic.update(scope('root:provider'), def('apiexports'), 'a', { ...live, spec: { ...live.spec, latestResourceSchemas: ['v2.widgets.a.example.com'] } }, '');
  await bindings.settle();
  t.same(bindings.defsFor('root:c1').map((d) => `${d.group}/${d.version}`), ['a.example.com/v2'], 'the new schema is served');
  const bound = await generic.get(scope('root:c1'), def('apibindings'), 'to-a');
  t.same(bound.status?.boundResources.map((r: { schema: { name: string } }) => r.schema.name), ['v2.widgets.a.example.com']);
});

t.test('a failed status write is retried with backoff until it lands', async (t) => {
  const { generic, bindings, processed } = await setup(t, { failStatusWrites: 2 });
  const b = await waitFor('the binding Bound in the store', async () => {
    const found = await generic.get(scope('root:c1'), def('apibindings'), 'to-a');
    return found.status?.phase === 'Bound' && found;
  }, { timeoutMs: 10_000, everyMs: 20 });
  t.equal(b.status?.phase, 'Bound', 'the binding is Bound in the store after the retries');
  t.ok(processed.filter((p) => p.outcome === 'error').length >= 2, 'the failures were reconcile errors (rate-limited retries)');
  t.same(bindings.defsFor('root:c1').map((d) => d.group), ['a.example.com']);
});

t.test('a deleted binding stops serving; a binding that clashed with it is served then', async (t) => {
  const { generic, bindings } = await setup(t);
  // a second binding in root:c1 to an export of the same group/resource clashes with to-a
  await generic.create(scope('root:provider'), def('apiexports'), anExport('a2', 'a.example.com'));
  await generic.create(scope('root:c1'), def('apibindings'), aBinding('to-a2', 'a2'));
  await bindings.settle();
  const clashing = await generic.get(scope('root:c1'), def('apibindings'), 'to-a2');
  t.match(clashing.status?.conditions?.find((c: { type: string }) => c.type === 'Ready'), { status: 'False', reason: 'NamingConflict' });
  t.same(bindings.bindingTable().filter((r) => r.cluster === 'root:c1').map((r) => r.binding), ['to-a']);

  await generic.delete(scope('root:c1'), def('apibindings'), 'to-a', {});
  await bindings.settle();
  t.same(bindings.bindingTable().filter((r) => r.cluster === 'root:c1').map((r) => r.binding), ['to-a2'], 'the freed names went to to-a2');
  const served = await generic.get(scope('root:c1'), def('apibindings'), 'to-a2');
  t.equal(served.status?.phase, 'Bound');
});
