/**
 * YAML bodies as deep as kube reads them (10 000 levels) decode, in flow, block and compact
 * styles; 10 001 is the 400 JSON gets. Documents that parsed on the main thread before give the
 * same value (or the same Status) from the worker, and the pre-scan keeps ordinary manifests on the
 * main thread.
 */
import t from 'tap';
import { decodeBody } from '../../src/apiserver/body.js';
import { decodeYamlBody, MAIN_THREAD_YAML_DEPTH, yamlNestingBound } from '../../src/apiserver/yaml-body.js';
import { decodeYamlInWorker } from '../../src/apiserver/yaml-worker-client.js';
import { StatusError } from '../../src/errors/status.js';

const LIMIT = 10_000;

function depthOf(v: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length) {
    const [cur, d] = stack.pop()!;
    if (typeof cur !== 'object' || cur === null) { max = Math.max(max, d); continue; }
    for (const c of Object.values(cur)) stack.push([c, d + 1]);
    if (Object.keys(cur).length === 0) max = Math.max(max, d + 1);
  }
  return max;
}

/** Deep YAML of `depth` levels in all (the root mapping is level 1) in a few styles. */
const STYLES: Record<string, (depth: number) => string> = {
  'flow mappings': (d) => `metadata: {name: x}\nspec: ${'{a: '.repeat(d - 1)}1${'}'.repeat(d - 1)}\n`,
  'flow sequences and mappings': (d) => `spec: ${'[{a: '.repeat((d - 1) / 2)}1${'}]'.repeat((d - 1) / 2)}\n`,
  'compact block sequences': (d) => `spec:\n${'- '.repeat(d - 1)}1\n`,
  'flow inside block': (d) => `spec:\n  a:\n    b: ${'['.repeat(d - 3)}x${']'.repeat(d - 3)}\n`,
};

const yaml = (text: string) => decodeBody(Buffer.from(text), 'application/yaml');

async function status(p: Promise<unknown>): Promise<StatusError | undefined> {
  try { await p; return undefined; } catch (e) { if (e instanceof StatusError) return e; throw e; }
}

t.test('deep YAML decodes up to the limit, in every style', async (t) => {
  for (const [style, doc] of Object.entries(STYLES)) {
    const depth = style === 'flow sequences and mappings' ? LIMIT - 1 : LIMIT;
    const v = await yaml(doc(depth));
    t.equal(depthOf(v), depth, `${style}: ${depth} levels`);
  }
  // a block mapping per line, as deep as the 3 MiB body allows (its indentation grows per level)
  let block = 'spec:\n';
  for (let i = 1; i < 2_400; i++) block += `${' '.repeat(i)}a:\n`;
  block += `${' '.repeat(2_400)}b: 1\n`;
  t.equal(depthOf(await yaml(block)), 2_401, 'block mappings');
});

t.test('one level past the limit is the 400 JSON gets', async (t) => {
  for (const [style, doc] of Object.entries(STYLES)) {
    const depth = style === 'flow sequences and mappings' ? LIMIT + 2 : LIMIT + 1;
    const e = await status(yaml(doc(depth)));
    t.equal(e?.code, 400, style);
    t.match(e?.message, /nested too deeply: more than 10000 levels/);
  }
});

t.test('deep documents keep kube\'s other YAML bounds', async (t) => {
  const deepSpec = `${'['.repeat(5_000)}1${']'.repeat(5_000)}`;
  const syntax = await status(yaml(`spec: ${deepSpec}\nbad: [\n`));
  t.equal(syntax?.code, 400);
  t.match(syntax?.message, /^error decoding YAML: /);
  const lines = [`a: &a ["${'x'.repeat(100)}"]`, `spec: ${deepSpec.replace('1', '*a')}`];
  for (let i = 0; i < 20; i++) lines.push(`k${i}: &k${i} [${`*${i === 0 ? 'a' : `k${i - 1}`},`.repeat(4)}]`);
  const bomb = await status(yaml(lines.join('\n') + '\n'));
  t.equal(bomb?.code, 413, 'an alias bomb is refused before it expands');
  const dup = await status(yaml(`spec: ${deepSpec}\nd: {a: 1, a: 2}\n`));
  t.equal(dup?.code, 400, 'duplicate keys');
  // aliased subtrees are unshared
  const shared = await yaml(`a: &x {k: [1]}\nb: *x\nspec: ${deepSpec}\n`) as Record<string, any>;
  shared.a.k.push(2);
  t.same(shared.b.k, [1]);
});

