/**
 * The APIExport/APIBinding decisions as a table: inputs (binding, export, schemas, what the
 * workspace serves) → status and serving decision. No server, no store.
 */
import t from 'tap';
import type { ResourceDef } from '../../../src/registry/types.js';
import type { KubeObject } from '../../../src/storage/types.js';
import { createMergePatch } from '../../../src/controllers/merge-patch.js';
import { exportReference, exportStatus, reconcileBinding, type BindingInputs } from '../../../src/tenancy/apis/apibinding-reconcile.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:05:00Z';
const HASH = 'a'.repeat(64);

function schema(name: string, group: string, plural: string): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIResourceSchema', metadata: { name, uid: `uid-${name}` },
    spec: {
      group, scope: 'Namespaced', names: { plural, singular: plural.slice(0, -1), kind: plural[0].toUpperCase() + plural.slice(1, -1), listKind: 'List' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }],
    },
  };
}

const WIDGETS = schema('v1.widgets.example.com', 'example.com', 'widgets');

function anExport(opts: { identity?: boolean; schemas?: string[]; claims?: unknown[] } = {}): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExport', metadata: { name: 'widgets' },
    spec: { latestResourceSchemas: opts.schemas ?? [WIDGETS.metadata.name], ...(opts.claims ? { permissionClaims: opts.claims } : {}) },
    ...(opts.identity === false ? {} : { status: { identityHash: HASH } }),
  };
}

function aBinding(status?: Record<string, unknown>, claims?: unknown[]): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name: 'widgets' },
    spec: { reference: { export: { path: 'root:provider', name: 'widgets' } }, ...(claims ? { permissionClaims: claims } : {}) },
    ...(status ? { status } : {}),
  };
}

function inputs(over: Partial<BindingInputs> = {}): BindingInputs {
  const schemas = new Map([[WIDGETS.metadata.name!, WIDGETS]]);
  return {
    binding: aBinding(), cluster: 'root:consumer', export: anExport(),
    schema: (n) => schemas.get(n),
    served: { crdDefs: [], otherBindingDefs: [], resolve: () => undefined },
    now: T0,
    ...over,
  };
}

const cond = (status: Record<string, unknown>, type: string) =>
  ((status.conditions ?? []) as Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>).find((c) => c.type === type);

interface Row {
  name: string;
  in: Partial<BindingInputs>;
  phase: string;
  serving: 'serve' | 'unserve' | 'keep';
  conditions: Record<string, string>;
  reason?: [string, string];
  message?: [string, RegExp];
}

