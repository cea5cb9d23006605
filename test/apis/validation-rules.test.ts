/**
 * The x-kubernetes-validations rules of the generated schemas: each one compiles with cel-js, the
 * promised rules are where docs/api.md says, and they accept and reject what they should when
 * evaluated against objects (defaults applied first, as the API server does).
 */
import t from 'tap';
import { collectValidations, type SchemaNode } from '../../hack/codegen/structural.js';
import { tmcAPIResourceSchema } from '../../src/apis/tmc/schemas.js';
import { applyDefaults, compileRule, validate } from './schema-validator.js';

const schemaOf = (plural: string): SchemaNode =>
  tmcAPIResourceSchema(plural)!.spec.versions[0]!.schema as SchemaNode;
const PLURALS = ['clusterregistrations', 'workloadplacements', 'placementdecisions'];

t.test('every rule compiles and type-checks with self/oldSelf as dyn', async (t) => {
  let n = 0;
  for (const plural of PLURALS) {
    for (const v of collectValidations(schemaOf(plural))) {
      t.doesNotThrow(() => compileRule(v.rule), `${plural}${v.path}: ${v.rule}`);
      t.ok(v.message, `${plural}${v.path} has a message`);
      n++;
    }
  }
  t.ok(n >= 15, `${n} rules`);
  t.throws(() => compileRule('self.a ==='), 'a broken rule does fail to compile');
});

t.test('the promised rules are in place', async (t) => {
  const rules = (plural: string): string[] => collectValidations(schemaOf(plural)).map((v) => `${v.path}: ${v.rule}`);
  const wp = rules('workloadplacements');
  const cr = rules('clusterregistrations');
  t.ok(wp.includes('.spec.numberOfClusters: self >= 1'));
  t.ok(wp.includes(".spec.replicaScheduling: !has(self.weights) || (has(self.type) && self.type == 'Divided')"));
  t.ok(wp.includes('.spec.spreadConstraints[].maxSkew: self >= 1'));
  t.ok(wp.includes('.spec.replicaScheduling.weights.static[].weight: self >= 0'));
  t.ok(cr.includes(".spec: (has(self.syncMode) && self.syncMode == 'Pull') || has(self.clusterEndpoint)"));
  t.ok(cr.includes(".status.clusterKey: oldSelf == '' || self == oldSelf"));
  t.ok(rules('placementdecisions').includes('.spec: self == oldSelf'));
});

const meta = { name: 'x' };
const endpoint = { serverURL: 'https://10.0.0.1:6443', secretRef: { namespace: 'default', name: 'prod-eu-creds' } };

