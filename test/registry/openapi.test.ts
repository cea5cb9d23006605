import t from 'tap';
import { configMapDef, deploymentDef } from '../../src/registry/builtin/index.js';
import { resourceDefsFromCRD } from '../../src/registry/crd/index.js';
import { buildGroupVersionDocument, buildOpenAPIV3, buildOpenAPIV3Discovery, documentHash } from '../../src/registry/openapi/index.js';

type Any = Record<string, any>;

const widget = resourceDefsFromCRD({
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} },
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', description: 'The widget.', properties: { size: { type: 'integer' } } } } } } }],
  },
})[0];

/** What kubectl's query-param verifier does: the first PATCH op carrying the GVK must list the param. */
function supportsFieldValidation(doc: Any, gvk: Any): boolean {
  for (const item of Object.values<Any>(doc.paths)) {
    const op = item.patch;
    if (!op) continue;
    const ext = op['x-kubernetes-group-version-kind'];
    if (ext?.group === gvk.group && ext?.version === gvk.version && ext?.kind === gvk.kind)
      return op.parameters.some((p: Any) => p.name === 'fieldValidation' && p.in === 'query');
  }
  return false;
}

t.test('CRD group-version document', async (t) => {
  const doc = buildGroupVersionDocument([widget], { group: 'example.com', version: 'v1' }) as Any;
  const gvk = { group: 'example.com', version: 'v1', kind: 'Widget' };
  t.same(Object.keys(doc.paths).sort(), [
    '/apis/example.com/v1/namespaces/{namespace}/widgets',
    '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}',
    '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/status',
    '/apis/example.com/v1/widgets',
  ]);
  const item = doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'];
  t.same(Object.keys(item).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
  t.same(item.patch['x-kubernetes-group-version-kind'], gvk);
  t.equal(item.patch['x-kubernetes-action'], 'patch');
  t.ok(supportsFieldValidation(doc, gvk), 'kubectl --validate=strict finds fieldValidation');
  t.same(Object.keys(item.patch.requestBody.content).sort(),
    ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'], 'no SMP for CRDs');
  t.equal(doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets'].post['x-kubernetes-action'], 'post');

  const schema = doc.components.schemas['com.example.v1.Widget'];
  t.same(schema['x-kubernetes-group-version-kind'], [gvk]);
  t.equal(schema.properties.spec.description, 'The widget.');
  t.same(schema.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
  t.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.labels.description, 'ObjectMeta with descriptions');
  t.same(doc.components.schemas['com.example.v1.WidgetList']['x-kubernetes-group-version-kind'], [{ ...gvk, kind: 'WidgetList' }]);
  const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[^"]+/g)!.map((r) => r.slice('#/components/schemas/'.length));
  for (const r of new Set(refs)) t.ok(doc.components.schemas[r], `$ref ${r} resolves`);
});

t.test('built-in documents: kube component names and SMP', async (t) => {
  const core = buildGroupVersionDocument([configMapDef()], { group: '', version: 'v1' }) as Any;
  t.ok(core.components.schemas['io.k8s.api.core.v1.ConfigMap']);
  const patch = core.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
  t.ok('application/strategic-merge-patch+json' in patch.requestBody.content);
  t.equal(patch.operationId, 'patchCoreV1NamespacedConfigMap');

  const apps = buildGroupVersionDocument([deploymentDef()], { group: 'apps', version: 'v1' }) as Any;
  const dep = apps.components.schemas['io.k8s.api.apps.v1.Deployment'];
  t.equal(dep.properties.spec.properties.template.properties.metadata.allOf[0].$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  t.equal(dep.properties.spec.properties.template.properties.spec.properties.containers['x-kubernetes-patch-merge-key'], 'name');
  const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  t.same(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  t.ok(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
});

t.test('discovery and hashes are deterministic', async (t) => {
  const defs = [configMapDef(), deploymentDef(), widget];
  const a = buildOpenAPIV3(defs);
  const b = buildOpenAPIV3([widget, deploymentDef(), configMapDef()]);
  t.same(Object.keys(a.discovery.paths), ['api/v1', 'apis/apps/v1', 'apis/example.com/v1']);
  t.same(a.discovery, b.discovery, 'same input in any order, same hashes');
  t.match(a.discovery.paths['apis/example.com/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/example\.com\/v1\?hash=[0-9A-F]{128}$/);
  const changed = buildOpenAPIV3([configMapDef(), deploymentDef()]);
  t.equal(changed.discovery.paths['api/v1'].serverRelativeURL, a.discovery.paths['api/v1'].serverRelativeURL, 'other GVs unaffected');
  t.same(buildOpenAPIV3Discovery([{ group: '', version: 'v1', hash: 'ABC' }]), { paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=ABC' } } });
  t.equal(documentHash({ a: 1 }), documentHash(JSON.stringify({ a: 1 })));
});
