/**
 * The real kubectl against a server with the default wiring (admission is on by default): CEL
 * schema rules on a CRD (incl. a CRD whose rule does not compile), ValidatingAdmissionPolicy with
 * a ConfigMap param denying a Deployment in a workspace that bound the compute export, Warn,
 * dry-run and broken policies.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer, type RunningServer } from '../helpers/tmc.js';
import { crdYAML, gadgetCRD } from '../helpers/crd.js';
import { waitFor } from '../helpers/wait.js';

const CRD = gadgetCRD(`
  type: object
  x-kubernetes-validations:
  - {rule: "self.replicas + 1 <= 10", message: "replicas must stay below 10"}
  properties:
    replicas:
      type: integer
      x-kubernetes-validations:
      - {rule: "!oldSelf.hasValue() || oldSelf.value() <= self", optionalOldSelf: true, message: "replicas may not shrink"}
    mode:
      type: string
      x-kubernetes-validations:
      - {rule: "self == oldSelf", message: "mode is immutable"}
`);
const gadget = (mode: string, replicas: number) =>
  `apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1, namespace: default}\nspec: {mode: ${mode}, replicas: ${replicas}}\n`;

const POLICIES = `
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-keys}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [configmaps]}
  variables:
  - {name: keys, expression: "has(object.data) ? object.data.size() : 0"}
  validations:
  - expression: "variables.keys <= int(params.data.maxKeys)"
    messageExpression: "'too many keys: ' + string(variables.keys) + ' > ' + params.data.maxKeys"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-keys-binding}
spec:
  policyName: max-keys
  validationActions: [Deny]
  paramRef: {name: limits, namespace: default, parameterNotFoundAction: Deny}
  matchResources:
    objectSelector: {matchLabels: {checked: "true"}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: warn-policy}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: ["*"], operations: ["*"], resources: [configmaps]}
  matchConditions:
  - {name: labelled, expression: "has(object.metadata.labels) && 'warn' in object.metadata.labels"}
  validations:
  - {expression: "false", message: "heads up"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: warn-binding}
spec: {policyName: warn-policy, validationActions: [Warn]}
`;
const BROKEN_CRD = crdYAML({ kind: 'Broken', plural: 'broken' }, `
  type: object
  x-kubernetes-validations:
  - {rule: "self.size +"}
  properties:
    count:
      type: integer
      x-kubernetes-validations:
      - {rule: "self + 'a' == self"}
`);
const cm = (name: string, labels: string, keys: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default, labels: {${labels}}}\ndata: {${Array.from({ length: keys }, (_, i) => `k${i}: v`).join(', ')}}\n`;

const DEPLOYMENT_POLICIES = `
apiVersion: v1
kind: ConfigMap
metadata: {name: replica-limits, namespace: default}
data: {maxReplicas: "3"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
    messageExpression: "'replicas ' + string(object.spec.replicas) + ' exceeds the limit of ' + params.data.maxReplicas"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas-binding}
spec:
  policyName: max-replicas
  validationActions: [Deny]
  paramRef: {name: replica-limits, namespace: default, parameterNotFoundAction: Deny}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: team-label}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: ["*"], operations: [CREATE], resources: [deployments]}
  validations:
  - {expression: "has(object.metadata.labels) && 'team' in object.metadata.labels", message: "deployments should carry a team label"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: team-label-binding}
spec: {policyName: team-label, validationActions: [Warn]}
`;
const deployment = (name: string, replicas: number, labels = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}${labels ? `, ${labels}` : ''}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`;

/** A fresh workspace root:<name> that bound the compute export (Deployments etc.); returns its URL. */
async function boundWorkspace(kc: string, srv: RunningServer, name: string): Promise<string> {
  await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${name}}\n` });
  const server = `${srv.url}/clusters/root:${name}`;
  await waitFor(`workspace root:${name}`, async () => ((await kubectl(kc, ['get', 'namespace', 'default'], { server })).code === 0 ? true : undefined));
  await kubectlOK(kc, ['apply', '-f', '-'], { server, input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: kubernetes}\nspec:\n  reference: {export: {path: "root:compute", name: kubernetes}}\n' });
  await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/kubernetes', '--timeout=30s'], { server });
  return server;
}

t.test('admission through kubectl', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;

  await t.test('CRD rules: int arithmetic and a transition rule', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { input: CRD });
    await kubectlOK(kc, ['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=20s']);
    const tooBig = await kubectl(kc, ['create', '-f', '-'], { input: gadget('a', 10) });
    t.not(tooBig.code, 0);
    t.match(tooBig.stderr, 'spec: Invalid value: "object": replicas must stay below 10');
    await kubectlOK(kc, ['create', '-f', '-'], { input: gadget('a', 3) });
    const changed = await kubectl(kc, ['apply', '-f', '-'], { input: gadget('b', 3) });
    t.not(changed.code, 0);
    t.match(changed.stderr, 'spec.mode: Invalid value: "string": mode is immutable');
    await kubectlOK(kc, ['apply', '-f', '-'], { input: gadget('a', 4) });
    const shrunk = await kubectl(kc, ['apply', '-f', '-'], { input: gadget('a', 2) });
    t.not(shrunk.code, 0, 'optionalOldSelf ordering rule (oldSelf.value() <= self) compiles and refuses');
    t.match(shrunk.stderr, 'spec.replicas: Invalid value: "integer": replicas may not shrink');
  });

  await t.test('a CRD whose rule does not compile is refused at kubectl apply', async (t) => {
    const r = await kubectl(kc, ['apply', '-f', '-'], { input: BROKEN_CRD });
    t.not(r.code, 0);
    t.match(r.stderr, 'The CustomResourceDefinition "broken.example.com" is invalid');
    t.match(r.stderr, 'spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: "self.size +": compilation failed: ERROR: <input>:1:');
    t.match(r.stderr, `spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[count].x-kubernetes-validations[0].rule: Invalid value: "self + 'a' == self": compilation failed: ERROR: <input>:1:`);
    t.match(r.stderr, 'no such overload: int + string');
    t.match((await kubectl(kc, ['get', 'crd', 'broken.example.com'])).stderr, 'NotFound', 'nothing stored');
    // an update that breaks a stored CRD's rule is refused too
    const edited = CRD.replace('self.replicas + 1 <= 10', "self.replicas + 1 <= 'ten'");
    const upd = await kubectl(kc, ['apply', '-f', '-'], { input: edited });
    t.not(upd.code, 0);
    t.match(upd.stderr, `x-kubernetes-validations[0].rule: Invalid value: "self.replicas + 1 <= 'ten'": compilation failed`);
  });

  await t.test('a policy with a ConfigMap param denies; Warn warns', async (t) => {
    await kubectlOK(kc, ['create', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits, namespace: default}\ndata: {maxKeys: "2"}\n' });
    await kubectlOK(kc, ['apply', '-f', '-'], { input: POLICIES });
    t.match(await kubectlOK(kc, ['get', 'validatingadmissionpolicies']), /max-keys\s+1\s+v1\/ConfigMap/);
    const denied = await kubectl(kc, ['create', '-f', '-'], { input: cm('big', 'checked: "true"', 3) });
    t.not(denied.code, 0);
    // kubectl prints a 422 with an unnamed cause like kube: `The configmaps "big" is invalid: : <message>`
    t.match(denied.stderr, `The configmaps "big" is invalid: : ValidatingAdmissionPolicy 'max-keys' with binding 'max-keys-binding' denied request: too many keys: 3 > 2`);
    await kubectlOK(kc, ['create', '-f', '-'], { input: cm('small', 'checked: "true"', 2) });
    await kubectlOK(kc, ['create', '-f', '-'], { input: cm('unchecked', 'other: "x"', 5) });
    const warned = await kubectl(kc, ['create', '-f', '-'], { input: cm('noisy', 'warn: "1"', 1) });
    t.equal(warned.code, 0, warned.stderr);
    t.match(warned.stderr, `Warning: Validation failed for ValidatingAdmissionPolicy 'warn-policy' with binding 'warn-binding': heads up`);
  });

  await t.test('--dry-run=server goes through admission and stores nothing', async (t) => {
    const denied = await kubectl(kc, ['create', '--dry-run=server', '-f', '-'], { input: cm('dry-big', 'checked: "true"', 3) });
    t.not(denied.code, 0);
    t.match(denied.stderr, 'denied request: too many keys');
    const ok = await kubectl(kc, ['create', '--dry-run=server', '-f', '-'], { input: cm('dry-ok', 'warn: "1"', 1) });
    t.equal(ok.code, 0, ok.stderr);
    t.match(ok.stdout, '(server dry run)');
    t.match(ok.stderr, 'Warning: Validation failed');
    const got = await kubectl(kc, ['-n', 'default', 'get', 'configmap', 'dry-ok']);
    t.match(got.stderr, 'NotFound');
  });

  await t.test('Deployments (compute export bound): a policy with a ConfigMap param denies, Warn warns, dry-run stores nothing', async (t) => {
    const server = await boundWorkspace(kc, srv, 'apps');
    const k = (args: string[], input?: string) => kubectl(kc, args, { server, ...(input !== undefined ? { input } : {}) });
    await kubectlOK(kc, ['apply', '-f', '-'], { server, input: DEPLOYMENT_POLICIES });
    t.match(await kubectlOK(kc, ['get', 'validatingadmissionpolicies'], { server }), /max-replicas\s+1\s+v1\/ConfigMap/);

    const denied = await k(['apply', '-f', '-'], deployment('big', 5));
    t.not(denied.code, 0);
    t.match(denied.stderr, `The deployments "big" is invalid: : ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: replicas 5 exceeds the limit of 3`);
    t.match((await k(['-n', 'default', 'get', 'deployment', 'big'])).stderr, 'NotFound');

    const warned = await k(['apply', '-f', '-'], deployment('small', 2));
    t.equal(warned.code, 0, warned.stderr);
    t.match(warned.stdout, 'deployment.apps/small created');
    t.match(warned.stderr, `Warning: Validation failed for ValidatingAdmissionPolicy 'team-label' with binding 'team-label-binding': deployments should carry a team label`);
    const labelled = await k(['apply', '-f', '-'], deployment('owned', 1, 'team: a'));
    t.equal(labelled.code, 0, labelled.stderr);
    t.notMatch(labelled.stderr, 'Warning:');

    // the param is read at admission time: raising the limit admits the same object
    const scaleDenied = await k(['apply', '-f', '-'], deployment('small', 4));
    t.match(scaleDenied.stderr, 'replicas 4 exceeds the limit of 3', 'updates are checked too');
    await kubectlOK(kc, ['-n', 'default', 'patch', 'configmap', 'replica-limits', '--type', 'merge', '-p', '{"data":{"maxReplicas":"4"}}'], { server });
    const scaled = await k(['apply', '-f', '-'], deployment('small', 4, 'team: a'));
    t.equal(scaled.code, 0, scaled.stderr);

    // server-side dry run: denied like the real thing, or admitted (with its warning) and not stored
    const dryDenied = await k(['apply', '--dry-run=server', '-f', '-'], deployment('dry-big', 9));
    t.not(dryDenied.code, 0);
    t.match(dryDenied.stderr, `denied request: replicas 9 exceeds the limit of 4`);
    const dry = await k(['apply', '--dry-run=server', '-f', '-'], deployment('dry-ok', 1));
    t.equal(dry.code, 0, dry.stderr);
    t.match(dry.stdout, 'deployment.apps/dry-ok created (server dry run)');
    t.match(dry.stderr, `Warning: Validation failed for ValidatingAdmissionPolicy 'team-label'`);
    t.match((await k(['-n', 'default', 'get', 'deployment', 'dry-ok'])).stderr, 'NotFound', 'dry run stored nothing');

    // policies are per workspace: root serves no Deployments, and the ConfigMap policies of root do not apply here
    t.equal((await k(['create', '-f', '-'], cm('many-keys', 'checked: "true"', 5))).code, 0, 'root policies do not leak into root:apps');
  });

  await t.test('bad, expensive and ill-typed expressions give clear errors', async (t) => {
    const illTyped = await kubectl(kc, ['create', '-f', '-'], { input: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ill-typed}
spec:
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]}
  validations: [{expression: "object.data.size() > 'a'"}]
` });
    t.match(illTyped.stderr, 'compilation failed: ERROR: <input>:1:1: no such overload: int > string');
    const bad = await kubectl(kc, ['create', '-f', '-'], { input: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: broken}
spec:
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]}
  validations: [{expression: "object.data.size( > 1"}]
