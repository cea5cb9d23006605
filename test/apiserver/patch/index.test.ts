import t from 'tap';
import { applyPatch, patchKindFor, smpNotSupportedMessage } from '../../../src/apiserver/patch/index.js';
import { deployment, deploymentSchema } from './fixtures.js';

const builtin = { schema: deploymentSchema, builtin: true };

t.test('content types map to patch kinds; others are 415 listing the accepted types', async (t) => {
  t.equal(patchKindFor('application/json-patch+json', true), 'json');
  t.equal(patchKindFor('application/merge-patch+json; charset=utf-8', false), 'merge');
  t.equal(patchKindFor('application/strategic-merge-patch+json', true), 'strategic');
  t.equal(patchKindFor('application/apply-patch+yaml', false), 'apply');
  t.match(t.throws(() => patchKindFor('application/strategic-merge-patch+json', false)), {
    code: 415, reason: 'UnsupportedMediaType',
    message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  });
  t.equal(smpNotSupportedMessage(), 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  t.match(t.throws(() => patchKindFor('text/plain', true)), { code: 415, message: /application\/strategic-merge-patch\+json/ });
});

t.test('dispatch decodes raw bodies and applies each kind', async (t) => {
  const live = deployment() as any;
  t.equal(applyPatch('json', live, '[{"op":"replace","path":"/spec/replicas","value":4}]', builtin).object.spec.replicas, 4);
  t.equal(applyPatch('merge', live, Buffer.from('{"spec":{"replicas":5}}'), builtin).object.spec.replicas, 5);
  const smp = applyPatch('strategic', live, '{"spec":{"template":{"spec":{"containers":[{"name":"side"}]}}}}', builtin).object;
  t.equal(smp.spec.template.spec.containers.length, 2);
  t.match(t.throws(() => applyPatch('strategic', live, '{}', { builtin: false })), { code: 415 });
});

t.test('apply accepts YAML and JSON and returns managedFields', async (t) => {
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 6
`;
  const r = applyPatch('apply', undefined, yaml, { ...builtin, manager: 'kubectl', now: new Date('2024-01-01T00:00:00Z') });
  t.equal(r.object.spec.replicas, 6);
  t.same(r.managedFields, [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }]);
  const j = applyPatch('apply', r.object, JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 7 } }), { ...builtin, manager: 'kubectl' });
  t.equal(j.object.spec.replicas, 7);
});

t.test('unparseable bodies are 400', async (t) => {
  t.match(t.throws(() => applyPatch('merge', deployment() as any, '{nope', builtin)), { code: 400, reason: 'BadRequest', message: /^error decoding patch: / });
  t.match(t.throws(() => applyPatch('apply', undefined, 'a: [1', { ...builtin, manager: 'm' })), { code: 400, message: /^error decoding YAML: / });
  t.match(t.throws(() => applyPatch('apply', undefined, '- 1\n- 2', { ...builtin, manager: 'm' })), { code: 400 });
});
