import t from 'tap';
import { fieldErrorMessage } from '../../src/errors/status.js';
import {
  builtinResourceDefs, configMapDef, coreDefs, deploymentDef, kcpDefs, namespaceDef, secretDef, serviceDef, workloadDefs,
} from '../../src/registry/builtin/index.js';
import { applyDefaults, prune, validateObject, validateStructuralSchema } from '../../src/registry/schema/index.js';
import type { ResourceDef, StrategyContext } from '../../src/registry/types.js';
import type { KubeObject } from '../../src/storage/types.js';

const ctx: StrategyContext = { cluster: 'root', namespace: 'default', user: { name: 'u', groups: [] }, dryRun: false, subresource: '' };
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: 0.5 } } }] } };
const selector = { matchLabels: { app: 'web' } };

/** Per resource: the fields beyond apiVersion/kind/metadata a minimal real manifest carries. */
const samples: Record<string, Record<string, unknown>> = {
  'events': { involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Started' },
  'events.k8s.io/events': { eventTime: '2024-01-01T00:00:00.000000Z', regarding: { kind: 'Pod', name: 'p' } },
  'rbac.authorization.k8s.io/rolebindings': { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'alice' }] },
  'rbac.authorization.k8s.io/clusterrolebindings': { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' } },
  'rbac.authorization.k8s.io/roles': { rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
  'apiextensions.k8s.io/customresourcedefinitions': { spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] } },
  'apps/deployments': { spec: { replicas: 2, selector, template, strategy: {} }, status: {} },
  'apps/statefulsets': { spec: { selector, template, serviceName: 'web' } },
  'apps/daemonsets': { spec: { selector, template } },
  'batch/jobs': { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } } } },
  'batch/cronjobs': { spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } },
  'services': { spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
  'networking.k8s.io/ingresses': { spec: { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] } },
  'persistentvolumeclaims': { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
  'nodes': { status: { capacity: { cpu: '4', memory: '8Gi', pods: 110 }, conditions: [{ type: 'Ready', status: 'True' }] } },
  'tenancy.kcp.io/workspaces': { spec: { type: { name: 'universal', path: 'root' } } },
  'tenancy.kcp.io/workspacetypes': { spec: { extend: { with: [{ name: 'universal', path: 'root' }] }, limitAllowedParents: { types: [{ name: 'root', path: 'root' }] } } },
  'core.kcp.io/logicalclusters': { spec: { owner: { apiVersion: 'tenancy.kcp.io/v1alpha1', resource: 'workspaces', name: 'a', cluster: 'root', uid: 'u' } } },
  'apis.kcp.io/apiresourceschemas': { spec: { group: 'tmc.kcp.io', scope: 'Cluster', names: { plural: 'things', kind: 'Thing' }, versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { type: 'object' } }] } },
  'apis.kcp.io/apiexports': { spec: { latestResourceSchemas: ['v1.things.tmc.kcp.io'] } },
  'authorization.k8s.io/selfsubjectaccessreviews': { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } },
  'authorization.k8s.io/subjectaccessreviews': { spec: { user: 'alice', nonResourceAttributes: { verb: 'get', path: '/healthz' } } },
  'authorization.k8s.io/localsubjectaccessreviews': { spec: { groups: ['dev'], resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } } },
  'authorization.k8s.io/selfsubjectrulesreviews': { spec: { namespace: 'default' } },
  'apis.kcp.io/apiexportendpointslices': { spec: { export: { path: 'root:tmc', name: 'tmc.kcp.io' } } },
  'apis.kcp.io/apibindings': { spec: { reference: { export: { path: 'root:tmc', name: 'tmc.kcp.io' } } } },
};

