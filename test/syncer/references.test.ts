import t from 'tap';
import { podTemplateOf, referencedObjects } from '../../src/syncer/transform/references.js';

t.test('finds ConfigMaps and Secrets in every place a pod template references them', async (t) => {
  const template = {
    spec: {
      volumes: [
        { name: 'a', configMap: { name: 'cm-vol' } },
        { name: 'b', secret: { secretName: 'sec-vol', optional: true } },
        { name: 'c', projected: { sources: [{ configMap: { name: 'cm-proj' } }, { secret: { name: 'sec-proj' } }, { serviceAccountToken: { path: 't' } }] } },
        { name: 'd', emptyDir: {} },
      ],
      containers: [{
        name: 'x',
        envFrom: [{ configMapRef: { name: 'cm-envfrom' } }, { secretRef: { name: 'sec-envfrom' } }],
        env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm-env', key: 'k', optional: true } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 'sec-env', key: 'k' } } }, { name: 'C', value: 'plain' }],
      }],
      initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'cm-init' } }] }],
      imagePullSecrets: [{ name: 'pull' }],
    },
  };
  t.same(referencedObjects(template), [
    { kind: 'ConfigMap', name: 'cm-env', optional: true },
    { kind: 'ConfigMap', name: 'cm-envfrom', optional: false },
    { kind: 'ConfigMap', name: 'cm-init', optional: false },
    { kind: 'ConfigMap', name: 'cm-proj', optional: false },
    { kind: 'ConfigMap', name: 'cm-vol', optional: false },
    { kind: 'Secret', name: 'pull', optional: false },
    { kind: 'Secret', name: 'sec-env', optional: false },
    { kind: 'Secret', name: 'sec-envfrom', optional: false },
    { kind: 'Secret', name: 'sec-proj', optional: false },
    { kind: 'Secret', name: 'sec-vol', optional: true },
  ]);
});

t.test('a name used optionally and required is required; duplicates collapse', async (t) => {
  const template = { spec: { volumes: [{ name: 'a', configMap: { name: 'x', optional: true } }], containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'x' } }, { configMapRef: { name: 'x' } }] }] } };
  t.same(referencedObjects(template), [{ kind: 'ConfigMap', name: 'x', optional: false }]);
});

t.test('no template, no references; podTemplateOf walks the path', async (t) => {
  t.same(referencedObjects(undefined), []);
  t.same(referencedObjects({ spec: { containers: 'garbage' } }), []);
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', envFrom: [{ secretRef: { name: 's' } }] }] } } } };
  t.same(referencedObjects(podTemplateOf(job, ['spec', 'template'])), [{ kind: 'Secret', name: 's', optional: false }]);
});
