import t from 'tap';
import { namingConflict, type ServedInWorkspace } from '../../../src/tenancy/apis/naming-conflict.js';

const def = (group: string, resource: string, source: string, version = 'v1') => ({ group, resource, version, source });
const none: ServedInWorkspace = { crdDefs: [], otherBindingDefs: [], resolve: () => undefined };

t.test('naming conflicts of an APIBinding', async (t) => {
  const widgets = def('example.io', 'widgets', 'binding:widgets');
  const cases: Array<{ name: string; defs: ReturnType<typeof def>[]; served: ServedInWorkspace; want: RegExp | undefined }> = [
    { name: 'nothing served: no conflict', defs: [widgets], served: none, want: undefined },
    { name: 'no resources: no conflict', defs: [], served: { ...none, crdDefs: [widgets] }, want: undefined },
    {
      name: 'a CRD serving the same group/resource',
      defs: [widgets], served: { ...none, crdDefs: [def('example.io', 'widgets', 'crd:widgets.example.io')] },
      want: /^resource widgets\.example\.io is already served by a CustomResourceDefinition in this workspace$/,
    },
    {
      name: 'a CRD at another version still clashes (one storage per group/resource)',
      defs: [widgets], served: { ...none, crdDefs: [def('example.io', 'widgets', 'crd:widgets.example.io', 'v2')] },
      want: /CustomResourceDefinition/,
    },
    {
      name: 'a CRD of the same resource in another group does not clash',
      defs: [widgets], served: { ...none, crdDefs: [def('other.io', 'widgets', 'crd:widgets.other.io')] }, want: undefined,
    },
    {
      name: 'another binding serving it',
      defs: [widgets], served: { ...none, otherBindingDefs: [def('example.io', 'widgets', 'binding:first')] },
      want: /^resource widgets\.example\.io is already bound by binding:first$/,
    },
    {
      name: 'a built-in resource (core group names have no suffix)',
      defs: [def('', 'configmaps', 'binding:x')],
      served: { ...none, resolve: (g, _v, r) => (g === '' && r === 'configmaps' ? def('', 'configmaps', 'builtin') : undefined) },
      want: /^resource configmaps is a built-in resource$/,
    },
    {
      name: 'what resolves to this same binding is not a clash with itself',
      defs: [widgets], served: { ...none, resolve: () => widgets }, want: undefined,
    },
    {
      name: 'the first clashing resource is reported',
      defs: [def('example.io', 'gadgets', 'binding:b'), widgets],
      served: { ...none, otherBindingDefs: [def('example.io', 'widgets', 'binding:a')], crdDefs: [def('example.io', 'gadgets', 'crd:g')] },
      want: /gadgets\.example\.io is already served by a CustomResourceDefinition/,
    },
  ];
  for (const c of cases) {
    const got = namingConflict(c.defs, c.served);
    if (c.want) t.match(got, c.want, c.name);
    else t.equal(got, undefined, c.name);
  }
});