const key = (d: ResourceDef) => (d.group ? `${d.group}/${d.resource}` : d.resource);
function sample(d: ResourceDef): KubeObject {
  return {
    apiVersion: d.group ? `${d.group}/${d.version}` : d.version, kind: d.kind,
    metadata: { name: d.resource === 'customresourcedefinitions' ? 'widgets.example.com' : 'sample', ...(d.namespaced ? { namespace: 'default' } : {}), creationTimestamp: null as unknown as string },
    ...structuredClone(samples[key(d)] ?? {}),
  };
}

t.test('every built-in def is complete and its schema structural', async (t) => {
  const defs = builtinResourceDefs();
  t.equal(new Set(defs.map((d) => `${key(d)}@${d.version}`)).size, defs.length, 'no duplicates');
  for (const d of defs) {
    t.ok(d.schema, `${key(d)} has a schema`);
    t.same(validateStructuralSchema(d.schema, key(d), { builtin: true }).map(fieldErrorMessage), [], `${key(d)} schema is structural`);
    t.ok(d.schema!.description && d.schema!.properties!.metadata.description, `${key(d)} carries descriptions`);
    // create-only review kinds are never stored, so never listed as a table
    const stored = d.verbs.includes('get');
    if (stored) t.ok(d.printerColumns.some((c) => c.name === 'Age' || c.name === 'Created At' || c.name === 'Last Seen'), `${key(d)} has a time column`);
    t.equal(d.builtin, true);
  }
});

t.test('a realistic sample of every built-in passes pruning, defaulting and validation', async (t) => {
  for (const d of builtinResourceDefs()) {
    const o = sample(d);
    const removed = prune(d.schema!, o);
    t.same(removed, [], `${key(d)}: nothing pruned`);
    applyDefaults(d.schema!, o);
    d.strategy?.prepareForCreate?.(o, ctx);
    const errs = [...validateObject(d.schema!, o), ...((await d.strategy?.validate?.(o, ctx)) ?? [])];
    t.same(errs.map(fieldErrorMessage), [], `${key(d)}: valid`);
  }
});

t.test('mode groups', async (t) => {
  t.ok(coreDefs().some((d) => d.resource === 'namespaces' && d.shortNames?.includes('ns') && !d.namespaced));
  t.same(workloadDefs().map(key).sort(), ['apps/daemonsets', 'apps/deployments', 'apps/statefulsets', 'batch/cronjobs', 'batch/jobs', 'networking.k8s.io/ingresses', 'persistentvolumeclaims', 'services']);
  t.same(kcpDefs().map((d) => `${d.resource}.${d.version}`), ['workspaces.v1alpha1', 'workspacetypes.v1alpha1', 'logicalclusters.v1alpha1', 'apiresourceschemas.v1alpha1',
    'apiexports.v1alpha1', 'apibindings.v1alpha1', 'apiexports.v1alpha2', 'apibindings.v1alpha2', 'apiexportendpointslices.v1alpha1']);
  t.same(kcpDefs().filter((d) => d.storedAs).map((d) => d.storedAs), ['apis.kcp.io/apiexports@v1alpha2', 'apis.kcp.io/apibindings@v1alpha2'], 'v1alpha2 is stored as v1alpha1');
  t.ok(kcpDefs().every((d) => !d.namespaced));
});