/** Validate an object of `plural` with defaults applied; `old` turns on transition rules. */
function check(plural: string, obj: Record<string, unknown>, old?: Record<string, unknown>): string[] {
  const schema = schemaOf(plural);
  const withDefaults = applyDefaults(structuredClone(obj), schema);
  return validate(withDefaults, schema, old && applyDefaults(structuredClone(old), schema));
}
const cr = (spec: unknown, status?: unknown) => ({ apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration', metadata: meta, spec, ...(status ? { status } : {}) });
const wp = (spec: unknown) => ({ apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: meta, spec });

t.test('ClusterRegistration: clusterEndpoint is required for Push', async (t) => {
  t.same(check('clusterregistrations', cr({ clusterEndpoint: endpoint })), [], 'Push (default) with an endpoint');
  t.same(check('clusterregistrations', cr({ syncMode: 'Pull' })), [], 'Pull needs none');
  t.match(check('clusterregistrations', cr({ location: 'eu' })).join(), /clusterEndpoint is required when syncMode is Push/, 'defaulted Push without one');
  t.match(check('clusterregistrations', cr({ syncMode: 'Push' })).join(), /clusterEndpoint is required/);
  t.match(check('clusterregistrations', cr({ syncMode: 'Sideways', clusterEndpoint: endpoint })).join(), /not in \["Push","Pull"\]/);
  t.match(check('clusterregistrations', cr({ clusterEndpoint: { serverURL: 'ftp://x' } })).join(), /serverURL: does not match/);
});

t.test('ClusterRegistration: status.clusterKey is immutable once set', async (t) => {
  const spec = { syncMode: 'Pull' };
  t.same(check('clusterregistrations', cr(spec, { clusterKey: 'Ab3dE9xZ' })), [], 'first set, no old object');
  t.same(check('clusterregistrations', cr(spec, { clusterKey: 'Ab3dE9xZ' }), cr(spec, { clusterKey: '' })), [], 'set over empty');
  t.same(check('clusterregistrations', cr(spec, { clusterKey: 'Ab3dE9xZ' }), cr(spec, { clusterKey: 'Ab3dE9xZ' })), [], 'unchanged');
  t.match(check('clusterregistrations', cr(spec, { clusterKey: 'Zz9yY8xX' }), cr(spec, { clusterKey: 'Ab3dE9xZ' })).join(), /clusterKey is immutable once set/);
  t.match(check('clusterregistrations', cr(spec, { conditions: [] }), cr(spec, { clusterKey: 'Ab3dE9xZ' })).join(), /clusterKey cannot be removed once set/);
  t.match(check('clusterregistrations', cr(spec, { clusterKey: 'short' })).join(), /does not match/);
});

t.test('WorkloadPlacement: numberOfClusters, spread, weights, tolerations, overrides', async (t) => {
  t.same(check('workloadplacements', wp({})), [], 'an empty spec is valid');
  t.match(check('workloadplacements', wp({ numberOfClusters: 0 })).join(), /numberOfClusters must be at least 1/);
  t.same(check('workloadplacements', wp({ numberOfClusters: 3 })), []);

  t.match(check('workloadplacements', wp({ spreadConstraints: [{ topologyKey: 'topology.kubernetes.io/region', maxSkew: 0 }] })).join(), /maxSkew must be at least 1/);
  t.match(check('workloadplacements', wp({ spreadConstraints: [{ topologyKey: 'z', minGroups: 3, maxGroups: 2 }] })).join(), /minGroups must not exceed maxGroups/);
  t.same(check('workloadplacements', wp({ spreadConstraints: [{ topologyKey: 'z', minGroups: 2, maxGroups: 3 }] })), []);

  const staticWeights = { static: [{ clusterSelector: { clusterNames: ['a'] }, weight: 2 }] };
  t.same(check('workloadplacements', wp({ replicaScheduling: { type: 'Divided', weights: staticWeights } })), [], 'Divided with static weights');
  t.same(check('workloadplacements', wp({ replicaScheduling: { type: 'Divided', divisionPreference: 'Weighted', weights: { dynamic: 'AvailableReplicas' } } })), []);
  t.match(check('workloadplacements', wp({ replicaScheduling: { weights: staticWeights } })).join(), /weights are only allowed when type is Divided/, 'defaulted Duplicated');
  t.match(check('workloadplacements', wp({ replicaScheduling: { type: 'Duplicated', divisionPreference: 'Aggregated' } })).join(), /divisionPreference is only allowed when type is Divided/);
  t.match(check('workloadplacements', wp({ replicaScheduling: { type: 'Divided', divisionPreference: 'Aggregated', weights: staticWeights } })).join(), /weights require divisionPreference Weighted/);
  t.match(check('workloadplacements', wp({ replicaScheduling: { type: 'Divided', weights: { ...staticWeights, dynamic: 'AvailableReplicas' } } })).join(), /exactly one of static or dynamic/);
  t.match(check('workloadplacements', wp({ replicaScheduling: { type: 'Divided', weights: {} } })).join(), /exactly one of static or dynamic/);
  t.match(check('workloadplacements', wp({ replicaScheduling: { type: 'Divided', weights: { static: [{ clusterSelector: {}, weight: -1 }] } } })).join(), /weight must not be negative/);

  t.match(check('workloadplacements', wp({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] })).join(), /value must be empty when operator is Exists/);
  t.same(check('workloadplacements', wp({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }, { key: 'k', value: 'v' }] })), []);

  t.match(check('workloadplacements', wp({ overrides: [{ clusterSelector: { locations: ['eu'] } }] })).join(), /an override must set at least one/);
  t.match(check('workloadplacements', wp({ overrides: [{ jsonPatch: [{ op: 'replace', path: '/spec/replicas' }] }] })).join(), /value is required unless op is remove/);
  t.same(check('workloadplacements', wp({ overrides: [{ jsonPatch: [{ op: 'remove', path: '/spec/x' }, { op: 'add', path: '/metadata/labels/a', value: { any: ['json'] } }] }] })), []);
  t.match(check('workloadplacements', wp({ overrides: [{ image: {} }] })).join(), /set at least one of registry, repository or tag/);
  t.match(check('workloadplacements', wp({ pinnedRevision: 0 })).join(), /below minimum 1/);
});

t.test('PlacementDecision: an immutable record', async (t) => {
  const pd = (spec: unknown) => ({ apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'PlacementDecision', metadata: meta, spec });
  const spec = { placementName: 'web', revision: 3, selected: [{ clusterName: 'a', replicas: 2 }] };
  t.same(check('placementdecisions', pd(spec)), []);
  t.same(check('placementdecisions', pd(spec), pd(spec)), [], 'an unchanged update');
  t.match(check('placementdecisions', pd({ ...spec, revision: 4 }), pd(spec)).join(), /immutable record/);
  t.match(check('placementdecisions', pd({ placementName: 'web' })).join(), /spec\.revision: required/);
});

t.test('WorkloadPlacement: locationWorkspace is a workspace path (kcp: root:org:ws), not a name or URL', async (t) => {
  for (const ok of ['root', 'root:org:clusters', 'root:a-1:b', 'user:alice', 'user:alice:lab']) {
    t.same(check('workloadplacements', wp({ locationWorkspace: ok })), [], ok);
  }
  for (const bad of ['2a7x9k3bq1z8yh4p', 'org:clusters', 'user', 'root:', 'root::x', 'root:Org', 'root/org', '/clusters/root:org', 'https://h/clusters/root', 'root:-x', ' root']) {
    t.match(check('workloadplacements', wp({ locationWorkspace: bad })).join(), /locationWorkspace: must be a workspace path, .* such as root:org:clusters/, JSON.stringify(bad));
  }
});
