/**
 * apis.kcp.io v1alpha1 ⇄ v1alpha2 conversion (kcp's rules): what each version says survives a
 * round trip through the stored (v1alpha1) form.
 */
import t from 'tap';
import {
  ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION, PERMISSION_CLAIMS_ANNOTATION, RESOURCE_SCHEMAS_ANNOTATION,
  bindingToV1alpha1, bindingToV1alpha2, exportToV1alpha1, exportToV1alpha2, resourceOfSchemaName,
} from '../../../src/tenancy/apis/v1alpha2-conversion.js';
import type { KubeObject } from '../../../src/storage/types.js';

const v2Export = (): KubeObject => ({
  apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'cowboys', annotations: { keep: 'me' } },
  spec: {
    resources: [
      { group: 'wildwest.dev', name: 'cowboys', schema: 'today.cowboys.wildwest.dev', storage: { crd: {} } },
      { group: '', name: 'configmaps', schema: 'v1.configmaps.core', storage: { crd: {} } },
      { group: 'wildwest.dev', name: 'horses', schema: 'today.horses.wildwest.dev', storage: { virtual: { reference: { kind: 'X' } } } },
    ],
    permissionClaims: [
      { group: '', resource: 'secrets', verbs: ['*'] },
      { group: 'apps', resource: 'deployments', identityHash: 'abc', verbs: ['get', 'list', 'watch'] },
    ],
  },
});

t.test('APIExport: v1alpha2 → stored v1alpha1 → v1alpha2', async (t) => {
  const input = v2Export();
  const v1 = exportToV1alpha1(input);
  t.same(input, v2Export(), 'the input is not modified');
  t.equal(v1.apiVersion, 'apis.kcp.io/v1alpha1');
  t.same(v1.spec!.latestResourceSchemas, ['today.cowboys.wildwest.dev', 'v1.configmaps.core'], 'CRD-stored resources are latestResourceSchemas');
  t.notOk(v1.spec!.resources);
  t.same(JSON.parse(v1.metadata.annotations![RESOURCE_SCHEMAS_ANNOTATION]!).map((r: any) => r.name), ['horses'], 'the rest rides in an annotation');
  t.same(v1.spec!.permissionClaims, [{ group: '', resource: 'secrets', all: true }, { group: 'apps', resource: 'deployments', identityHash: 'abc', all: true }]);
  t.same(JSON.parse(v1.metadata.annotations![PERMISSION_CLAIMS_ANNOTATION]!).map((c: any) => c.verbs), [['get', 'list', 'watch']]);
  const back = exportToV1alpha2(v1);
  t.same(back, v2Export(), 'lossless');
});

t.test('APIExport: v1alpha1 → v1alpha2 → v1alpha1', async (t) => {
  const v1: KubeObject = {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIExport', metadata: { name: 'topology.kcp.io' },
    spec: { latestResourceSchemas: ['v240903-d6797056a.partitions.topology.kcp.io'], permissionClaims: [{ group: '', resource: 'configmaps', all: true }] },
    status: { identityHash: 'h' },
  };
  const v2 = exportToV1alpha2(v1);
  t.same(v2.spec, {
    resources: [{ group: 'topology.kcp.io', name: 'partitions', schema: 'v240903-d6797056a.partitions.topology.kcp.io', storage: { crd: {} } }],
    permissionClaims: [{ group: '', resource: 'configmaps', verbs: ['*'] }],
  });
  t.same(v2.status, { identityHash: 'h' });
  t.same(exportToV1alpha1(v2), v1);
  t.same(resourceOfSchemaName('v1.configmaps.core'), { group: '', name: 'configmaps' });
  t.equal(resourceOfSchemaName('nodots'), undefined);
});

t.test('APIBinding both ways', async (t) => {
  const v2: KubeObject = {
    apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIBinding', metadata: { name: 'b' },
    spec: {
      reference: { export: { path: 'root:p', name: 'cowboys' } },
      permissionClaims: [
        { group: '', resource: 'secrets', verbs: ['*'], selector: { matchAll: true }, state: 'Accepted' },
        { group: '', resource: 'configmaps', verbs: ['get', 'list'], selector: { matchAll: true }, state: 'Rejected' },
      ],
    },
  };
  const v1 = bindingToV1alpha1(v2);
  t.same(v1.spec!.permissionClaims, [{ group: '', resource: 'secrets', all: true, state: 'Accepted' }, { group: '', resource: 'configmaps', all: true, state: 'Rejected' }], 'matchAll is all');
  t.ok(v1.metadata.annotations![ACCEPTABLE_PERMISSION_CLAIMS_ANNOTATION]);
  t.same(bindingToV1alpha2(v1), v2, 'lossless');

  const fromV1 = bindingToV1alpha2({
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIBinding', metadata: { name: 'c' },
    spec: { reference: { export: { name: 'x' } }, permissionClaims: [{ group: '', resource: 'secrets', all: true, state: 'Accepted' }] },
    status: { phase: 'Bound', exportPermissionClaims: [{ group: '', resource: 'secrets', all: true }], appliedPermissionClaims: [{ group: '', resource: 'secrets', all: true }] },
  });
  t.same(fromV1.spec!.permissionClaims, [{ group: '', resource: 'secrets', verbs: ['*'], selector: { matchAll: true }, state: 'Accepted' }]);
  t.same(fromV1.status!.exportPermissionClaims, [{ group: '', resource: 'secrets', verbs: ['*'] }]);
  t.same(fromV1.status!.appliedPermissionClaims, [{ group: '', resource: 'secrets', verbs: ['*'], selector: { matchAll: true } }]);
});
