/**
 * Built-in validation through kubectl 1.32: unknown fields under fieldValidation Strict / Warn /
 * Ignore, a selector that does not select the template, a container without image, a strategic
 * merge patch deleting a Deployment's spec, and patches that try to rename an object.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';

const deployment = (name: string, spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
${spec}`;
const GOOD_SPEC = `  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
`;

t.test('built-in validation', async (t) => {
  const srv = await startServer(t, { mode: 'cluster', readyDelayMs: 50 });
  const kc = srv.kubeconfigPath;

  await t.test('unknown fields: Strict rejects, Warn warns, Ignore drops', async (t) => {
    const typo = deployment('typo', `  replica: 3\n${GOOD_SPEC}`);
    const strict = await kubectl(kc, ['apply', '-f', '-'], { input: typo });
    t.not(strict.code, 0);
    t.match(strict.stderr, 'strict decoding error: unknown field "spec.replica"');
    t.equal((await kubectl(kc, ['get', 'deploy', 'typo'])).code, 1, 'nothing stored');
    const warn = await kubectl(kc, ['apply', '--validate=warn', '-f', '-'], { input: typo });
    t.equal(warn.code, 0, warn.stderr);
    t.match(warn.stderr, 'unknown field "spec.replica"');
    await kubectlOK(kc, ['delete', 'deploy', 'typo']);
    await kubectlOK(kc, ['apply', '--validate=false', '-f', '-'], { input: typo });
    const got = JSON.parse(await kubectlOK(kc, ['get', 'deploy', 'typo', '-o', 'json']));
    t.notOk('replica' in got.spec, 'Ignore drops the field');
    const ctr = await kubectl(kc, ['apply', '-f', '-'], { input: deployment('typo2', GOOD_SPEC.replace('image: nginx', 'image: nginx, imagePolicy: Always')) });
    t.match(ctr.stderr, 'unknown field "spec.template.spec.containers[0].imagePolicy"');
  });

  await t.test('selector, image, restartPolicy: 422 with kube field paths', async (t) => {
    const mismatch = await kubectl(kc, ['apply', '-f', '-'], { input: deployment('mismatch', GOOD_SPEC.replace('{app: web}}\n  template', '{app: api}}\n  template')) });
    t.match(mismatch.stderr, 'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');
    const noImage = await kubectl(kc, ['apply', '-f', '-'], { input: deployment('noimage', GOOD_SPEC.replace('{name: c, image: nginx}', '{name: c}')) });
    t.match(noImage.stderr, 'spec.template.spec.containers[0].image: Required value');
    const job = await kubectl(kc, ['apply', '-f', '-'], { input: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: default}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox}]\n' });
    t.match(job.stderr, 'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
  });

  await t.test('a strategic-merge patch deleting spec is 422; patches cannot rename', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { input: deployment('keep', GOOD_SPEC) });
    const del = await kubectl(kc, ['patch', 'deploy', 'keep', '--type=strategic', '-p', '{"spec":{"$patch":"delete"}}']);
    t.not(del.code, 0);
    t.match(del.stderr, /Deployment "keep" is invalid[\s\S]*spec.selector: Required value[\s\S]*spec.template.spec.containers: Required value/);
    const rename = await kubectl(kc, ['patch', 'deploy', 'keep', '--type=merge', '-p', '{"metadata":{"name":"other"}}']);
    t.match(rename.stderr, 'the name of the object (other) does not match the name on the URL (keep)');
    const move = await kubectl(kc, ['patch', 'deploy', 'keep', '--type=json', '-p', '[{"op":"replace","path":"/metadata/namespace","value":"kube-system"}]']);
    t.match(move.stderr, 'the namespace of the object (kube-system) does not match the namespace on the URL (default)');
    const uid = await kubectl(kc, ['patch', 'deploy', 'keep', '--type=merge', '-p', '{"metadata":{"uid":"00000000-0000-0000-0000-000000000000"}}']);
    t.match(uid.stderr, 'Precondition failed: UID in precondition');
    const got = JSON.parse(await kubectlOK(kc, ['get', 'deploy', 'keep', '-o', 'json']));
    t.same(got.spec.selector, { matchLabels: { app: 'web' } }, 'unchanged');
  });
});
