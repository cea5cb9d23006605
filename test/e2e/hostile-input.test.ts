/**
 * Small hostile inputs against a real tmc-server process over mTLS: each must get a 4xx Status
 * promptly, and the server must keep serving (a crash or a frozen event loop here is an outage for
 * every tenant). The server runs as a child process so that heap exhaustion shows as a failed
 * test rather than killing the test runner.
 */
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request, type Creds, type RawResponse } from '../helpers/http.js';
import { spawnServer, tempDir, type SpawnedServer } from '../helpers/tmc.js';
import { readKubeconfigFile } from '../../src/security/kubeconfig.js';
import { waitFor } from '../helpers/wait.js';

const CM = '/clusters/root/api/v1/namespaces/default/configmaps';
const JSON_PATCH = { 'Content-Type': 'application/json-patch+json' };
const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };
const SMP = { 'Content-Type': 'application/strategic-merge-patch+json' };

let srv: SpawnedServer;
let creds: Creds;

t.before(async () => {
  // a small heap makes an exploding request fail fast instead of swapping
  srv = await spawnServer(t, ['--storage', 'memory'], { nodeArgs: ['--max-old-space-size=384'] });
  const kc = readKubeconfigFile(srv.kubeconfigPath);
  creds = { caPem: kc.caPem!, certPem: kc.certPem, keyPem: kc.keyPem };
});

