/** Namespace lifecycle's decisions as a table: what is stored → what the controller does. */
import t from 'tap';
import { activeNamespace, terminatingNamespace, type NamespaceContents } from '../../src/registry/namespace-lifecycle-reconcile.js';
import type { KubeObject } from '../../src/storage/types.js';

const ns = (finalizers: string[], metaFinalizers?: string[]): KubeObject => ({
  apiVersion: 'v1', kind: 'Namespace',
  metadata: { name: 'team', deletionTimestamp: '2026-01-01T00:00:00Z', ...(metaFinalizers ? { finalizers: metaFinalizers } : {}) },
  spec: { finalizers }, status: { phase: 'Terminating' },
});
const obj = (name: string, deleting = false): KubeObject =>
  ({ metadata: { name, namespace: 'team', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] } : {}) } });

t.test('an active namespace', async (t) => {
  t.same(activeNamespace({ hasDefaultServiceAccount: false }), { action: 'createServiceAccount' }, 'without its default ServiceAccount → create it');
  t.same(activeNamespace({ hasDefaultServiceAccount: true }), { action: 'none' }, 'with it → nothing');
});

const rows: Array<{ name: string; ns: KubeObject; contents: NamespaceContents[]; want: unknown }> = [
  {
    name: 'contents left → delete them all, across resources',
    ns: ns(['kubernetes']),
    contents: [{ resource: 'configmaps', items: [obj('a'), obj('b')] }, { resource: 'secrets', items: [obj('s')] }],
    want: { action: 'deleteContents', deletes: [{ resource: 'configmaps', name: 'a' }, { resource: 'configmaps', name: 'b' }, { resource: 'secrets', name: 's' }], remaining: 3 },
  },
  {
    name: 'objects already being deleted are not deleted again, but still hold the namespace',
    ns: ns(['kubernetes']),
    contents: [{ resource: 'configmaps', items: [obj('held', true), obj('b')] }],
    want: { action: 'deleteContents', deletes: [{ resource: 'configmaps', name: 'b' }], remaining: 2 },
  },
  {
    name: 'only held objects left → nothing to delete, wait',
    ns: ns(['kubernetes']),
    contents: [{ resource: 'configmaps', items: [obj('held', true)] }],
    want: { action: 'deleteContents', deletes: [], remaining: 1 },
  },
  {
    name: 'empty → the kubernetes finalizer goes, others stay',
    ns: ns(['kubernetes', 'example.com/other']),
    contents: [],
    want: { action: 'finalize', namespace: { ...ns(['example.com/other']) } },
  },
  {
    name: 'empty and our finalizer already gone → nothing (someone else\'s finalizer holds it)',
    ns: ns([], ['example.com/x']),
    contents: [],
    want: { action: 'none' },
  },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    t.same(terminatingNamespace(row.ns, row.contents), row.want);
  });
}

t.test('the decision does not modify the namespace it was given', async (t) => {
  const given = ns(['kubernetes']);
  terminatingNamespace(given, []);
  t.same(given.spec?.finalizers, ['kubernetes']);
});
