/**
 * Shipped APIResourceSchemas are named by content: the same spec gives the same name whatever its
 * key order, any change to it gives another (schemas are immutable, so an upgrade needs a new name).
 */
import t from 'tap';
import { apiResourceSchemaNameOf } from '../../src/machinery/schema-names.js';

const spec = () => ({
  group: 'tmc.kcp.io', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
  versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { type: 'object', properties: { a: { type: 'string' } } } }],
});

t.test('named by a hash of the spec', async (t) => {
  const name = apiResourceSchemaNameOf(spec());
  t.match(name, /^v[0-9a-f]{8}\.widgets\.tmc\.kcp\.io$/);
  t.equal(apiResourceSchemaNameOf(spec()), name, 'stable');
  const { group, ...rest } = spec();
  t.equal(apiResourceSchemaNameOf({ ...rest, group }), name, 'key order does not matter');
  const added = spec();
  (added.versions[0]!.schema.properties as Record<string, unknown>)['b'] = { type: 'integer' };
  t.not(apiResourceSchemaNameOf(added), name, 'a field added: a new name');
  t.match(apiResourceSchemaNameOf({ ...spec(), group: '' }), /^v[0-9a-f]{8}\.widgets\.core$/, 'the legacy group is `core`');
});
