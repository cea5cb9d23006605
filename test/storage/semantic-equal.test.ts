import t from 'tap';
import { equalIgnoringResourceVersion, jsonEqual } from '../../src/storage/semantic-equal.js';

t.test('jsonEqual', async (t) => {
  t.ok(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), 'key order does not matter');
  t.ok(jsonEqual({ a: 1, u: undefined }, { a: 1 }), 'undefined keys count as absent');
  t.notOk(jsonEqual({ a: [1, 2] }, { a: [2, 1] }), 'array order matters');
  t.notOk(jsonEqual({ a: {} }, { a: [] }));
  t.notOk(jsonEqual({ a: null }, { a: {} }));
  t.notOk(jsonEqual({ a: 1 }, { a: 1, b: 2 }));
  t.notOk(jsonEqual({ a: '1' }, { a: 1 }));
});

t.test('equalIgnoringResourceVersion', async (t) => {
  t.ok(equalIgnoringResourceVersion({ metadata: { name: 'a', resourceVersion: '1' } }, { metadata: { name: 'a', resourceVersion: '9' } }));
  t.ok(equalIgnoringResourceVersion({ metadata: { name: 'a' } }, { metadata: { name: 'a', resourceVersion: '9' } }));
  t.notOk(equalIgnoringResourceVersion({ metadata: { name: 'a' } }, { metadata: { name: 'b' } }));
});