const bound = { phase: 'Bound' };
const rows: Row[] = [
  { name: 'export missing → Binding, nothing served', in: { export: undefined }, phase: 'Binding', serving: 'unserve',
    conditions: { APIExportValid: 'False', Ready: 'False' }, reason: ['APIExportValid', 'APIExportNotFound'],
    message: ['APIExportValid', /APIExport root:provider:widgets not found/] },
  { name: 'export without identity yet → as missing', in: { export: anExport({ identity: false }) }, phase: 'Binding', serving: 'unserve',
    conditions: { APIExportValid: 'False', Ready: 'False' }, reason: ['Ready', 'APIExportNotFound'] },
  { name: 'a Bound binding whose export went away stays Bound but serves nothing', in: { export: undefined, binding: aBinding(bound) },
    phase: 'Bound', serving: 'unserve', conditions: { APIExportValid: 'False', Ready: 'False' } },
  { name: 'schema missing, never bound → Binding, InitialBindingCompleted False, nothing served',
    in: { export: anExport({ schemas: [WIDGETS.metadata.name!, 'v1.gadgets.example.com'] }) }, phase: 'Binding', serving: 'unserve',
    conditions: { APIExportValid: 'False', InitialBindingCompleted: 'False', Ready: 'False' }, reason: ['APIExportValid', 'APIResourceSchemaNotFound'],
    message: ['APIExportValid', /APIResourceSchema root:provider:v1\.gadgets\.example\.com that does not exist/] },
  { name: 'schema missing, already Bound → keeps serving what it served, Ready False',
    in: { binding: aBinding(bound), export: anExport({ schemas: ['v1.gadgets.example.com'] }) }, phase: 'Bound', serving: 'keep',
    conditions: { APIExportValid: 'False', Ready: 'False' } },
  { name: 'two schemas missing → both named, plural wording',
    in: { export: anExport({ schemas: ['a.x', 'b.x'] }) }, phase: 'Binding', serving: 'unserve', conditions: { Ready: 'False' },
    message: ['Ready', /APIResourceSchemas root:provider:a\.x, root:provider:b\.x that do not exist/] },
  { name: 'everything there → Bound, served, all conditions True', in: {}, phase: 'Bound', serving: 'serve',
    conditions: { APIExportValid: 'True', InitialBindingCompleted: 'True', BindingUpToDate: 'True', PermissionClaimsValid: 'True', Ready: 'True' } },
  { name: 'a CRD serves the same resource → NamingConflict, nothing served',
    in: { served: { crdDefs: [{ group: 'example.com', resource: 'widgets', version: 'v1', source: 'crd' }], otherBindingDefs: [], resolve: () => undefined } },
    phase: 'Binding', serving: 'unserve', conditions: { BindingUpToDate: 'False', Ready: 'False' }, reason: ['Ready', 'NamingConflict'],
    message: ['Ready', /widgets\.example\.com is already served by a CustomResourceDefinition/] },
  { name: 'another binding serves it → NamingConflict naming that binding',
    in: { served: { crdDefs: [], otherBindingDefs: [{ group: 'example.com', resource: 'widgets', version: 'v1', source: 'binding:other' }], resolve: () => undefined } },
    phase: 'Binding', serving: 'unserve', conditions: { Ready: 'False' }, message: ['Ready', /already bound by binding:other/] },
  { name: 'a Bound binding that now conflicts stays Bound and stops serving',
    in: { binding: aBinding(bound), served: { crdDefs: [{ group: 'example.com', resource: 'widgets', version: 'v2', source: 'crd' }], otherBindingDefs: [], resolve: () => undefined } },
    phase: 'Bound', serving: 'unserve', conditions: { BindingUpToDate: 'False' } },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const { status, serving } = reconcileBinding(inputs(row.in));
    t.equal(status.phase, row.phase, 'phase');
    t.equal(serving.action, row.serving, 'serving');
    for (const [type, want] of Object.entries(row.conditions)) t.equal(cond(status, type)?.status, want, `${type}=${want}`);
    if (row.reason) t.equal(cond(status, row.reason[0])?.reason, row.reason[1], `${row.reason[0]} reason`);
    if (row.message) t.match(cond(status, row.message[0])?.message, row.message[1], `${row.message[0]} message`);
  });
}

t.test('a served binding: defs carry the identity, status names the bound resources and accepted claims only', async (t) => {
  const claims = [{ group: '', resource: 'configmaps' }, { group: '', resource: 'secrets' }];
  const { status, serving } = reconcileBinding(inputs({
    export: anExport({ claims }),
    binding: aBinding(undefined, [{ group: '', resource: 'configmaps', state: 'Accepted' }, { group: '', resource: 'secrets', state: 'Rejected' }]),
  }));
  if (serving.action !== 'serve') throw new Error('expected serve');
  t.same(serving.defs.map((d) => [d.group, d.resource, d.version, d.identityHash, d.source]), [['example.com', 'widgets', 'v1', HASH, 'binding:widgets']]);
  t.same(serving.bound, { cluster: 'root:provider', name: 'widgets', identityHash: HASH, claims: [{ group: '', resource: 'configmaps' }] });
  t.same(status.boundResources, [{ group: 'example.com', resource: 'widgets', schema: { name: WIDGETS.metadata.name, UID: 'uid-v1.widgets.example.com', identityHash: HASH }, storageVersions: ['v1'] }]);
  t.equal(status.apiExportClusterName, 'root:provider');
  t.same(status.exportPermissionClaims, claims);
  t.same(status.appliedPermissionClaims, [{ group: '', resource: 'configmaps' }]);
});

