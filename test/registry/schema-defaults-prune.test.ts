import t from 'tap';
import type { JSONSchemaProps } from '../../src/registry/types.js';
import { applyDefaults, forEachValidationRule, prune } from '../../src/registry/schema/index.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        strategy: { type: 'object', default: {}, properties: { type: { type: 'string', default: 'RollingUpdate' } } },
        ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } } } },
        byName: { type: 'object', additionalProperties: { type: 'object', properties: { weight: { type: 'integer', default: 10 } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        embedded: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: {} } } },
        name: { type: 'string' },
      },
    },
  },
};

t.test('applyDefaults fills missing fields recursively, inside arrays and maps', async (t) => {
  const o = { spec: { ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }], byName: { a: {}, b: { weight: 2 } }, name: null } };
  applyDefaults(schema, o);
  t.same(o, {
    spec: {
      replicas: 1, strategy: { type: 'RollingUpdate' },
      ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
      byName: { a: { weight: 10 }, b: { weight: 2 } },
    },
  }, 'defaults applied, default of a defaulted object applied too, non-nullable null dropped');
  const explicit = { spec: { replicas: 0 } };
  applyDefaults(schema, explicit);
  t.equal(explicit.spec.replicas, 0, 'explicit zero is kept');
});

t.test('applyDefaults copies defaults (no shared references)', async (t) => {
  const a = applyDefaults(schema, { spec: {} }) as { spec: { strategy: { type: string } } };
  a.spec.strategy.type = 'changed';
  const b = applyDefaults(schema, { spec: {} }) as { spec: { strategy: { type: string } } };
  t.equal(b.spec.strategy.type, 'RollingUpdate');
});

t.test('prune removes unknown fields and reports their paths', async (t) => {
  const o = {
    apiVersion: 'v1', kind: 'X', metadata: { name: 'n', whatever: 1 },
    extra: true,
    spec: {
      foo: 1, ports: [{ port: 1, bogus: 2 }], byName: { a: { weight: 1, junk: 1 } },
      free: { anything: { goes: 1 }, known: { a: 'x', b: 'pruned' } },
      embedded: { apiVersion: 'v1', kind: 'Y', metadata: { name: 'kept' }, spec: { gone: 1 } },
    },
  };
  const removed = prune(schema, o);
  t.same(removed, ['extra', 'spec.byName.a.junk', 'spec.embedded.spec.gone', 'spec.foo', 'spec.free.known.b', 'spec.ports[0].bogus']);
  t.same(o.metadata, { name: 'n', whatever: 1 }, 'root metadata is never pruned');
  t.same(o.spec.free.anything, { goes: 1 }, 'preserve-unknown-fields keeps unknown fields');
  t.same(o.spec.embedded.metadata, { name: 'kept' }, 'embedded metadata kept');
  t.same(prune(schema, o), [], 'idempotent');
});

t.test('forEachValidationRule visits rule-carrying nodes with correlated old values', async (t) => {
  const s: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object', 'x-kubernetes-validations': [{ rule: 'true' }],
        properties: {
          items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
            items: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.v >= 0' }], properties: { name: { type: 'string' }, v: { type: 'integer' } } } },
          labels: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'size(self) < 5' }] } },
        },
      },
    },
  };
  const seen: Array<[string, unknown, unknown]> = [];
  forEachValidationRule(s,
    { spec: { items: [{ name: 'b', v: 2 }, { name: 'a', v: 1 }], labels: { app: 'x' } } },
    { spec: { items: [{ name: 'a', v: 0 }] } },
    (_node, value, old, path) => seen.push([path, value, old]));
  t.same(seen.map((s) => s[0]), ['spec', 'spec.items[0]', 'spec.items[1]', 'spec.labels[app]']);
  t.equal(seen[1][2], undefined, 'no old item named b');
  t.same(seen[2][2], { name: 'a', v: 0 }, 'old item correlated by map key');
});
