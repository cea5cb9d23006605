import t from 'tap';
import { fieldErrorMessage } from '../../src/errors/status.js';
import {
  crdStatusEstablished, defaultCRD, isCRDEstablished, resourceDefsFromCRD, validateCRD, type CustomResourceDefinition,
} from '../../src/registry/crd/index.js';
import { validateObject } from '../../src/registry/schema/index.js';

function widgetCRD(): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com', scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wg'], categories: ['all'] },
      versions: [
        {
          name: 'v1', served: true, storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } } } } },
          subresources: { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } },
          additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }, { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' }],
          selectableFields: [{ jsonPath: '.spec.color' }],
        },
        { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
}

const msgs = (c: CustomResourceDefinition) => validateCRD(c).map(fieldErrorMessage);

t.test('a valid CRD passes, and defaulting fills listKind, singular, conversion', async (t) => {
  t.same(msgs(widgetCRD()), []);
  const d = defaultCRD(widgetCRD());
  t.equal(d.spec!.names!.listKind, 'WidgetList');
  t.equal(d.spec!.names!.singular, 'widget');
  t.same(d.spec!.conversion, { strategy: 'None' });
});

t.test('CRD validation errors', async (t) => {
  const c = widgetCRD();
  c.metadata.name = 'widgets.other.com';
  t.same(msgs(c), ['metadata.name: Invalid value: "widgets.other.com": must be spec.names.plural+"."+spec.group']);

  const g = widgetCRD(); g.spec!.group = 'example'; g.metadata.name = 'widgets.example';
  t.same(msgs(g), ['spec.group: Invalid value: "example": should be a domain with at least one dot']);

  const s = widgetCRD(); s.spec!.scope = 'Global';
  t.same(msgs(s), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']);

  const v = widgetCRD(); v.spec!.versions![1].storage = true;
  t.same(msgs(v), ['spec.versions: Invalid value: []interface {}{...}: must have exactly one version marked as storage version']);

  const n = widgetCRD(); n.spec!.names!.plural = 'Widgets'; n.metadata.name = 'Widgets.example.com';
  t.match(msgs(n)[0], /^spec\.names\.plural: Invalid value: "Widgets": a DNS-1035 label/);

  const k = widgetCRD(); delete k.spec!.names!.kind;
  t.ok(msgs(k).includes('spec.names.kind: Required value'));

  const col = widgetCRD(); col.spec!.versions![0].additionalPrinterColumns = [{ name: 'X', type: 'text', jsonPath: 'spec.x' }];
  t.same(msgs(col), [
    'spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "text": supported values: "boolean", "date", "integer", "number", "string"',
    'spec.versions[0].additionalPrinterColumns[0].jsonPath: Invalid value: "spec.x": must be a simple json path starting with .',
  ]);

  const sc = widgetCRD(); sc.spec!.versions![0].schema = { openAPIV3Schema: { type: 'object', properties: { spec: { properties: {} } } } };
  t.same(msgs(sc), ['spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields']);

  const scale = widgetCRD(); scale.spec!.versions![0].subresources = { scale: { specReplicasPath: '.status.size', statusReplicasPath: '.status.size' } };
  t.same(msgs(scale), ['spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.size": should be a json path under .spec']);
});

t.test('resourceDefsFromCRD: one def per served version', async (t) => {
  const defs = resourceDefsFromCRD(widgetCRD());
  t.equal(defs.length, 1);
  const d = defs[0];
  t.match(d, {
    group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', listKind: 'WidgetList', singular: 'widget',
    namespaced: true, shortNames: ['wg'], categories: ['all'], builtin: false, source: 'crd:widgets.example.com',
    subresources: { status: true, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } },
  });
  t.same(d.printerColumns.map((c) => c.name), ['Size', 'Ready']);
  t.same(Object.keys(d.schema!.properties!).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
  t.equal(d.strategy?.selectableFields?.['spec.color']?.({ metadata: {}, spec: { color: 'red' } }), 'red');
  t.same(validateObject(d.schema!, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { size: 'x' } }).map((e) => e.field), ['spec.size']);

  const noCols = widgetCRD(); delete noCols.spec!.versions![0].additionalPrinterColumns;
  t.same(resourceDefsFromCRD(noCols)[0].printerColumns.map((c) => c.name), ['Age'], 'kube default Age column');
});

t.test('crdStatusEstablished', async (t) => {
  const c = widgetCRD();
  t.notOk(isCRDEstablished(c));
  const now = new Date('2024-05-06T07:08:09.123Z');
  c.status = crdStatusEstablished(c, now);
  t.ok(isCRDEstablished(c));
  t.same(c.status.conditions!.map((x) => [x.type, x.status, x.reason, x.lastTransitionTime]), [
    ['NamesAccepted', 'True', 'NoConflicts', '2024-05-06T07:08:09Z'],
    ['Established', 'True', 'InitialNamesAccepted', '2024-05-06T07:08:09Z'],
  ]);
  t.match(c.status.acceptedNames, { plural: 'widgets', kind: 'Widget', listKind: 'WidgetList', singular: 'widget' });
  t.same(c.status.storedVersions, ['v1']);
  const again = crdStatusEstablished(c, new Date('2030-01-01T00:00:00Z'));
  t.equal(again.conditions![0].lastTransitionTime, '2024-05-06T07:08:09Z', 'transition time kept when unchanged');
});
