/**
 * CEL `has()` on any selection in a CRD's x-kubernetes-validations, and CEL errors reported in the
 * same 422 Status as schema errors, through kubectl 1.32 over HTTPS.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { gadgetCRD } from '../helpers/crd.js';

const CRD = gadgetCRD(`
  type: object
  x-kubernetes-validations:
  - {rule: "!has(self.items) || size(self.items) == 0 || has(self.items[0].name)", message: the first item needs a name}
  - {rule: "!has(self.m) || !('k' in self.m) || has(self.m['k'].x)", message: "m.k needs x"}
  properties:
    size: {type: integer, minimum: 1}
    items:
      type: array
      items: {type: object, properties: {name: {type: string}}}
    m:
      type: object
      additionalProperties: {type: object, properties: {x: {type: string}}}
    mode: {type: string, enum: [a, b]}
`);

const gadget = (spec: string) => `apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g, namespace: default}\nspec: ${spec}\n`;

t.test('has() on indexed and map selections, and one Status for schema + CEL errors', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  await kubectlOK(kc, ['apply', '-f', '-'], { input: CRD });
  await kubectlOK(kc, ['wait', '--for=condition=Established', 'crd/gadgets.example.com']);

  await kubectlOK(kc, ['apply', '-f', '-'], { input: gadget('{items: [{name: a}], m: {k: {x: "1"}}}') });

  let r = await kubectl(kc, ['apply', '-f', '-'], { input: gadget('{items: [{}], m: {k: {x: "1"}}}') });
  t.not(r.code, 0, 'first item without a name is refused');
  t.match(r.stderr, /spec: Invalid value: "object": the first item needs a name/);

  r = await kubectl(kc, ['apply', '-f', '-'], { input: gadget('{m: {k: {}}}') });
  t.match(r.stderr, /m\.k needs x/);

  r = await kubectl(kc, ['apply', '-f', '-'], { input: gadget('{size: 0, items: [{}]}') });
  t.match(r.stderr, /spec\.size: Invalid value: 0: spec\.size in body should be greater than or equal to 1/, 'schema error');
  t.match(r.stderr, /spec: Invalid value: "object": the first item needs a name/, 'and the CEL error, in the same Status');

  r = await kubectl(kc, ['apply', '-f', '-'], { input: gadget('{mode: c, items: [{}]}') });
  t.match(r.stderr, /spec\.mode: Unsupported value: "c"/);
  t.match(r.stderr, /<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid/,
    'a blocking schema error stops the rules, and says so');
  t.notMatch(r.stderr, /first item needs a name/);
});