t.test('the worker gives what the main thread gives', async (t) => {
  const docs = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels: {a: b}\ndata:\n  k: |\n    line one\n    [not] {flow}\n',
    'a: &x [1, 2.5, -3, 0x10, 0o7, true, null, ~, "s", \'q\']\nb: *x\nc: {d: *x}\n',
    'inf: .inf\nninf: -.Inf\nnan: .NaN\nnzero: -0\nfzero: -0.0\nlist: [.inf, 1]\n',
    'tagged: !!str 123\nint: !!int "7"\nfloat: !!float 1\nbin: 2024-01-01\n',
    '"__proto__": {polluted: true}\nconstructor: 1\n',
    '- 1\n- - 2\n  - 3\n',
    'plain scalar',
    '42\n',
  ];
  for (const doc of docs) {
    const here = decodeYamlBody(doc);
    const there = await decodeYamlInWorker(doc);
    t.same(there, here, JSON.stringify(doc));
    t.equal(Object.getPrototypeOf(there ?? {}), Object.getPrototypeOf(here ?? {}));
    if (typeof here === 'object' && here !== null && 'inf' in here) {
      const h = here as Record<string, unknown>, w = there as Record<string, unknown>;
      for (const k of ['inf', 'ninf', 'nan', 'nzero', 'fzero']) t.ok(Object.is(h[k], w[k]), `${k}: ${String(h[k])}`);
      t.equal((w.list as number[])[0], Infinity);
    }
    if (doc.startsWith('"__proto__"')) t.ok(Object.hasOwn(there as object, '__proto__'), '__proto__ stays an own key');
  }
  for (const bad of ['# only a comment\n', 'a: [1\n', 'a: 1\n---\nb: 2\n', 'a: 1\na: 2\n', '!!binary x: 1\n']) {
    let here: unknown, there: unknown;
    try { decodeYamlBody(bad); } catch (e) { here = e; }
    try { await decodeYamlInWorker(bad); } catch (e) { there = e; }
    t.ok(here instanceof StatusError, `main thread refuses ${JSON.stringify(bad)}`);
    t.same([(there as StatusError).code, (there as StatusError).message], [(here as StatusError).code, (here as StatusError).message]);
  }
});

t.test('the pre-scan keeps ordinary manifests on the main thread', async (t) => {
  const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    a: "http://x:80/a-b-c"\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        args: ["--a=b", "--c=d"]\n        ports:\n        - {containerPort: 80}\n';
  t.ok(yamlNestingBound(manifest) <= MAIN_THREAD_YAML_DEPTH / 10, `bound ${yamlNestingBound(manifest)}`);
  for (const doc of Object.values(STYLES)) t.ok(yamlNestingBound(doc(1_601)) > MAIN_THREAD_YAML_DEPTH);
  // fooling the estimate (closing brackets inside quoted scalars) only costs a retry in the worker
  const fooled = `spec: ${`${'['.repeat(900)}"${']'.repeat(900)}", `.repeat(3)}1${']'.repeat(2_700)}\n`;
  t.ok(yamlNestingBound(fooled) <= MAIN_THREAD_YAML_DEPTH, `bound ${yamlNestingBound(fooled)}`);
  t.equal(depthOf(await yaml(fooled)), 2_701);
});
