/**
 * The generated CRDs and APIResourceSchemas are structurally sane, agree with each other and with
 * the TS data the server boots from, carry every field of DESIGN.md §4, and show the printer
 * columns docs/api.md promises.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { structuralProblems, type SchemaNode } from '../../hack/codegen/structural.js';
import {
  TMC_API_EXPORT, TMC_API_EXPORT_WORKSPACE, TMC_API_RESOURCE_SCHEMAS, TMC_CLAIM_IDENTITY_SOURCES,
  tmcAPIExportWithIdentities, tmcAPIResourceSchema, type OpenAPIV3Schema,
} from '../../src/apis/tmc/schemas.js';
import { CLUSTER_REGISTRATIONS, PLACEMENT_DECISIONS, RESOURCES, WORKLOAD_PLACEMENTS, GROUP_VERSION } from '../../src/apis/tmc/gvr.js';
import type { ClusterRegistration, WorkloadPlacement, PlacementDecision, ClusterRegistrationList } from '../../src/apis/tmc/v1alpha1.js';
import { apiResourceSchemaNameOf } from '../../src/machinery/schema-names.js';
import type { JSONSchemaProps } from '../../src/registry/types.js';
import type { KubeObject } from '../../src/storage/types.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PLURALS = ['clusterregistrations', 'workloadplacements', 'placementdecisions'];

// Compile-time contracts: the schema data is what the registry consumes, and the generated kinds
// are storable objects. A type error here fails the build.
const _schemaIsJSONSchemaProps: JSONSchemaProps = TMC_API_RESOURCE_SCHEMAS[0]!.spec.versions[0]!.schema;
const _openAPIIsAssignable = (s: OpenAPIV3Schema): JSONSchemaProps => s;
const _kindsAreKubeObjects = (a: ClusterRegistration, b: WorkloadPlacement, c: PlacementDecision): KubeObject[] => [a, b, c];
void _schemaIsJSONSchemaProps; void _openAPIIsAssignable; void _kindsAreKubeObjects;

async function loadYAML(path: string): Promise<any> {
  return YAML.parse(await readFile(join(ROOT, path), 'utf8'));
}
const crds = Promise.all(PLURALS.map((p) => loadYAML(`manifests/crds/tmc.kcp.io_${p}.yaml`)));
const schemaOf = async (plural: string): Promise<SchemaNode> =>
  (await crds)[PLURALS.indexOf(plural)].spec.versions[0].schema.openAPIV3Schema;

/** The schema node at a dotted path; `[]` steps into array items, `{}` into map values. */
function nodeAt(schema: SchemaNode, path: string): SchemaNode | undefined {
  let node: any = schema;
  for (const step of path.split('.').filter(Boolean)) {
    if (step === '[]') node = node?.items;
    else if (step === '{}') node = node?.additionalProperties;
    else node = node?.properties?.[step];
    if (!node) return undefined;
  }
  return node;
}

