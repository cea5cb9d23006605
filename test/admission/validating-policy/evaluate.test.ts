import t from 'tap';
import { compilePolicy, evaluatePolicy, validatePolicySpec, validateBindingSpec } from '../../../src/admission/validating-policy/index.js';
import { matchResources, type MatchRequest } from '../../../src/admission/validating-policy/match.js';

const policy = (spec: Record<string, unknown>) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'p' }, spec });
const deployment = (replicas: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas } });
const input = (object: unknown, params: unknown = null) => ({ object, oldObject: null, request: { operation: 'CREATE', userInfo: { username: 'bob' } }, params, namespaceObject: null,
  schema: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } } } });

t.test('validations: message, messageExpression, default message, reason', async (t) => {
  const p = compilePolicy(policy({ validations: [
    { expression: 'object.spec.replicas <= 5', message: 'at most 5' },
    { expression: 'object.spec.replicas % 2 == 0', messageExpression: "'odd: ' + string(object.spec.replicas)", reason: 'Forbidden' },
    { expression: "request.userInfo.username != 'bob'" },
  ] }));
  const out = evaluatePolicy(p, input(deployment(7)));
  t.same(out, { skipped: false, failures: [
    { message: 'at most 5', reason: undefined }, { message: 'odd: 7', reason: 'Forbidden' }, { message: "failed expression: request.userInfo.username != 'bob'", reason: undefined },
  ] });
});

t.test('variables are lazy and composable; matchConditions gate; params are read', async (t) => {
  const p = compilePolicy(policy({
    matchConditions: [{ name: 'has-app', expression: "'app' in object.metadata.labels" }],
    variables: [{ name: 'max', expression: 'int(params.data.max)' }, { name: 'over', expression: 'object.spec.replicas > variables.max' },
      { name: 'broken', expression: 'object.nope.deeper' }],
    validations: [{ expression: '!variables.over', messageExpression: "'over by ' + string(object.spec.replicas - variables.max)" }],
  }));
  const params = { data: { max: '3' } };
  t.same(evaluatePolicy(p, input(deployment(5), params)), { skipped: false, failures: [{ message: 'over by 2', reason: undefined }] }, 'unused broken variable is never evaluated');
  t.same(evaluatePolicy(p, input(deployment(2), params)), { skipped: false, failures: [] });
  const unlabelled = { ...deployment(9), metadata: { name: 'x', labels: {} } };
  t.same(evaluatePolicy(p, input(unlabelled, params)), { skipped: true });
});

t.test('evaluation errors follow failurePolicy', async (t) => {
  const spec = { validations: [{ expression: 'object.spec.missing > 1' }] };
  const fail = evaluatePolicy(compilePolicy(policy(spec)), input(deployment(1)));
  t.match(fail, { skipped: false, failures: [{ message: /^expression 'object.spec.missing > 1' resulted in error: / }] });
  t.same(evaluatePolicy(compilePolicy(policy({ ...spec, failurePolicy: 'Ignore' })), input(deployment(1))), { skipped: false, failures: [] });
  const costly = compilePolicy(policy({ validations: [{ expression: 'object.l.all(x, object.l.all(y, x + y >= 0))' }] }));
  t.match(evaluatePolicy(costly, input({ l: Array.from({ length: 2000 }, (_, i) => i) })),
    { failures: [{ message: /resulted in error: operation cancelled: actual cost limit exceeded/ }] });
});

t.test('compiled once per stored policy object', async (t) => {
  const obj = policy({ validations: [{ expression: 'true' }] });
  t.equal(compilePolicy(obj), compilePolicy(obj));
  t.not(compilePolicy(obj), compilePolicy({ ...obj }));
});

t.test('matchResources: rules, exclusions, selectors', async (t) => {
  const q: MatchRequest = { group: 'apps', version: 'v1', resource: 'deployments', subresource: '', operation: 'CREATE', name: 'web', namespace: 'ns',
    namespaced: true, labels: { app: 'web' }, namespaceLabels: { env: 'prod' }, isNamespace: false };
  const rule = { apiGroups: ['apps'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] };
  t.ok(matchResources({ resourceRules: [rule] }, q, true));
  t.notOk(matchResources(undefined, q, true), 'a policy without matchConstraints matches nothing');
  t.ok(matchResources(undefined, q, false), 'a binding without matchResources adds no constraint');
  t.notOk(matchResources({ resourceRules: [rule] }, { ...q, operation: 'DELETE' }, true));
  t.notOk(matchResources({ resourceRules: [rule] }, { ...q, subresource: 'status' }, true));
  t.ok(matchResources({ resourceRules: [{ ...rule, resources: ['deployments/*'] }] }, { ...q, subresource: 'status' }, true));
  t.ok(matchResources({ resourceRules: [{ ...rule, resources: ['*/status'] }] }, { ...q, subresource: 'status' }, true));
  t.notOk(matchResources({ resourceRules: [rule], excludeResourceRules: [{ ...rule, resourceNames: ['web'] }] }, q, true));
  t.notOk(matchResources({ resourceRules: [rule], namespaceSelector: { matchLabels: { env: 'dev' } } }, q, true));
  t.ok(matchResources({ resourceRules: [rule], namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } }, q, true));
  t.notOk(matchResources({ resourceRules: [rule], objectSelector: { matchLabels: { app: 'api' } } }, q, true));
  t.ok(matchResources({ resourceRules: [rule], objectSelector: { matchLabels: { app: 'api' } } }, { ...q, oldLabels: { app: 'api' } }, true), 'old labels count');
});

t.test('spec validation refuses broken policies and bindings', async (t) => {
  const errs = validatePolicySpec(policy({ validations: [{ expression: '1 +' }, { expression: 'true', reason: 'Teapot' }], variables: [{ name: 'v', expression: ')' }] }) as never);
  t.same(errs.map((e) => e.field), ['spec.matchConstraints.resourceRules', 'spec.validations[0].expression', 'spec.validations[1].reason', 'spec.variables[0].expression']);
  const b = validateBindingSpec({ metadata: { name: 'b' }, spec: { validationActions: ['Deny', 'Warn', 'Shout'], paramRef: {} } } as never);
  t.same(b.map((e) => e.field), ['spec.policyName', 'spec.validationActions[2]', 'spec.validationActions', 'spec.paramRef']);
});