t.test('a native definition stands in for the schema-derived one, keeping source and identity', async (t) => {
  const native = { group: 'example.com', resource: 'widgets', version: 'v1', source: 'builtin', kind: 'Widget', marker: 'native' } as unknown as ResourceDef;
  const { serving } = reconcileBinding(inputs({ nativeDef: (g, r, v) => (g === 'example.com' && r === 'widgets' && v === 'v1' ? native : undefined) }));
  if (serving.action !== 'serve') throw new Error('expected serve');
  t.match(serving.defs[0], { marker: 'native', source: 'binding:widgets', identityHash: HASH });
});

t.test('reconciling again later changes nothing: the committer writes no patch', async (t) => {
  const first = reconcileBinding(inputs());
  const again = reconcileBinding(inputs({ binding: aBinding(first.status), now: T1 }));
  t.equal(createMergePatch(first.status, again.status), undefined, 'no status change, lastTransitionTime kept');
  const moved = reconcileBinding(inputs({ binding: aBinding(first.status), export: undefined, now: T1 }));
  t.equal(cond(moved.status, 'Ready')?.lastTransitionTime, T1, 'a changed condition gets the new time');
  t.equal(cond(moved.status, 'InitialBindingCompleted')?.lastTransitionTime, T0, 'an unchanged one keeps its time');
});

t.test('export status: identity, virtual workspace URL, IdentityValid; idempotent', async (t) => {
  const exp = anExport({ identity: false });
  const status = exportStatus(exp, { identityHash: HASH, url: 'https://x/services/apiexport/root:provider/widgets', now: T0 });
  t.match(status, { identityHash: HASH, virtualWorkspaces: [{ url: 'https://x/services/apiexport/root:provider/widgets' }] });
  t.match(cond(status, 'IdentityValid'), { status: 'True', lastTransitionTime: T0 });
  const again = exportStatus({ ...exp, status }, { identityHash: HASH, url: 'https://x/services/apiexport/root:provider/widgets', now: T1 });
  t.equal(createMergePatch(status, again), undefined);
});

t.test('an export reference without a path names the binding\'s own workspace', async (t) => {
  t.same(exportReference({ metadata: { name: 'b' }, spec: { reference: { export: { name: 'e' } } } }, 'root:a'), { cluster: 'root:a', name: 'e' });
  t.same(exportReference({ metadata: { name: 'b' }, spec: {} }, 'root:a'), { cluster: 'root:a', name: '' });
});

t.test("kcp's claim key: an accepted claim applies only when group, resource and identity match the export's", async (t) => {
  const claims = [{ group: '', resource: 'configmaps', all: true }, { group: 'apps', resource: 'deployments', all: true, identityHash: 'abc' }];
  const { status, serving } = reconcileBinding(inputs({
    export: anExport({ claims }),
    binding: aBinding(undefined, [{ group: '', resource: 'configmaps', all: true, state: 'Accepted' }, { group: 'apps', resource: 'deployments', all: true, state: 'Accepted' }]),
  }));
  if (serving.action !== 'serve') throw new Error('expected serve');
  t.same(serving.bound.claims, [{ group: '', resource: 'configmaps', all: true }], 'the claim without the identity is not applied');
  t.same(status.appliedPermissionClaims, [{ group: '', resource: 'configmaps', all: true }]);
  t.equal(cond(status, 'PermissionClaimsValid')?.status, 'False');
  t.equal(cond(status, 'PermissionClaimsValid')?.reason, 'InvalidPermissionClaims');
  t.match(cond(status, 'PermissionClaimsValid')?.message, 'unexpected/invalid claim for deployments.apps (identity "") (the export claims it with identity "abc")');
  t.equal(status.phase, 'Bound', 'the binding itself is bound');
});
