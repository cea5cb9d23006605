/**
 * Documents as deep as Kubernetes accepts (10 000 levels of objects/arrays, where its Go decoders
 * stop) go through every path a custom resource takes: create, read, list, watch, update, every
 * patch type, server-side apply, dry-run, Table output, CEL rules over the deep subtree and a
 * ValidatingAdmissionPolicy over the object (`self == oldSelf` on 10 000 levels among them); one
 * level more is a 400 at decode time. kubectl and client-node take part as real clients. The server
 * runs as a child process, so a stack overflow anywhere shows as a 500 or a dead server here.
 * Deep bodies are slow to build and to walk: each is built once.
 */
import t, { type Test } from 'tap';
import * as k8s from '@kubernetes/client-node';
import { request, openWatch, type Creds, type RawResponse } from '../helpers/http.js';
import { waitFor } from '../helpers/wait.js';
import { kubectl, spawnServer, type SpawnedServer } from '../helpers/tmc.js';
import { findEtcd, startEtcdCluster } from '../helpers/etcd.js';
import { readKubeconfigFile } from '../../src/security/kubeconfig.js';

const LIMIT = 10_000;
const CRDS = '/clusters/root/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const DEEPS = '/clusters/root/apis/example.com/v1/namespaces/default/deeps';
const CM = '/clusters/root/api/v1/namespaces/default/configmaps';
const JSON_PATCH = { 'Content-Type': 'application/json-patch+json' };
const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };
const SMP = { 'Content-Type': 'application/strategic-merge-patch+json' };
const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' };

/** `n` levels of `{"a":…}` around a 1 (a scalar is depth 0). */
function nested(n: number, key = 'a'): string {
  return `{"${key}":`.repeat(n) + '1' + '}'.repeat(n);
}

/** The deepest nesting in JSON text (strings skipped): what the server must have kept. */
function textDepth(text: string): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) { if (c === '\\') i++; else if (c === '"') inString = false; }
    else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** A Deep whose document is `depth` levels: the root object, spec, then depth - 2 levels of `a`. */
function deepDoc(name: string, depth: number, extra = ''): string {
  return `{"apiVersion":"example.com/v1","kind":"Deep","metadata":{"name":"${name}"${extra}},"spec":${nested(depth - 1)}}`;
}

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'deeps.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'deeps', singular: 'deep', kind: 'Deep', listKind: 'DeepList' },
    versions: [{
      name: 'v1', served: true, storage: true,
      subresources: { status: {} },
      additionalPrinterColumns: [{ name: 'Deep', type: 'string', jsonPath: '.spec.a' }],
      schema: { openAPIV3Schema: { type: 'object', properties: {
        spec: {
          type: 'object', 'x-kubernetes-preserve-unknown-fields': true,
          // converting spec to a CEL value walks all of it
          'x-kubernetes-validations': [
            { rule: '!has(self.forbidden)', message: 'spec.forbidden is forbidden' },
            { rule: '!has(oldSelf.frozen) || has(self.frozen)', message: 'frozen stays frozen' },
          ],
          properties: {
            // kube's immutability idiom, comparing two deep values (cel-js's equality recursed per level)
            locked: {
              type: 'object', 'x-kubernetes-preserve-unknown-fields': true,
              'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.locked is immutable' }],
            },
          },
        },
        status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      } } },
    }],
  },
};

const POLICY = {
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'no-poison' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: ['example.com'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['deeps'] }] },
    validations: [
      { expression: '!has(object.spec.poison)', message: 'poisoned' },
      { expression: 'oldObject == null || !has(oldObject.spec.sealed) || object.spec.sealed == oldObject.spec.sealed', message: 'spec.sealed is sealed' },
    ],
  },
};
const BINDING = {
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'no-poison' },
  spec: { policyName: 'no-poison', validationActions: ['Deny'] },
};

interface Target { url: string; creds: Creds; child: SpawnedServer['child']; kubeconfig: string }

