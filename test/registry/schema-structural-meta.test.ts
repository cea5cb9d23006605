import t from 'tap';
import { fieldErrorMessage } from '../../src/errors/status.js';
import type { JSONSchemaProps } from '../../src/registry/types.js';
import { validateObjectMeta, validateStructuralSchema } from '../../src/registry/schema/index.js';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const structural = (s: JSONSchemaProps | undefined) => validateStructuralSchema(s, P).map(fieldErrorMessage);

t.test('a well-formed schema passes', async (t) => {
  t.same(structural({
    type: 'object',
    properties: {
      metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } },
      spec: { type: 'object', properties: {
        size: { type: 'integer', default: 3 },
        port: { 'x-kubernetes-int-or-string': true },
        free: { 'x-kubernetes-preserve-unknown-fields': true },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
      } },
    },
  }), []);
});

t.test('structural violations are reported like kube', async (t) => {
  t.same(structural(undefined), [`${P}: Required value: schemas are required`]);
  t.same(structural({ properties: {} }), [`${P}.type: Required value: must not be empty at the root`]);
  t.same(structural({ type: 'object', properties: { spec: { properties: {} } } }),
    [`${P}.properties[spec].type: Required value: must not be empty for specified object fields`]);
  t.same(structural({ type: 'object', properties: { l: { type: 'array' } } }),
    [`${P}.properties[l].items: Required value: must be specified`]);
  t.same(structural({ type: 'object', properties: { l: { type: 'array', items: {} } } }),
    [`${P}.properties[l].items.type: Required value: must not be empty for specified array items`]);
  t.same(structural({ type: 'object', properties: { m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } } }),
    [`${P}.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`]);
  t.same(structural({ type: 'object', properties: { l: { type: 'array', items: [{ type: 'string' }] as unknown as JSONSchemaProps } } }),
    [`${P}.properties[l].items: Forbidden: items must be a schema object and not an array`]);
  t.same(structural({ type: 'object', properties: { n: { type: 'integer', default: 'x' } } }),
    [`${P}.properties[n].default: Invalid value: "string": ${P}.properties[n].default in body must be of type integer: "string"`]);
  t.same(structural({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }),
    [`${P}.properties[metadata].properties[labels]: Forbidden: must not be specified`]);
  t.same(structural({ type: 'object', properties: { x: { type: 'string', 'x-kubernetes-preserve-unknown-fields': false } } }),
    [`${P}.properties[x].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`]);
  t.same(structural({ type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'map' } } }), [
    `${P}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
    `${P}.properties[l].items.type: Invalid value: "string": must be object if parent array's x-kubernetes-list-type is map`,
  ]);
  t.same(structural({ type: 'object', properties: { x: { type: 'thing' as 'string' } } }),
    [`${P}.properties[x].type: Unsupported value: "thing": supported values: "array", "boolean", "integer", "number", "object", "string"`]);
});

t.test('validateObjectMeta', async (t) => {
  const m = (meta: Record<string, unknown>, namespaced = true) => validateObjectMeta(meta, { namespaced }).map(fieldErrorMessage);
  t.same(m({ name: 'ok', namespace: 'default', labels: { app: 'x' }, annotations: { 'a.b/c': 'd' }, finalizers: ['example.com/f', 'kubernetes'] }), []);
  t.same(m({ namespace: 'default' }), ['metadata.name: Required value: name or generateName is required']);
  t.same(m({ generateName: 'web-', namespace: 'default' }), [], 'generateName alone is enough');
  t.match(m({ name: 'Bad_Name', namespace: 'default' })[0], /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  t.same(m({ name: 'x' }), ['metadata.namespace: Required value']);
  t.same(m({ name: 'x', namespace: 'default' }, false), ['metadata.namespace: Forbidden: not allowed on this type']);
  t.match(m({ name: 'x', namespace: 'd', labels: { 'bad key!': 'v' } })[0], /^metadata\.labels: Invalid value: "bad key!": name part must consist of/);
  t.match(m({ name: 'x', namespace: 'd', labels: { k: 'bad value!' } })[0], /^metadata\.labels: Invalid value: "bad value!": a valid label must be/);
  t.same(m({ name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } }), ['metadata.annotations: Too long: may not be more than 262144 bytes']);
  t.same(m({ name: 'x', namespace: 'd', finalizers: ['custom'] }),
    ['metadata.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified']);
  const label = validateObjectMeta({ name: 'UPPER' }, { namespaced: false, nameValidator: (n) => (n === n.toLowerCase() ? [] : ['must be lower case']) });
  t.same(label.map(fieldErrorMessage), ['metadata.name: Invalid value: "UPPER": must be lower case'], 'custom name validator');
});