t.test('CRDs are structural', async (t) => {
  for (const [i, crd] of (await crds).entries()) {
    t.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
    t.equal(crd.metadata.name, `${PLURALS[i]}.tmc.kcp.io`);
    const problems = structuralProblems(crd.spec.versions[0].schema.openAPIV3Schema);
    t.same(problems, [], `${crd.metadata.name}: ${problems.join('; ')}`);
    t.notMatch(JSON.stringify(crd), /"\$ref"|"x-tmc-/, 'no $ref or codegen extension left');
  }
});

t.test('the structural checker catches what the API server rejects', async (t) => {
  const bad = (s: SchemaNode): string => structuralProblems(s).join('\n');
  t.match(bad({ type: 'object', properties: { a: { description: 'no type' } } }), /\.a: missing type/);
  t.match(bad({ type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', properties: { k: { type: 'string' } } } }), /map key k must be required or defaulted/);
  t.match(bad({ type: 'string', enum: ['A'], default: 'B' }), /not in the enum/);
  t.match(bad({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } }), /mutually exclusive/);
  t.match(bad({ anyOf: [{ type: 'string' }, { type: 'integer' }], 'x-kubernetes-int-or-string': true }), /int-or-string anyOf/);
  t.match(bad({ type: 'object', anyOf: [{ type: 'string' }] }), /type is not allowed inside anyOf/);
  t.match(bad({ type: 'object', properties: { a: { $ref: '#/x', type: 'string' } } }), /\$ref left/);
  t.same(structuralProblems({ anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true, pattern: '^x' }), []);
  t.same(structuralProblems({ 'x-kubernetes-preserve-unknown-fields': true }), []);
});

t.test('APIResourceSchemas: manifests, TS data and CRDs agree', async (t) => {
  t.equal(TMC_API_RESOURCE_SCHEMAS.length, 3);
  for (const [i, plural] of PLURALS.entries()) {
    const data = tmcAPIResourceSchema(plural);
    t.ok(data, `TS data for ${plural}`);
    // named by content, so a release that changes a schema ships it under a new name
    t.match(data!.metadata.name, new RegExp(`^v[0-9a-f]{8}\\.${plural}\\.tmc\\.kcp\\.io$`));
    t.equal(data!.metadata.name, apiResourceSchemaNameOf(data!.spec), `${plural}: the name is the hash of the spec`);
    const yaml = await loadYAML(`manifests/apiresourceschemas/${data!.metadata.name}.yaml`);
    t.same(yaml, data, `${plural}: YAML manifest equals the TS data`);
    // the CRD's spec but for kcp's shape: a version carries its schema directly, not in openAPIV3Schema
    const crdSpec = structuredClone((await crds)[i].spec);
    for (const v of crdSpec.versions) v.schema = v.schema.openAPIV3Schema;
    t.same(yaml.spec, crdSpec, `${plural}: same spec as the CRD, in kcp's shape`);
    t.notOk(yaml.spec.versions[0].schema.openAPIV3Schema, `${plural}: no CRD wrapper`);
  }
  t.equal(tmcAPIResourceSchema('nope'), undefined);
  t.same(TMC_API_RESOURCE_SCHEMAS.map((s) => s.spec.scope), ['Cluster', 'Namespaced', 'Namespaced']);
  t.same(TMC_API_RESOURCE_SCHEMAS.map((s) => !!s.spec.versions[0]!.subresources?.status), [true, true, false], 'status subresource where there is a status');
});

t.test('APIExport lists the schemas and claims the workloads', async (t) => {
  const yaml = await loadYAML('manifests/apiexports/tmc.kcp.io.yaml');
  t.same(yaml, TMC_API_EXPORT, 'YAML manifest equals the TS data');
  t.equal(TMC_API_EXPORT.metadata.name, 'tmc.kcp.io');
  t.equal(TMC_API_EXPORT_WORKSPACE, 'root:tmc');
  t.same(TMC_API_EXPORT.spec.latestResourceSchemas, TMC_API_RESOURCE_SCHEMAS.map((s) => s.metadata.name));
  const claims = TMC_API_EXPORT.spec.permissionClaims.map((c) => `${c.resource}.${c.group || 'core'}${c.all ? '' : ' (not all)'}`).sort();
  t.same(claims, [
    'configmaps.core', 'daemonsets.apps', 'deployments.apps', 'events.core', 'ingresses.networking.k8s.io', 'jobs.batch',
    'namespaces.core', 'persistentvolumeclaims.core', 'secrets.core', 'services.core', 'statefulsets.apps',
  ]);
  const needIdentity = TMC_CLAIM_IDENTITY_SOURCES.map((c) => c.resource).sort();
  t.same(needIdentity, ['daemonsets', 'deployments', 'ingresses', 'jobs', 'persistentvolumeclaims', 'services', 'statefulsets'], 'workload claims come from the kubernetes export');
  const filled = tmcAPIExportWithIdentities((path, name) => (path === 'root:compute' && name === 'kubernetes' ? 'abc123' : undefined));
  t.equal(filled.spec.permissionClaims.find((c) => c.resource === 'deployments')?.identityHash, 'abc123');
  t.equal(filled.spec.permissionClaims.find((c) => c.resource === 'secrets')?.identityHash, undefined, 'built-ins need none');
  t.equal(TMC_API_EXPORT.spec.permissionClaims.find((c) => c.resource === 'deployments')?.identityHash, undefined, 'the shared data is not mutated');
  t.throws(() => tmcAPIExportWithIdentities(() => undefined), /no identity hash for APIExport root:compute:kubernetes/);
});

t.test('GVR constants', async (t) => {
  t.same(CLUSTER_REGISTRATIONS, { group: 'tmc.kcp.io', version: 'v1alpha1', resource: 'clusterregistrations' });
  t.same(WORKLOAD_PLACEMENTS, { group: 'tmc.kcp.io', version: 'v1alpha1', resource: 'workloadplacements' });
  t.same(PLACEMENT_DECISIONS, { group: 'tmc.kcp.io', version: 'v1alpha1', resource: 'placementdecisions' });
  t.equal(GROUP_VERSION, 'tmc.kcp.io/v1alpha1');
  t.same(RESOURCES.map((r) => [r.gvr.resource, r.kind, r.namespaced]), [
    ['clusterregistrations', 'ClusterRegistration', false],
    ['workloadplacements', 'WorkloadPlacement', true],
    ['placementdecisions', 'PlacementDecision', true],
  ]);
  // The list type is usable as a value type.
  const list: ClusterRegistrationList = { apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistrationList', metadata: {}, items: [] };
  t.equal(list.items.length, 0);
});

/** Every field DESIGN.md §4 names, as schema paths. */
const FIELDS: Record<string, string[]> = {
  clusterregistrations: [
    'spec.location', 'spec.clusterEndpoint.serverURL', 'spec.clusterEndpoint.caBundle',
    'spec.clusterEndpoint.secretRef.namespace', 'spec.clusterEndpoint.secretRef.name', 'spec.syncMode',
    'spec.capacity.cpu', 'spec.capacity.memory', 'spec.capacity.pods', 'spec.taints.[].key', 'spec.taints.[].value',
    'spec.taints.[].effect', 'spec.taints.[].timeAdded', 'spec.unschedulable', 'spec.evictAfter', 'spec.supportedResources.[]',
    'status.conditions.[].type', 'status.conditions.[].status', 'status.conditions.[].reason', 'status.conditions.[].message',
    'status.conditions.[].lastTransitionTime', 'status.conditions.[].observedGeneration', 'status.lastHeartbeatTime',
    'status.capacity.{}', 'status.allocatable.{}', 'status.allocated.{}', 'status.capabilities.kubernetesVersion',
    'status.capabilities.nodeCount', 'status.capabilities.apiResources.[]', 'status.syncedResources.[]',
    'status.virtualWorkspaces.[].url', 'status.clusterKey',
  ],
  workloadplacements: [
    'spec.workloadSelector.workloadTypes.[].group', 'spec.workloadSelector.workloadTypes.[].kind',
    'spec.workloadSelector.labelSelector.matchLabels', 'spec.workloadSelector.labelSelector.matchExpressions',
    'spec.workloadSelector.names.[]', 'spec.clusterSelector.clusterNames', 'spec.clusterSelector.labelSelector',
    'spec.clusterSelector.locations', 'spec.clusterSelector.expression', 'spec.locationWorkspace', 'spec.numberOfClusters',
    'spec.spreadConstraints.[].topologyKey', 'spec.spreadConstraints.[].maxSkew', 'spec.spreadConstraints.[].minGroups',
    'spec.spreadConstraints.[].maxGroups', 'spec.replicaScheduling.type', 'spec.replicaScheduling.divisionPreference',
    'spec.replicaScheduling.weights.static.[].clusterSelector', 'spec.replicaScheduling.weights.static.[].weight',
    'spec.replicaScheduling.weights.dynamic', 'spec.tolerations.[].key', 'spec.tolerations.[].operator',
    'spec.tolerations.[].value', 'spec.tolerations.[].effect', 'spec.tolerations.[].tolerationSeconds',
    'spec.prioritizers.mode', 'spec.prioritizers.configurations.[].name', 'spec.prioritizers.configurations.[].weight',
    'spec.rules.[].expression', 'spec.rules.[].message', 'spec.overrides.[].clusterSelector',
    'spec.overrides.[].jsonPatch.[].op', 'spec.overrides.[].jsonPatch.[].path', 'spec.overrides.[].jsonPatch.[].value',
    'spec.overrides.[].image', 'spec.overrides.[].labels', 'spec.overrides.[].annotations', 'spec.failover.tolerationSeconds',
    'spec.failover.purgeMode', 'spec.conflictResolution', 'spec.priority', 'spec.pinnedRevision',
    'status.phase', 'status.observedGeneration', 'status.conditions.[].type', 'status.decisions.[].clusterName',
    'status.decisions.[].clusterKey', 'status.decisions.[].replicas', 'status.decisions.[].score', 'status.decisions.[].reason',
    'status.placedWorkloads.[].workloadRef.group', 'status.placedWorkloads.[].workloadRef.version',
    'status.placedWorkloads.[].workloadRef.kind', 'status.placedWorkloads.[].workloadRef.namespace',
    'status.placedWorkloads.[].workloadRef.name', 'status.placedWorkloads.[].clusters.[].clusterName',
    'status.placedWorkloads.[].clusters.[].state', 'status.placedWorkloads.[].clusters.[].replicas',
    'status.placedWorkloads.[].clusters.[].ready', 'status.placedWorkloads.[].clusters.[].message',
    'status.lastPlacementTime', 'status.currentRevision',
  ],
  placementdecisions: [
    'spec.placementName', 'spec.revision', 'spec.time', 'spec.trigger', 'spec.evaluation.considered',
    'spec.evaluation.filters.[].plugin', 'spec.evaluation.filters.[].verdicts.[].passed', 'spec.evaluation.filters.[].verdicts.[].reason',
    'spec.evaluation.filters.[].verdicts.[].message', 'spec.evaluation.filters.[].verdicts.[].clusters',
    'spec.evaluation.scores.clusters', 'spec.evaluation.scores.totals', 'spec.evaluation.scores.plugins.[].plugin',
    'spec.evaluation.scores.plugins.[].weight', 'spec.evaluation.scores.plugins.[].scores', 'spec.selected.[].clusterName',
    'spec.selected.[].clusterKey', 'spec.selected.[].replicas', 'spec.previous.[].clusterName', 'spec.previous.[].replicas',
    'spec.unschedulable.reason', 'spec.unschedulable.message',
  ],
};

t.test('every DESIGN.md §4 field is in the schemas, described', async (t) => {
  for (const [plural, paths] of Object.entries(FIELDS)) {
    const schema = await schemaOf(plural);
    for (const p of paths) {
      const node = nodeAt(schema, p);
      t.ok(node, `${plural}: ${p}`);
      if (node && !p.endsWith('[]') && !p.endsWith('{}')) t.ok(node['description'], `${plural}: ${p} has a description`);
    }
  }
});

t.test('every spec and status field has a description (kubectl explain)', async (t) => {
  const missing: string[] = [];
  const walk = (node: any, path: string): void => {
    for (const [name, child] of Object.entries((node?.properties ?? {}) as Record<string, any>)) {
      if (!child.description && !(!path.includes('.') && name === 'metadata')) missing.push(`${path}.${name}`);
      walk(child, `${path}.${name}`);
      if (child.items) walk(child.items, `${path}.${name}[]`);
    }
  };
  for (const plural of PLURALS) walk(await schemaOf(plural), plural);
  t.same(missing, []);
});

t.test('defaults, enums and list annotations', async (t) => {
  const cr = await schemaOf('clusterregistrations');
  const wp = await schemaOf('workloadplacements');
  t.equal(nodeAt(cr, 'spec.syncMode')?.['default'], 'Push');
  t.same(nodeAt(cr, 'spec.syncMode')?.['enum'], ['Push', 'Pull']);
  t.equal(nodeAt(cr, 'spec.unschedulable')?.['default'], false);
  t.same(nodeAt(cr, 'spec.taints.[].effect')?.['enum'], ['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
  t.equal(nodeAt(cr, 'spec.evictAfter')?.['format'], 'date-time');
  t.equal(nodeAt(cr, 'spec.capacity.cpu')?.['x-kubernetes-int-or-string'], true);
  t.equal((nodeAt(cr, 'status.capacity.{}'))?.['x-kubernetes-int-or-string'], true);
  t.same(nodeAt(cr, 'spec.taints')?.['x-kubernetes-list-map-keys'], ['key', 'effect']);
  t.same(nodeAt(cr, 'status.conditions')?.['x-kubernetes-list-map-keys'], ['type']);
  t.same(nodeAt(wp, 'status.conditions')?.['x-kubernetes-list-map-keys'], ['type']);
  t.same(nodeAt(wp, 'status.decisions')?.['x-kubernetes-list-map-keys'], ['clusterName']);
  t.same(nodeAt(wp, 'spec.replicaScheduling.type')?.['enum'], ['Duplicated', 'Divided']);
  t.equal(nodeAt(wp, 'spec.replicaScheduling.type')?.['default'], 'Duplicated');
  t.same(nodeAt(wp, 'spec.replicaScheduling.divisionPreference')?.['enum'], ['Weighted', 'Aggregated']);
  t.same(nodeAt(wp, 'spec.replicaScheduling.weights.dynamic')?.['enum'], ['AvailableReplicas']);
  t.same(nodeAt(wp, 'spec.tolerations.[].operator')?.['enum'], ['Equal', 'Exists']);
  t.same(nodeAt(wp, 'spec.prioritizers.mode')?.['enum'], ['Additive', 'Exact']);
  t.same(nodeAt(wp, 'spec.failover.purgeMode')?.['enum'], ['Graceful', 'Immediately', 'Never']);
  t.same(nodeAt(wp, 'spec.conflictResolution')?.['enum'], ['Abort', 'Overwrite']);
  t.equal(nodeAt(wp, 'spec.conflictResolution')?.['default'], 'Abort');
  t.same(nodeAt(wp, 'status.phase')?.['enum'], ['Pending', 'Scheduled', 'PartiallyScheduled', 'Failed']);
  t.equal(nodeAt(wp, 'spec.numberOfClusters')?.['minimum'], 1);
  t.equal(nodeAt(wp, 'spec.workloadSelector.labelSelector')?.['x-kubernetes-map-type'], 'atomic');
  t.equal(nodeAt(wp, 'spec.overrides.[].jsonPatch.[].value')?.['x-kubernetes-preserve-unknown-fields'], true);
  t.same(cr['required'], ['spec'], 'apiVersion/kind/metadata are left to the API server');
});

interface Column { name: string; type: string; jsonPath: string; priority?: number }
const columns = (plural: string): Column[] => tmcAPIResourceSchema(plural)!.spec.versions[0]!.additionalPrinterColumns as Column[];

t.test('printer columns', async (t) => {
  const show = (plural: string, priority: number): string[] =>
    columns(plural).filter((c) => (c.priority ?? 0) === priority).map((c) => `${c.name}=${c.jsonPath}`);
  t.same(show('clusterregistrations', 0), [
    'Location=.spec.location', 'Ready=.status.conditions[?(@.type=="Ready")].status',
    'Unschedulable=.spec.unschedulable', 'Age=.metadata.creationTimestamp',
  ]);
  t.same(show('clusterregistrations', 1), ['Sync Mode=.spec.syncMode', 'Endpoint=.spec.clusterEndpoint.serverURL', 'Cluster Key=.status.clusterKey']);
  t.same(show('workloadplacements', 0), ['Phase=.status.phase', 'Clusters=.status.decisions[*].clusterName', 'Age=.metadata.creationTimestamp']);
  t.same(show('workloadplacements', 1), ['Revision=.status.currentRevision', 'Pinned=.spec.pinnedRevision', 'Priority=.spec.priority']);
  t.same(show('placementdecisions', 0), [
    'Placement=.spec.placementName', 'Revision=.spec.revision', 'Trigger=.spec.trigger',
    'Selected=.spec.selected[*].clusterName', 'Age=.metadata.creationTimestamp',
  ]);
  // Every column points at a field that exists, with a matching type.
  for (const plural of PLURALS) {
    const schema = await schemaOf(plural);
    for (const c of columns(plural)) {
      if (c.jsonPath === '.metadata.creationTimestamp') { t.equal(c.type, 'date'); continue; }
      const path = c.jsonPath.replace(/\[\?\(@\.type=="\w+"\)\]/g, '.[]').replace(/\[\*\]/g, '.[]').slice(1);
      const node = nodeAt(schema, path);
      t.ok(node, `${plural} column ${c.name}: ${c.jsonPath} exists`);
      const want = node?.['type'] === 'integer' ? 'integer' : node?.['type'] === 'boolean' ? 'boolean' : 'string';
      t.equal(c.type, want, `${plural} column ${c.name} type`);
    }
  }
});
