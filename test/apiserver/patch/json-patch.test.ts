import t from 'tap';
import { applyJsonPatch } from '../../../src/apiserver/patch/json-patch.js';
import { StatusError } from '../../../src/errors/status.js';
import { deployment } from './fixtures.js';

t.test('RFC 6902 operations', async (t) => {
  const cases: Array<[string, unknown[], (o: any) => unknown, unknown]> = [
    ['replace', [{ op: 'replace', path: '/spec/replicas', value: 5 }], (o) => o.spec.replicas, 5],
    ['add member', [{ op: 'add', path: '/metadata/labels/tier', value: 'fe' }], (o) => o.metadata.labels, { app: 'web', tier: 'fe' }],
    ['add escaped key', [{ op: 'add', path: '/metadata/labels/a.io~1b', value: 'x' }], (o) => o.metadata.labels['a.io/b'], 'x'],
    ['append with -', [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'side' } }],
      (o) => o.spec.template.spec.containers.map((c: any) => c.name), ['nginx', 'side']],
    ['insert at index', [{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'first' } }],
      (o) => o.spec.template.spec.containers.map((c: any) => c.name), ['first', 'nginx']],
    ['remove', [{ op: 'remove', path: '/metadata/labels/app' }], (o) => o.metadata.labels, {}],
    ['move', [{ op: 'move', from: '/metadata/labels', path: '/metadata/annotations' }], (o) => [o.metadata.labels, o.metadata.annotations], [undefined, { app: 'web' }]],
    ['copy', [{ op: 'copy', from: '/spec/replicas', path: '/spec/minReadySeconds' }], (o) => o.spec.minReadySeconds, 2],
    ['test then replace', [{ op: 'test', path: '/spec/replicas', value: 2 }, { op: 'replace', path: '/spec/replicas', value: 3 }], (o) => o.spec.replicas, 3],
  ];
  for (const [name, ops, get, want] of cases) {
    const live = deployment();
    const out = applyJsonPatch(live as any, ops);
    t.same(get(out), want, name);
    t.same(live, deployment(), `${name}: input not mutated`);
  }
});

t.test('failures are 422 with the library reason as the cause', async (t) => {
  const cases: Array<[unknown[], string]> = [
    [[{ op: 'test', path: '/spec/replicas', value: 3 }], 'testing value /spec/replicas failed: test failed'],
    [[{ op: 'replace', path: '/spec/nope', value: 1 }], 'replace operation does not apply: doc is missing key: /spec/nope: missing value'],
    [[{ op: 'add', path: '/spec/a/b', value: 1 }], 'add operation does not apply: doc is missing path: "/spec/a/b": missing value'],
    [[{ op: 'remove', path: '/metadata/labels/zzz' }], "error in remove for path: '/metadata/labels/zzz': Unable to remove nonexistent key: zzz: missing value"],
    [[{ op: 'frobnicate', path: '/x' }], 'Unexpected kind: frobnicate'],
  ];
  for (const [ops, cause] of cases) {
    const err = t.throws(() => applyJsonPatch(deployment() as any, ops)) as unknown as StatusError;
    t.equal(err.code, 422);
    t.equal(err.reason, 'Invalid');
    t.equal(err.message, 'the server rejected our request due to an error in our request');
    t.same(err.details?.causes, [{ reason: 'UnexpectedServerResponse', message: cause }]);
  }
});

t.test('a failed operation leaves nothing half-applied', async (t) => {
  const live = deployment();
  t.throws(() => applyJsonPatch(live as any, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/x', value: 1 }]));
  t.equal(live.spec.replicas, 2);
});

t.test('malformed body is 400, too many operations 413', async (t) => {
  t.match(t.throws(() => applyJsonPatch(deployment() as any, { op: 'add' })), { code: 400, reason: 'BadRequest' });
  t.match(t.throws(() => applyJsonPatch(deployment() as any, ['x'])), { code: 400 });
  const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'Deployment' }));
  t.match(t.throws(() => applyJsonPatch(deployment() as any, many)), {
    code: 413, reason: 'RequestEntityTooLarge',
    message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  });
  t.equal(applyJsonPatch(deployment() as any, many.slice(0, 10000)).kind, 'Deployment');
});

t.test('a "__proto__" key added or replaced by a JSON patch is data, not the prototype', async (t) => {
  const out = applyJsonPatch({ metadata: {}, spec: { a: 1 } } as any, [
    { op: 'add', path: '/spec/__proto__', value: { replicas: 99 } },
    { op: 'replace', path: '/spec/__proto__', value: { replicas: 98 } },
  ]) as any;
  t.equal(Object.getPrototypeOf(out.spec), Object.prototype);
  t.equal(out.spec.replicas, undefined, 'nothing shows through as an inherited field');
  t.equal(JSON.stringify(out.spec), '{"a":1,"__proto__":{"replicas":98}}');
});
