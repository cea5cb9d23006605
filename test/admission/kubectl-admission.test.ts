/**
 * The real kubectl against a server started with the admission hooks: CEL schema rules on a CRD,
 * ValidatingAdmissionPolicy with a ConfigMap param (Deny), Warn, dry-run and broken policies.
 * (Workload kinds like Deployment are not served in server mode without the compute binding, so
 * denials use ConfigMaps and a CRD kind.)
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { admissionTestHooks } from './hooks.js';

const CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - {rule: "self.replicas + 1 <= 10", message: "replicas must stay below 10"}
            properties:
              replicas: {type: integer}
              mode:
                type: string
                x-kubernetes-validations:
                - {rule: "self == oldSelf", message: "mode is immutable"}
`;
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
const cm = (name: string, labels: string, keys: number) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default, labels: {${labels}}}\ndata: {${Array.from({ length: keys }, (_, i) => `k${i}: v`).join(', ')}}\n`;

t.test('admission through kubectl', async (t) => {
  const srv = await startServer(t, {}, admissionTestHooks());
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
