/** The VAP plugin in-process: params (name, selector, not found Allow/Deny), failurePolicy on config errors, per-workspace enforcement. */
import t from 'tap';
import { createAdmission } from '../../../src/admission/index.js';
import { configMapDef, namespaceDef } from '../../../src/registry/builtin/core.js';
import { GenericStore, type RequestScope } from '../../../src/registry/generic-store.js';
import { MemoryStore } from '../../../src/storage/index.js';

const defs = [configMapDef(), namespaceDef()];
const scope = (cluster = 'root'): RequestScope => ({ cluster, namespace: 'default', user: { name: 'admin', groups: [] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] });
const VAP = 'admissionregistration.k8s.io/validatingadmissionpolicies';
const VAPB = 'admissionregistration.k8s.io/validatingadmissionpolicybindings';

async function setup() {
  const store = new MemoryStore();
  const admission = createAdmission({ store, catalog: { byKind: (_c, g, k) => defs.find((d) => d.group === g && d.kind === k) } });
  const generic = new GenericStore({ store, annotateCluster: true, admission: admission.chain });
  for (const c of ['root', 'root:b']) await generic.create(scope(c), namespaceDef(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const put = (resource: string, name: string, spec: unknown, cluster = 'root') => store.create({ cluster, resource, namespace: '', name },
    { metadata: { name, annotations: { 'kcp.io/cluster': cluster } }, spec } as never);
  const cm = (name: string, data: Record<string, string>, labels: Record<string, string> = {}, cluster = 'root') =>
    generic.create(scope(cluster), configMapDef(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
  return { store, generic, put, cm, stop: admission.stop };
}

t.test('params by name and by selector; parameterNotFoundAction', async (t) => {
  const { put, cm, generic, stop } = await setup();
  t.teardown(stop);
  await put(VAP, 'p', { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
    validations: [{ expression: "!(params.data.banned in object.data)", messageExpression: "'banned by ' + params.metadata.name" }] });
  await put(VAPB, 'by-name', { policyName: 'p', validationActions: ['Deny'], paramRef: { name: 'rules', parameterNotFoundAction: 'Deny' },
    matchResources: { objectSelector: { matchLabels: { mode: 'name' } } } });
  await put(VAPB, 'by-selector', { policyName: 'p', validationActions: ['Warn', 'Audit'], paramRef: { selector: { matchLabels: { kind: 'rule' } }, parameterNotFoundAction: 'Allow' },
    matchResources: { objectSelector: { matchLabels: { mode: 'selector' } } } });

  await t.rejects(cm('a', { x: '1' }, { mode: 'name' }), { code: 403, message: /failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction/ });
  await t.resolves(cm('b', { x: '1' }, { mode: 'selector' }), 'Allow: no params, no evaluation');
  await cm('rules', { banned: 'x' }, { kind: 'rule' });
  await cm('more-rules', { banned: 'y' }, { kind: 'rule' });
  await t.rejects(cm('c', { x: '1' }, { mode: 'name' }), { code: 422, message: /ValidatingAdmissionPolicy 'p' with binding 'by-name' denied request: banned by rules/ });
  await t.resolves(cm('d', { y: '1' }, { mode: 'name' }));
  const s = scope();
  await generic.create(s, configMapDef(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e', labels: { mode: 'selector' } }, data: { x: '1', y: '2' } });
  t.same(s.warnings.sort(), [
    "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'by-selector': banned by more-rules",
    "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'by-selector': banned by rules",
  ], 'one evaluation per selected param');
});

t.test('config errors follow failurePolicy; policies are per workspace', async (t) => {
  const { put, cm, stop } = await setup();
  t.teardown(stop);
  const rules = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] };
  await put(VAP, 'unknown-kind', { paramKind: { apiVersion: 'example.com/v1', kind: 'Nope' }, failurePolicy: 'Ignore', matchConstraints: rules, validations: [{ expression: 'false' }] });
  await put(VAPB, 'b1', { policyName: 'unknown-kind', validationActions: ['Deny'], paramRef: { name: 'x' } });
  await t.resolves(cm('ok', {}), 'Ignore: unresolvable paramKind skips the policy');
  await put(VAP, 'deny-all', { matchConstraints: rules, validations: [{ expression: "object.metadata.name != 'blocked'" }] }, 'root:b');
  await put(VAPB, 'b2', { policyName: 'deny-all', validationActions: ['Deny'] }, 'root:b');
  await t.resolves(cm('blocked', {}), 'root is not affected by root:b policies');
  await t.rejects(cm('blocked', {}, {}, 'root:b'), { code: 422, message: /denied request: failed expression: object.metadata.name != 'blocked'/ });
  await put(VAPB, 'dangling', { policyName: 'missing', validationActions: ['Deny'] });
  await t.resolves(cm('still-ok', {}), 'a binding to a missing policy does nothing');
});
