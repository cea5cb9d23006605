/**
 * A provider's ValidatingAdmissionPolicies admit its API in every workspace that binds it, as in
 * kcp (pkg/admission/validatingadmissionpolicy: the policy workspace of a bound resource is its
 * APIExport's): kcp's own example config/examples/admission-webhook in its policy mode, applied
 * unchanged with kubectl over HTTPS, plus a policy reading its params beside it in the provider
 * (kcp's TestValidatingAdmissionPolicyCrossWorkspaceAPIBindingWithParams).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'kcp', 'admission-webhook');
const example = (f: string) => join(EXAMPLE, f);

const cowboy = (name: string, intent: string) =>
  `apiVersion: wildwest.dev/v1alpha1\nkind: Cowboy\nmetadata: {name: ${name}, namespace: default}\nspec: {intent: ${intent}}\n`;

t.test("a provider's policies admit its API in the consumers' workspaces", async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  for (const ws of ['provider', 'consumer']) {
    await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${ws}}\n` });
    await waitFor(`workspace ${ws}`, async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at(`root:${ws}`) })).code === 0);
  }
  const provider = { server: at('root:provider') };
  const consumer = { server: at('root:consumer') };

  // run.sh policy: schema, export and policy in the provider; the binding in the consumer
  await kubectlOK(kc, ['apply', '-f', example('apiresourceschema.yaml'), '-f', example('apiexport.yaml'), '-f', example('validatingadmissionpolicy.yaml')], provider);
  await kubectlOK(kc, ['apply', '-f', example('apibinding.yaml')], consumer);
  await kubectlOK(kc, ['wait', '--for=condition=Ready', 'apibinding/cowboys', '--timeout=30s'], consumer);
  await waitFor('cowboys served in the consumer', async () => (await kubectl(kc, ['get', 'cowboys', '-A'], consumer)).code === 0);

  await kubectlOK(kc, ['apply', '-f', example('cowboy-good.yaml')], consumer);
  const bad = await waitFor("the provider's policy in force", async () => {
    const r = await kubectl(kc, ['apply', '-f', example('cowboy-bad.yaml')], consumer);
    return r.code !== 0 && r;
  });
  t.match(bad.stderr, /The cowboys "bad-bart" is invalid: : ValidatingAdmissionPolicy 'cowboy-intent-policy' with binding 'cowboy-intent-policy-binding' denied request: spec\.intent must not be "bad"/,
    "the consumer's bad cowboy is refused by the policy in the provider");
  t.match(await kubectlOK(kc, ['get', 'cowboys', '-n', 'default', '-o', 'name'], consumer), /^cowboy\.wildwest\.dev\/lucky-luke\n$/, 'only the good one is stored');

  // params of a provider's policy come from the provider too
  await kubectlOK(kc, ['apply', '-f', '-'], { ...provider, input: `apiVersion: v1
kind: ConfigMap
metadata: {name: cowboy-rules, namespace: default}
data: {forbidden: ugly}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: cowboy-params}
spec:
  failurePolicy: Fail
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules: [{apiGroups: [wildwest.dev], apiVersions: ["*"], operations: [CREATE, UPDATE], resources: [cowboys]}]
  validations:
  - expression: 'object.spec.intent != params.data.forbidden'
    messageExpression: '"spec.intent must not be " + params.data.forbidden'
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: cowboy-params}
spec:
  policyName: cowboy-params
  paramRef: {name: cowboy-rules, namespace: default, parameterNotFoundAction: Deny}
  validationActions: [Deny]
` });
  const ugly = await waitFor("the provider's params in force", async () => {
    const r = await kubectl(kc, ['create', '-f', '-'], { ...consumer, input: cowboy('tuco', 'ugly') });
    return r.code !== 0 && r;
  });
  t.match(ugly.stderr, /ValidatingAdmissionPolicy 'cowboy-params' with binding 'cowboy-params' denied request: spec\.intent must not be ugly/);

  // the consumer's own policies apply to the bound resource as well (kcp consults the provider's alone)
  await kubectlOK(kc, ['apply', '-f', '-'], { ...consumer, input: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: local}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules: [{apiGroups: [wildwest.dev], apiVersions: ["*"], operations: [CREATE], resources: [cowboys]}]
  validations: [{expression: 'object.metadata.name != "blocked"', message: 'blocked by the consumer'}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: local}
spec: {policyName: local, validationActions: [Deny]}
` });
  const local = await waitFor("the consumer's policy in force", async () => {
    const r = await kubectl(kc, ['create', '-f', '-'], { ...consumer, input: cowboy('blocked', 'good') });
    return r.code !== 0 && r;
  });
  t.match(local.stderr, /ValidatingAdmissionPolicy 'local' with binding 'local' denied request: blocked by the consumer/);
  const both = await kubectl(kc, ['create', '-f', '-'], { ...consumer, input: cowboy('blocked', 'bad') });
  t.match(both.stderr, /cowboy-intent-policy/, "the provider's policy answers first");

  // a workspace that does not bind the export is not governed by the provider's policies
  await kubectlOK(kc, ['create', '-f', '-'], { input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: elsewhere}\n' });
  await waitFor('workspace elsewhere', async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at('root:elsewhere') })).code === 0);
  await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:elsewhere'), input: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: cowboys.wildwest.dev}
spec:
  group: wildwest.dev
  names: {kind: Cowboy, listKind: CowboyList, plural: cowboys, singular: cowboy}
  scope: Namespaced
  versions: [{name: v1alpha1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
` });
  await waitFor('cowboys served in elsewhere', async () => (await kubectl(kc, ['create', '-f', '-'], { server: at('root:elsewhere'), input: cowboy('bad-bart', 'bad') })).code === 0);
  t.pass("its own CRD's bad cowboy is admitted");
});