` });
    t.not(bad.code, 0);
    t.match(bad.stderr, /spec\.validations\[0\]\.expression: Invalid value: "object\.data\.size\( > 1": compilation failed: ERROR: <input>:1/);
    await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: costly}
spec:
  failurePolicy: Fail
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]}
  matchConditions: [{name: costly, expression: "has(object.metadata.labels) && 'costly' in object.metadata.labels"}]
  validations:
  - {expression: "object.data.all(k, object.data.all(j, object.data.all(i, i + j + k != 'x')))"}
  - {expression: "object.data.k0 > 1"}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: costly}
spec: {policyName: costly, validationActions: [Deny]}
` });
    const keys = Array.from({ length: 120 }, (_, i) => `k${i}: v`).join(', ');
    const r = await kubectl(kc, ['create', '-f', '-'], { input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: costly, namespace: default, labels: {costly: "1"}}\ndata: {${keys}}\n` });
    t.not(r.code, 0);
    t.match(r.stderr, /ValidatingAdmissionPolicy 'costly' with binding 'costly' denied request: expression '.*' resulted in error: operation cancelled: actual cost limit exceeded/);
    const r2 = await kubectl(kc, ['create', '-f', '-'], { input: cm('typed', 'costly: "1"', 1) });
    t.match(r2.stderr, /expression 'object.data.k0 > 1' resulted in error: /);
    t.match(await kubectlOK(kc, ['get', '--raw', '/readyz']), 'ok', 'server still up');
  });
});