t.test('deployments: defaults, SMP metadata, columns, subresources', async (t) => {
  const d = deploymentDef();
  t.same(d.subresources, { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } });
  const containers = d.schema!.properties!.spec.properties!.template.properties!.spec.properties!.containers;
  t.match(containers, { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] });
  t.equal(containers.items!.properties!.ports['x-kubernetes-patch-merge-key'], 'containerPort');
  t.equal(containers.items!.properties!.volumeMounts['x-kubernetes-patch-merge-key'], 'mountPath');
  const o: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { selector, template: structuredClone(template) }, status: { readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 } };
  applyDefaults(d.schema!, o);
  t.equal(o.spec.replicas, 1, 'replicas defaults to 1');
  t.equal(o.spec.template.spec.containers[0].ports[0].protocol, 'TCP');
  o.spec.replicas = 3;
  t.same(d.printerColumns.filter((c) => !c.priority).map((c) => c.name), ['Ready', 'Up-to-date', 'Available', 'Age']);
  t.equal(d.printerColumns[0].compute!(o), '1/3');
  t.same(validateObject(d.schema!, { ...o, spec: { ...o.spec, replicas: 'three' } }).map((e) => e.field), ['spec.replicas']);
  const unknown = { ...structuredClone(o), spec: { ...structuredClone(o.spec), replicaz: 2 } };
  t.same(prune(d.schema!, unknown), ['spec.replicaz'], 'spec lists every field kube has: a typo is an unknown field');
  const known = { ...structuredClone(o), spec: { ...structuredClone(o.spec), minReadySeconds: 5 } };
  known.spec.template.spec.topologySpreadConstraints = [{ maxSkew: 1 }];
  t.same(prune(d.schema!, known), [], 'fields kube has but the schema does not model are kept');
  const badContainer = structuredClone(o);
  badContainer.spec.template.spec.containers.push({ name: 'web', image: 'x' });
  t.same(validateObject(d.schema!, badContainer).map(fieldErrorMessage), ['spec.template.spec.containers[1]: Duplicate value: map[string]interface {}{"name":"web"}']);
});

t.test('configmaps and secrets', async (t) => {
  const cm = configMapDef();
  const o: KubeObject = { metadata: { name: 'c', namespace: 'd' }, data: { a: '1', 'bad key': '2' }, binaryData: { a: 'AA==' } };
  t.equal(cm.printerColumns[0].compute!(o), 3, 'DATA counts data and binaryData keys');
  t.same((await cm.strategy!.validate!(o, ctx)).map(fieldErrorMessage), [
    `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    'binaryData[a]: Invalid value: "a": duplicate of key present in data',
  ]);
  const immutable = { metadata: { name: 'c' }, immutable: true, data: { a: '1' } };
  t.same((await cm.strategy!.validateUpdate!({ ...immutable, data: { a: '2' } }, immutable, ctx)).map(fieldErrorMessage),
    ['data: Forbidden: field is immutable when `immutable` is set']);

  const sec = secretDef();
  const s: KubeObject = { metadata: { name: 's', namespace: 'd' }, stringData: { user: 'admin' }, data: { pw: 'not base64!' } };
  applyDefaults(sec.schema!, s);
  t.equal(s.type, 'Opaque', 'type defaults to Opaque');
  sec.strategy!.prepareForCreate!(s, ctx);
  t.equal(s.data.user, Buffer.from('admin').toString('base64'), 'stringData folded into data');
  t.notOk('stringData' in s);
  t.same(validateObject(sec.schema!, s).map(fieldErrorMessage), ['data.pw: Invalid value: "not base64!": data.pw in body must be of type byte: "not base64!"']);
  t.same(sec.printerColumns.map((c) => c.name), ['Type', 'Data', 'Age']);
  const tls = { metadata: { name: 't' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'AA==' } };
  t.same((await sec.strategy!.validate!(tls, ctx)).map(fieldErrorMessage), ['data[tls.key]: Required value']);
});

t.test('namespaces and services get server-set fields', async (t) => {
  const ns: KubeObject = { metadata: { name: 'team-a' } };
  namespaceDef().strategy!.prepareForCreate!(ns, ctx);
  t.equal(ns.status.phase, 'Active');
  t.same(namespaceDef().strategy!.validateName!('Team.A').length > 0, true, 'namespace names are DNS labels');

  const svc = serviceDef();
  const o: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80, nodePort: 30080 }] } };
  applyDefaults(svc.schema!, o);
  svc.strategy!.prepareForCreate!(o, ctx);
  t.match(o.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  const cells = Object.fromEntries(svc.printerColumns.map((c) => [c.name, c.compute ? c.compute(o) : undefined]));
  t.match(cells, { 'External-IP': '<none>', 'Port(s)': '80:30080/TCP' });
  t.equal(o.spec.type, 'ClusterIP');
});