/** A request that must come back within `ms` (a hung request fails the test instead of timing it out). */
async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, ms = 20_000): Promise<RawResponse> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${method} ${path} did not answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([request(srv.url, creds, method, path, body, headers), hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function alive(t: Test): Promise<void> {
  t.equal(srv.child.exitCode, null, 'server process still running');
  const r = await send('GET', '/readyz', undefined, {}, 5_000);
  t.equal(r.status, 200, '/readyz answers');
}

function nestedJSON(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

t.test('JSON patch bounds', async (t) => {
  await t.test('40 copy operations doubling the annotations: 4xx, server lives', async (t) => {
    t.equal((await send('POST', CM, { metadata: { name: 'bomb', annotations: { a: 'x'.repeat(50) } } })).status, 201);
    const ops = Array.from({ length: 40 }, (_, i) => ({ op: 'copy', from: '/metadata/annotations', path: `/metadata/annotations/k${i}` }));
    const r = await send('PATCH', `${CM}/bomb`, ops, JSON_PATCH);
    t.equal(r.status, 422, r.text.slice(0, 300));
    t.equal(r.json?.kind, 'Status');
    t.match(r.json?.details?.causes?.[0]?.message, /accumulated size increase of copy is \d+, exceeding the limit 3145728/);
    await alive(t);
    const kept = await send('GET', `${CM}/bomb`);
    t.notOk('k0' in kept.json.metadata.annotations, 'stored object unchanged');
  });

  await t.test('more than 10 000 operations: 413', async (t) => {
    const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/metadata/name', value: 'bomb' }));
    const r = await send('PATCH', `${CM}/bomb`, ops, JSON_PATCH);
    t.equal(r.status, 413);
    t.equal(r.json?.reason, 'RequestEntityTooLarge');
  });

  await t.test('a patch whose result exceeds the object size limit: 413', async (t) => {
    const big = 'y'.repeat(2 * 1024 * 1024);
    t.equal((await send('POST', CM, { metadata: { name: 'big' }, data: { a: big } })).status, 201);
    for (const [headers, body] of [
      [MERGE_PATCH, { data: { b: big } }],
      [SMP, { data: { b: big } }],
      [JSON_PATCH, [{ op: 'add', path: '/data/b', value: big }]],
    ] as const) {
      const r = await send('PATCH', `${CM}/big`, body, headers);
      t.equal(r.status, 413, `${headers['Content-Type']}: ${r.text.slice(0, 200)}`);
      t.equal(r.json?.reason, 'RequestEntityTooLarge');
      t.match(r.json?.message, /limit is 3145728/);
    }
    const kept = await send('GET', `${CM}/big`);
    t.same(Object.keys(kept.json.data), ['a'], 'stored object unchanged');
    await alive(t);
  });
});

t.test('nesting depth', async (t) => {
  t.equal((await send('POST', CM, { metadata: { name: 'deep' } })).status, 201);
  await t.test('too deep at decode: 400 for JSON, YAML and every patch type', async (t) => {
    for (const depth of [10_001, 20_000]) {
      const doc = `{"metadata":{"name":"d${depth}","labels":${nestedJSON(depth)}}}`;
      const created = await send('POST', CM, doc);
      t.equal(created.status, 400, `create, depth ${depth}: ${created.text.slice(0, 200)}`);
      t.match(created.json?.message, /nested too deeply/);
      const yaml = `metadata: {name: y${depth}, labels: ${nestedJSON(depth).replace(/"/g, '')}}`;
      const fromYAML = await send('POST', CM, yaml, { 'Content-Type': 'application/yaml' });
      t.equal(fromYAML.status, 400, `YAML create, depth ${depth}: ${fromYAML.text.slice(0, 200)}`);
      for (const headers of [MERGE_PATCH, SMP]) {
        const r = await send('PATCH', `${CM}/deep`, `{"data":${nestedJSON(depth)}}`, headers);
        t.equal(r.status, 400, `${headers['Content-Type']}, depth ${depth}: ${r.text.slice(0, 200)}`);
      }
      const jp = await send('PATCH', `${CM}/deep`, `[{"op":"add","path":"/data","value":${nestedJSON(depth)}}]`, JSON_PATCH);
      t.equal(jp.status, 400, `json patch, depth ${depth}: ${jp.text.slice(0, 200)}`);
      const apply = await send('PATCH', `${CM}/deep?fieldManager=m`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${nestedJSON(depth)}}`,
        { 'Content-Type': 'application/apply-patch+yaml' });
      t.equal(apply.status, 400, `apply, depth ${depth}: ${apply.text.slice(0, 200)}`);
    }
  });

  await t.test('a JSON patch that builds depth past the limit: 4xx, never 500', async (t) => {
    t.equal((await send('PATCH', `${CM}/deep`, { metadata: { annotations: null }, data: null }, MERGE_PATCH)).status, 200);
    // each copy nests the tree one level deeper
    const ops = [{ op: 'add', path: '/metadata/labels', value: { a: {} } },
      ...Array.from({ length: 9_999 }, () => ({ op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/a/a' }))];
    const r = await send('PATCH', `${CM}/deep`, ops, JSON_PATCH);
    t.ok(r.status >= 400 && r.status < 500, `4xx: ${r.status} ${r.text.slice(0, 200)}`);
  });

  await t.test('just under the limit, every walk copes (no 500)', async (t) => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'blobs.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'blobs', kind: 'Blob' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: {
          spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        } } } }],
      },
    };
    t.equal((await send('POST', '/clusters/root/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const BLOBS = '/clusters/root/apis/example.com/v1/namespaces/default/blobs';
    await waitFor('blobs served', async () => (await send('GET', BLOBS)).status === 200, { timeoutMs: 15_000 });
    const inner = nestedJSON(9_990);
    const created = await send('POST', BLOBS, `{"apiVersion":"example.com/v1","kind":"Blob","metadata":{"name":"b"},"spec":${inner}}`);
    t.equal(created.status, 201, created.text.slice(0, 300));
    const merged = await send('PATCH', `${BLOBS}/b`, `{"spec":{"b":${inner}}}`, MERGE_PATCH);
    t.equal(merged.status, 200, `merge: ${merged.text.slice(0, 300)}`);
    const jp = await send('PATCH', `${BLOBS}/b`, [{ op: 'copy', from: '/spec/a', path: '/spec/c' }], JSON_PATCH);
    t.equal(jp.status, 200, `json patch: ${jp.text.slice(0, 300)}`);
    const applied = await send('PATCH', `${BLOBS}/b?fieldManager=m&force=true`,
      `{"apiVersion":"example.com/v1","kind":"Blob","metadata":{"name":"b"},"spec":{"d":${inner}}}`, { 'Content-Type': 'application/apply-patch+yaml' });
    t.equal(applied.status, 200, `apply: ${applied.text.slice(0, 300)}`);
    const got = await send('GET', `${BLOBS}/b`);
    t.equal(got.status, 200);
    const listed = await send('GET', BLOBS, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    t.equal(listed.status, 200);
    await alive(t);
  });

  await t.test('exactly at the limit and one level over, through every patch type: 2xx/4xx at the limit, 400 over it, never 500', async (t) => {
    const BLOBS = '/clusters/root/apis/example.com/v1/namespaces/default/blobs';
    // `nestedJSON(n)` is n levels; each body below wraps it in two more (root and spec, or the
    // JSON patch's array and operation, or metadata and annotations), so n = LIMIT - 2 is a
    // document exactly LIMIT deep
    const LIMIT = 10_000;
    for (const depth of [LIMIT, LIMIT + 1]) {
      const inner = nestedJSON(depth - 2);
      const expectOK = depth <= LIMIT;
      const check = (what: string, r: RawResponse) => {
        if (expectOK) t.ok(r.status < 500, `${what} at depth ${depth}: ${r.status} ${r.text.slice(0, 200)}`);
        else t.equal(r.status, 400, `${what} at depth ${depth}: ${r.text.slice(0, 200)}`);
      };
      const name = `edge${depth}`;
      const created = await send('POST', BLOBS, `{"apiVersion":"example.com/v1","kind":"Blob","metadata":{"name":"${name}"},"spec":${nestedJSON(depth - 1)}}`);
      check('create', created);
      if (created.status !== 201) t.equal((await send('POST', BLOBS, { apiVersion: 'example.com/v1', kind: 'Blob', metadata: { name } })).status, 201);
      check('merge patch', await send('PATCH', `${BLOBS}/${name}`, `{"spec":{"m":${inner}}}`, MERGE_PATCH));
      check('json patch', await send('PATCH', `${BLOBS}/${name}`, `[{"op":"add","path":"/spec/j","value":${inner}}]`, JSON_PATCH));
      check('apply', await send('PATCH', `${BLOBS}/${name}?fieldManager=edge&force=true`,
        `{"apiVersion":"example.com/v1","kind":"Blob","metadata":{"name":"${name}"},"spec":{"s":${nestedJSON(depth - 2)}}}`, { 'Content-Type': 'application/apply-patch+yaml' }));
      // strategic merge is for built-in types: a ConfigMap's annotations walked that deep (refused
      // by validation, since annotation values are strings, but merged first)
      check('strategic merge patch', await send('PATCH', `${CM}/deep`, `{"metadata":{"annotations":${inner}}}`, SMP));
      t.equal((await send('GET', `${BLOBS}/${name}`)).status, 200, `read back at depth ${depth}`);
      if (expectOK) {
        // an object created at the limit stays patchable (its managedFields, deeper still, are not counted)
        const small = await send('PATCH', `${BLOBS}/${name}`, '{"metadata":{"labels":{"x":"y"}}}', MERGE_PATCH);
        t.equal(small.status, 200, `a small patch of the object at the limit: ${small.text.slice(0, 200)}`);
      }
    }
    await alive(t);
  });
});

t.test('YAML: an alias bomb is refused before it expands; a wide map parses in linear time', async (t) => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: laughs}', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
  const bomb = await send('POST', CM, lines.join('\n') + '\n', { 'Content-Type': 'application/yaml' });
  t.equal(bomb.status, 413, bomb.text.slice(0, 200));
  const cyclic = await send('POST', CM, 'metadata: {name: loop}\ndata: &d {x: *d}\n', { 'Content-Type': 'application/yaml' });
  t.ok(cyclic.status >= 400 && cyclic.status < 500, `self-referencing alias: ${cyclic.status}`);
  let wide = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide-yaml}\ndata:\n';
  for (let i = 0; i < 50_000; i++) wide += `  k${i}: v\n`;
  const created = await send('POST', CM, wide, { 'Content-Type': 'application/yaml' }, 60_000);
  t.equal(created.status, 201, created.text.slice(0, 200));
  const dup = await send('POST', CM, 'metadata: {name: dup}\ndata: {a: "1", a: "2"}\n', { 'Content-Type': 'application/yaml' });
  t.equal(dup.status, 400, `duplicate keys: ${dup.text.slice(0, 200)}`);
  await alive(t);
});

t.test('413 is readable by a client that sends the whole body first (Python http.client)', async (t) => {
  const dir = tempDir(t);
  const ca = join(dir, 'ca.crt'); const cert = join(dir, 'c.crt'); const key = join(dir, 'c.key');
  writeFileSync(ca, creds.caPem); writeFileSync(cert, creds.certPem!); writeFileSync(key, creds.keyPem!);
  const url = new URL(srv.url);
  const script = `
import http.client, ssl, json, sys
ctx = ssl.create_default_context(cafile=${JSON.stringify(ca)})
ctx.load_cert_chain(${JSON.stringify(cert)}, ${JSON.stringify(key)})
body = json.dumps({"metadata": {"name": "huge"}, "data": {"a": "z" * (4 * 1024 * 1024)}}).encode()
c = http.client.HTTPSConnection(${JSON.stringify(url.hostname)}, ${url.port}, context=ctx)
c.request("POST", ${JSON.stringify(CM)}, body=body, headers={"Content-Type": "application/json"})
r = c.getresponse()
print(json.dumps({"status": r.status, "body": json.loads(r.read())}))
`;
  const out = await new Promise<string>((res, rej) => execFile('python3', ['-c', script], { timeout: 30_000 }, (err, stdout, stderr) => err ? rej(new Error(`${err.message}\n${stderr}`)) : res(stdout)));
  const parsed = JSON.parse(out);
  t.equal(parsed.status, 413);
  t.equal(parsed.body.reason, 'RequestEntityTooLarge');
  await alive(t);
});

t.test('regexes run in linear time (RE2)', async (t) => {
  const EVIL = 'a'.repeat(64) + '!';
  await t.test('ValidatingAdmissionPolicy matches() over a long value answers promptly', async (t) => {
    const VAP = '/clusters/root/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
    const VAPB = '/clusters/root/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
    t.equal((await send('POST', VAP, { metadata: { name: 'redos' }, spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
      validations: [{ expression: "!has(object.data) || !('v' in object.data) || object.data.v.matches('^(a+)+$')", message: 'v must be all a' }],
    } })).status, 201);
    t.equal((await send('POST', VAPB, { metadata: { name: 'redos' }, spec: { policyName: 'redos', validationActions: ['Deny'] } })).status, 201);
    let n = 0;
    await waitFor('policy active', async () => (await send('POST', CM, { metadata: { name: `probe-${n++}` }, data: { v: 'b' } })).status === 422, { timeoutMs: 15_000 });
    const r = await send('POST', CM, { metadata: { name: 'evil' }, data: { v: EVIL } });
    t.equal(r.status, 422, r.text.slice(0, 300));
    t.match(r.json?.message, /v must be all a/);
    const ok = await send('POST', CM, { metadata: { name: 'fine' }, data: { v: 'a'.repeat(64) } });
    t.equal(ok.status, 201, 'RE2 still matches what it should');
    await send('DELETE', `${VAPB}/redos`);
  });

  await t.test('CRD rule matches() and schema pattern over a long value answer promptly', async (t) => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'texts.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'texts', kind: 'Text' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: {
          spec: { type: 'object', properties: {
            rule: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.matches('^(a+)+$')", message: 'rule: all a' }] },
            found: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.find('(a|aa)+$') == ''", message: 'found: no a suffix' }] },
            pattern: { type: 'string', pattern: '^(a+)+$' },
          } },
        } } } }],
      },
    };
    t.equal((await send('POST', '/clusters/root/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    const TEXTS = '/clusters/root/apis/example.com/v1/namespaces/default/texts';
    await waitFor('texts served', async () => (await send('GET', TEXTS)).status === 200, { timeoutMs: 15_000 });
    for (const field of ['rule', 'pattern', 'found']) {
      const r = await send('POST', TEXTS, { apiVersion: 'example.com/v1', kind: 'Text', metadata: { name: `t-${field}` }, spec: { [field]: field === 'found' ? 'a'.repeat(5000) + '!' : EVIL } });
      t.equal(r.status, field === 'found' ? 201 : 422, `${field}: ${r.text.slice(0, 300)}`);
    }
    await alive(t);
  });
});