async function connect(srv: SpawnedServer): Promise<Target> {
  const kc = readKubeconfigFile(srv.kubeconfigPath);
  return { url: srv.url, creds: { caPem: kc.caPem!, certPem: kc.certPem, keyPem: kc.keyPem }, child: srv.child, kubeconfig: srv.kubeconfigPath };
}

function sender(target: Target) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> => {
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${method} ${path} did not answer in 60 s`)), 60_000); });
    try {
      return await Promise.race([request(target.url, target.creds, method, path, body, headers), hung]);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function installCRD(t: Test, send: ReturnType<typeof sender>): Promise<void> {
  t.equal((await send('POST', CRDS, CRD)).status, 201, 'CRD created');
  await waitFor('deeps served', async () => (await send('GET', DEEPS)).status === 200, { timeoutMs: 20_000 });
}

const say = (r: RawResponse) => `${r.status} ${r.text.slice(0, 300)}`;

t.test('sqlite: 10 000 levels through every path; 10 001 is a 400 at decode', async (t) => {
  const srv = await spawnServer(t, ['--storage', 'sqlite']);
  const target = await connect(srv);
  const send = sender(target);
  await installCRD(t, send);
  t.equal((await send('POST', '/clusters/root/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', POLICY)).status, 201);
  t.equal((await send('POST', '/clusters/root/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', BINDING)).status, 201);
  // the policy is in force once it refuses its poison
  await waitFor('policy in force', async () => (await send('POST', `${DEEPS}?dryRun=All`, { apiVersion: 'example.com/v1', kind: 'Deep', metadata: { name: 'p' }, spec: { poison: 1 } })).status === 422, { timeoutMs: 20_000 });

  const watch = openWatch(target.url, target.creds, `${DEEPS}?watch=true`);
  t.teardown(() => watch.stop());
  t.equal(await watch.status, 200);

  await t.test('create, read, list and watch at 9 999 and 10 000 levels', async (t) => {
    for (const depth of [LIMIT - 1, LIMIT]) {
      const name = `d${depth}`;
      const dry = await send('POST', `${DEEPS}?dryRun=All`, deepDoc(name, depth));
      t.equal(dry.status, 201, `dry-run create at ${depth}: ${say(dry)}`);
      const created = await send('POST', DEEPS, deepDoc(name, depth));
      t.equal(created.status, 201, `create at ${depth}: ${say(created)}`);
      t.ok(textDepth(created.text) >= depth, 'the response holds the whole document');
      const got = await send('GET', `${DEEPS}/${name}`);
      t.equal(got.status, 200, `get at ${depth}: ${say(got)}`);
      t.ok(textDepth(got.text) >= depth, `read back ${textDepth(got.text)} levels`);
      const yaml = await send('GET', `${DEEPS}/${name}`, undefined, { Accept: 'application/yaml' });
      t.ok(yaml.status === 200 || yaml.status === 406, `get as YAML: ${yaml.status}`);
      const table = await send('GET', `${DEEPS}/${name}`, undefined, TABLE);
      t.equal(table.status, 200, `get as Table: ${say(table)}`);
    }
    const list = await send('GET', DEEPS);
    t.equal(list.status, 200, `list: ${say(list)}`);
    t.equal(list.json?.items?.length, 2);
    const table = await send('GET', `${DEEPS}?includeObject=Object`, undefined, TABLE);
    t.equal(table.status, 200, `list as Table with objects: ${say(table)}`);
    await waitFor('watch saw both', () => watch.events.filter((e) => e.type === 'ADDED').length >= 2, { timeoutMs: 20_000 });
    t.same(watch.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name), [`d${LIMIT - 1}`, `d${LIMIT}`]);
  });

  await t.test('a YAML body 1 000 levels deep, block style (js-yaml stopped at 100)', async (t) => {
    let yaml = 'apiVersion: example.com/v1\nkind: Deep\nmetadata:\n name: yaml\nspec:\n';
    for (let i = 1; i < 1_000; i++) yaml += `${' '.repeat(i)}a:\n`;
    yaml += `${' '.repeat(1_000)}b: 1\n`;
    const r = await send('POST', DEEPS, yaml, { 'Content-Type': 'application/yaml' });
    t.equal(r.status, 201, say(r));
    t.equal(textDepth(r.text) >= 1_000, true);
    t.equal((await send('DELETE', `${DEEPS}/yaml`)).status, 200);
  });

  await t.test('YAML that is not JSON, at the limit: flow and compact styles, apply, and kubectl', async (t) => {
    // js-yaml's recursion held about 1 500 levels on the server's stack; these parse in a worker
    const flowYAML = (name: string, depth: number) =>
      `apiVersion: example.com/v1\nkind: Deep\nmetadata: {name: ${name}}\nspec: ${'{a: '.repeat(depth - 1)}1${'}'.repeat(depth - 1)}\n`;
    const created = await send('POST', DEEPS, flowYAML('flow', LIMIT), { 'Content-Type': 'application/yaml' });
    t.equal(created.status, 201, `flow YAML create at ${LIMIT}: ${say(created)}`);
    t.ok(textDepth(created.text) >= LIMIT, 'stored whole');
    const compact = `apiVersion: example.com/v1\nkind: Deep\nmetadata:\n  name: flow\nspec:\n  b:\n  ${'- '.repeat(LIMIT - 2)}1\n`;
    const applied = await send('PATCH', `${DEEPS}/flow?fieldManager=yaml-applier`, compact, APPLY);
    t.equal(applied.status, 200, `apply with compact block sequences at ${LIMIT}: ${say(applied)}`);
    t.ok(textDepth(applied.text.slice(applied.text.indexOf('"b":'))) >= LIMIT - 2, 'spec.b as deep as sent');
    const over = await send('POST', DEEPS, flowYAML('over', LIMIT + 1), { 'Content-Type': 'application/yaml' });
    t.equal(over.status, 400, `flow YAML one level over: ${say(over)}`);
    t.match(over.json?.message, /nested too deeply: more than 10000 levels/);
    t.equal((await send('DELETE', `${DEEPS}/flow`)).status, 200);
    // kubectl reads the manifest itself (Go's YAML decoder) and sends JSON. Its JSON decoder stops
    // at 10 000 levels too, and the answer's managedFields nest a few levels deeper than the
    // object (kube's do the same), so kubectl's own ceiling is a few levels under the limit.
    const depth = LIMIT - 5;
    const manifest = flowYAML('by-kubectl', depth);
    const byKubectl = await kubectl(target.kubeconfig, ['-n', 'default', 'apply', '-f', '-', '-o', 'name'], { input: manifest });
    t.equal(byKubectl.code, 0, `kubectl apply -f with a ${depth}-level manifest: ${byKubectl.stderr.slice(0, 300)}`);
    t.match(byKubectl.stdout, /deep.example.com\/by-kubectl/);
    // client-side apply again: kubectl diffs against its last-applied annotation and sends a merge patch
    const patched = await kubectl(target.kubeconfig, ['-n', 'default', 'apply', '-f', '-', '-o', 'name'], { input: manifest.replace('1}', '2}') });
    t.equal(patched.code, 0, `kubectl apply -f, changing the deepest value: ${patched.stderr.slice(0, 300)}`);
    const ssa = await kubectl(target.kubeconfig, ['-n', 'default', 'apply', '--server-side', '--force-conflicts', '-f', '-', '-o', 'name'], { input: manifest.replace('1}', '3}') });
    t.equal(ssa.code, 0, `kubectl apply --server-side: ${ssa.stderr.slice(0, 300)}`);
    const got = await send('GET', `${DEEPS}/by-kubectl`);
    t.ok(textDepth(got.text) >= depth && got.text.includes('{"a":3}'), 'kubectl\'s applies changed the deepest value');
    t.equal((await send('DELETE', `${DEEPS}/by-kubectl`)).status, 200);
  });

  await t.test('client-node: create, read, list and replace a deep custom object', async (t) => {
    // client-node writes bodies with JSON.stringify, which throws past about 4 500 levels in the
    // client itself; its reads (JSON.parse) hold any depth
    const depth = 4_000;
    const config = new k8s.KubeConfig();
    config.loadFromFile(target.kubeconfig);
    const objects = config.makeApiClient(k8s.CustomObjectsApi);
    const where = { group: 'example.com', version: 'v1', namespace: 'default', plural: 'deeps' };
    const body = (leaf: number) => ({ apiVersion: 'example.com/v1', kind: 'Deep', metadata: { name: 'by-client-node' }, spec: JSON.parse(nested(depth - 2).replace('1}', `${leaf}}`)) });
    const depthOf = (v: unknown) => { let d = 0; for (let x = v; typeof x === 'object' && x !== null; x = (x as { a?: unknown }).a) d++; return d; };
    const created = await objects.createNamespacedCustomObject({ ...where, body: body(1) }) as { spec: unknown; metadata: { resourceVersion: string } };
    t.equal(depthOf(created.spec), depth - 2, 'created, whole');
    const got = await objects.getNamespacedCustomObject({ ...where, name: 'by-client-node' }) as { spec: unknown; metadata: { resourceVersion: string } };
    t.equal(depthOf(got.spec), depth - 2, 'read back whole');
    const list = await objects.listNamespacedCustomObject(where) as { items: Array<{ metadata: { name: string } }> };
    t.ok(list.items.some((i) => i.metadata.name === 'by-client-node'), 'listed');
    const replaced = await objects.replaceNamespacedCustomObject({ ...where, name: 'by-client-node',
      body: { ...body(2), metadata: { name: 'by-client-node', resourceVersion: got.metadata.resourceVersion } } }) as { spec: unknown };
    t.match(JSON.stringify(replaced.spec), /\{"a":2\}/, 'replaced, deepest value changed');
    await objects.deleteNamespacedCustomObject({ ...where, name: 'by-client-node' });
  });

  await t.test('the CEL rule and the policy see the deep spec', async (t) => {
    const ruled = await send('POST', DEEPS, `{"apiVersion":"example.com/v1","kind":"Deep","metadata":{"name":"ruled"},"spec":{"forbidden":1,"a":${nested(LIMIT - 3)}}}`);
    t.equal(ruled.status, 422, `CRD rule refuses: ${say(ruled)}`);
    t.match(ruled.json?.message, /spec.forbidden is forbidden/);
    const poisoned = await send('POST', DEEPS, `{"apiVersion":"example.com/v1","kind":"Deep","metadata":{"name":"poisoned"},"spec":{"poison":1,"a":${nested(LIMIT - 3)}}}`);
    t.equal(poisoned.status, 422, `policy refuses: ${say(poisoned)}`);
    t.match(poisoned.json?.message, /poisoned/);
  });

  await t.test('self == oldSelf on a deep subtree, in a CRD rule and in a policy', async (t) => {
    // root, spec, then the subtree: 10 000 levels in all
    for (const field of ['locked', 'sealed']) {
      const subtree = (leaf: number) => nested(LIMIT - 2).replace('1}', `${leaf}}`);
      const created = await send('POST', DEEPS, `{"apiVersion":"example.com/v1","kind":"Deep","metadata":{"name":"${field}"},"spec":{"${field}":${subtree(1)}}}`);
      t.equal(created.status, 201, `create with a deep ${field}: ${say(created)}`);
      const same = await send('PATCH', `${DEEPS}/${field}`, '{"metadata":{"labels":{"touched":"yes"}}}', MERGE_PATCH);
      t.equal(same.status, 200, `an update leaving spec.${field} as it was: ${say(same)}`);
      const changed = await send('PATCH', `${DEEPS}/${field}`, `{"spec":{"${field}":${subtree(2)}}}`, MERGE_PATCH);
      t.equal(changed.status, 422, `an update changing the deepest value of spec.${field}: ${say(changed)}`);
      t.match(changed.json?.message, field === 'locked' ? /spec.locked is immutable/ : /spec.sealed is sealed/);
      t.equal((await send('DELETE', `${DEEPS}/${field}`)).status, 200);
    }
  });

  await t.test('update and every patch type at the limit', async (t) => {
    const name = `d${LIMIT}`;
    const cur = await send('GET', `${DEEPS}/${name}`);
    const rv = cur.json.metadata.resourceVersion;
    const put = await send('PUT', `${DEEPS}/${name}`, deepDoc(name, LIMIT, `,"resourceVersion":"${rv}","labels":{"put":"yes"}`));
    t.equal(put.status, 200, `update: ${say(put)}`);
    t.equal(put.json?.metadata?.labels?.put, 'yes');
    // each body is the patch document; the patched object stays within the limit
    const merge = await send('PATCH', `${DEEPS}/${name}`, `{"metadata":{"labels":{"merge":"yes"}},"spec":${nested(LIMIT - 2)}}`, MERGE_PATCH);
    t.equal(merge.status, 200, `merge patch: ${say(merge)}`);
    const json = await send('PATCH', `${DEEPS}/${name}`, `[{"op":"add","path":"/spec/b","value":${nested(LIMIT - 4)}},{"op":"copy","from":"/spec/b","path":"/spec/c"},{"op":"test","path":"/spec/b","value":${nested(LIMIT - 4)}}]`, JSON_PATCH);
    t.equal(json.status, 200, `json patch: ${say(json)}`);
    const smp = await send('PATCH', `${DEEPS}/${name}`, `{"spec":${nested(LIMIT - 2)}}`, SMP);
    t.equal(smp.status, 415, `strategic merge is not for custom resources: ${say(smp)}`);
    const dry = await send('PATCH', `${DEEPS}/${name}?dryRun=All`, `{"spec":{"d":${nested(LIMIT - 3)}}}`, MERGE_PATCH);
    t.equal(dry.status, 200, `dry-run patch: ${say(dry)}`);
    const status = await send('PATCH', `${DEEPS}/${name}/status`, `{"status":${nested(LIMIT - 2)}}`, MERGE_PATCH);
    t.equal(status.status, 200, `status patch: ${say(status)}`);
    for (const [what, body] of [
      ['apply (taking over)', deepDoc(name, LIMIT)],
      ['apply (changing the deepest value)', deepDoc(name, LIMIT).replace('1}', '2}')],
    ]) {
      const applied = await send('PATCH', `${DEEPS}/${name}?fieldManager=deep-applier&force=true`, body, APPLY);
      t.equal(applied.status, 200, `${what}: ${say(applied)}`);
    }
    const fresh = await send('PATCH', `${DEEPS}/applied?fieldManager=deep-applier`, deepDoc('applied', LIMIT), APPLY);
    t.equal(fresh.status, 201, `apply creating: ${say(fresh)}`);
    const conflict = await send('PATCH', `${DEEPS}/applied?fieldManager=other`, deepDoc('applied', LIMIT).replace('1}', '3}'), APPLY);
    t.equal(conflict.status, 409, `apply conflict on the deepest field: ${say(conflict)}`);
    const frozen = await send('PATCH', `${DEEPS}/${name}`, '{"spec":{"frozen":true}}', MERGE_PATCH);
    t.equal(frozen.status, 200, say(frozen));
    const thawed = await send('PATCH', `${DEEPS}/${name}`, '{"spec":{"frozen":null}}', MERGE_PATCH);
    t.equal(thawed.status, 422, `the transition rule sees the deep old and new spec: ${say(thawed)}`);
    t.match(thawed.json?.message, /frozen stays frozen/);
    const got = await send('GET', `${DEEPS}/${name}`);
    t.equal(got.json?.metadata?.labels?.merge, 'yes');
    t.ok(textDepth(got.text) >= LIMIT);
    await waitFor('watch saw the updates', () => watch.events.some((e) => e.type === 'MODIFIED' && e.object.metadata.name === name), { timeoutMs: 20_000 });
  });

  await t.test('strategic merge on a built-in type walks the deep patch', async (t) => {
    t.equal((await send('POST', CM, { metadata: { name: 'deep-smp' } })).status, 201);
    // annotation values are strings: merged first, then refused by validation (not a 500)
    const r = await send('PATCH', `${CM}/deep-smp`, `{"metadata":{"annotations":${nested(LIMIT - 2)}}}`, SMP);
    t.equal(r.status, 422, say(r));
    const deepList = await send('PATCH', `${CM}/deep-smp`, `{"data":{"a":"b"},"$setElementOrder/x":[${nested(LIMIT - 2)}]}`, SMP);
    t.ok(deepList.status < 500, say(deepList));
  });

  await t.test('one level more is refused at decode, for every body type', async (t) => {
    const over = LIMIT + 1;
    const created = await send('POST', DEEPS, deepDoc('over', over));
    t.equal(created.status, 400, `create: ${say(created)}`);
    t.match(created.json?.message, /nested too deeply: more than 10000 levels/);
    const yaml = await send('POST', DEEPS, deepDoc('over', over), { 'Content-Type': 'application/yaml' });
    t.equal(yaml.status, 400, `YAML create: ${say(yaml)}`);
    const name = `d${LIMIT}`;
    for (const [what, body, headers] of [
      ['merge patch', `{"spec":${nested(over - 1)}}`, MERGE_PATCH],
      ['json patch', `[{"op":"add","path":"/spec/x","value":${nested(over - 2)}}]`, JSON_PATCH],
      ['apply', deepDoc(name, over), APPLY],
    ] as const) {
      const r = await send('PATCH', `${DEEPS}/${name}?fieldManager=m`, body, headers);
      t.equal(r.status, 400, `${what}: ${say(r)}`);
    }
    // a small patch that makes a document too deep is refused too
    const grown = await send('PATCH', `${DEEPS}/d${LIMIT}`, '[{"op":"move","from":"/spec/a","path":"/spec/b/a"}]', JSON_PATCH);
    t.ok(grown.status === 400 || grown.status === 422, `a patch result past the limit: ${say(grown)}`);
  });

  await t.test('delete', async (t) => {
    for (const name of [`d${LIMIT - 1}`, `d${LIMIT}`, 'applied']) {
      const r = await send('DELETE', `${DEEPS}/${name}`);
      t.equal(r.status, 200, `delete ${name}: ${say(r)}`);
    }
    await waitFor('watch saw the deletes', () => watch.events.filter((e) => e.type === 'DELETED').length >= 3, { timeoutMs: 20_000 });
  });

  t.equal(target.child.exitCode, null, 'server still running');
  t.equal((await send('GET', '/readyz')).status, 200);
});

t.test('etcd: a 10 000-level document is stored, read, listed and watched', { skip: findEtcd() ? false : 'etcd not installed' }, async (t) => {
  const etcd = await startEtcdCluster(t, 1);
  const srv = await spawnServer(t, ['--storage', 'etcd', '--etcd-servers', etcd.clientURLs.join(',')]);
  const target = await connect(srv);
  const send = sender(target);
  await installCRD(t, send);
  const watch = openWatch(target.url, target.creds, `${DEEPS}?watch=true`);
  t.teardown(() => watch.stop());
  t.equal(await watch.status, 200);
  const created = await send('POST', DEEPS, deepDoc('e', LIMIT));
  t.equal(created.status, 201, say(created));
  const patched = await send('PATCH', `${DEEPS}/e`, `{"spec":{"b":${nested(LIMIT - 3)}}}`, MERGE_PATCH);
  t.equal(patched.status, 200, say(patched));
  const got = await send('GET', `${DEEPS}/e`);
  t.ok(textDepth(got.text) >= LIMIT, `read back ${textDepth(got.text)} levels`);
  const list = await send('GET', DEEPS);
  t.equal(list.json?.items?.length, 1, say(list));
  await waitFor('watch saw the patch', () => watch.events.some((e) => e.type === 'MODIFIED'), { timeoutMs: 20_000 });
  t.equal(srv.child.exitCode, null, 'server still running');
});
