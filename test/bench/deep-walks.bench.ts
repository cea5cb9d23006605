/**
 * The cost of depth-safety. Common path: stringifyJSON (native JSON.stringify, explicit-stack
 * serializer only after a RangeError) against JSON.stringify itself on a Deployment-sized object,
 * and the walks every write runs (field sets, compare, strategic merge, apply merge, CEL values).
 * Deep path: what one 10 000-level document costs each of them (the server accepts those now).
 * Also CEL `self == oldSelf` (cel-js's equality, with its overflow fallback) and YAML body decoding
 * (pre-scan + js-yaml on the main thread against js-yaml alone; deep bodies in the worker).
 */
import { stringifyJSON } from '../../src/machinery/json-text.js';
import { deepClone, deepEqual } from '../../src/machinery/objects.js';
import { compare, toFieldSet } from '../../src/apiserver/patch/fields.js';
import { strategicMergePatch } from '../../src/apiserver/patch/strategic-merge.js';
import { applyMerge } from '../../src/apiserver/patch/apply-merge.js';
import { toCelValue } from '../../src/cel/values.js';
import { compileRule } from '../../src/cel/rule.js';
import { CORE_SCHEMA, load as loadYAML } from 'js-yaml';
import { decodeBody } from '../../src/apiserver/body.js';
import { stringify as yamlStringify } from 'yaml';
import { deployment, deploymentSchema } from '../apiserver/patch/fixtures.js';
import { alternate, median, type BenchOutput, type BenchRow } from './report.js';

/** Operations per second of `fn` over a burst of `n` calls. */
function perSecond(n: number, fn: (i: number) => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Math.round(n / (Number(process.hrtime.bigint() - start) / 1e9));
}

/** Milliseconds one call of `fn` takes (median of `runs`). */
function msPerCall(runs: number, fn: () => unknown): number {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Number(median(samples).toFixed(2));
}

export async function run(): Promise<BenchOutput> {
  const live = deployment() as Record<string, any>;
  for (let i = 0; i < 10; i++) live.spec.template.spec.containers.push({ name: `c${i}`, image: 'x', env: [{ name: 'A', value: '1' }] });
  const rows: BenchRow[] = [];

  const turns = await alternate(7, {
    native: () => perSecond(20_000, () => JSON.stringify(live)),
    safe: () => perSecond(20_000, () => stringifyJSON(live)),
  });
  rows.push({
    metric: 'stringify a Deployment (common path)', unit: '/s', measured: median(turns.safe), baseline: median(turns.native),
    baselineName: 'JSON.stringify', goal: { op: '>=', value: 0.95, on: 'ratio' },
  });
  const other = deepClone(live);
  other.spec.replicas = 7;
  const common: Array<[string, (i: number) => unknown]> = [
    ['deepEqual', () => deepEqual(live, other)],
    ['toFieldSet', () => toFieldSet(live, deploymentSchema)],
    ['compare (update)', () => compare(live, other, deploymentSchema)],
    ['strategic merge', (i) => strategicMergePatch(live, { spec: { replicas: i, template: { spec: { containers: [{ name: 'c3', image: `v${i}` }] } } } }, deploymentSchema)],
    ['apply merge', () => applyMerge(live, other, deploymentSchema)],
    ['toCelValue', () => toCelValue(live)],
  ];
  for (const [name, fn] of common) rows.push({ metric: `${name}, Deployment`, unit: '/s', measured: perSecond(5_000, fn) });

  const equalRule = compileRule('self == oldSelf', { vars: ['self', 'oldSelf'] });
  const celLive = toCelValue(live), celOther = toCelValue(deepClone(live));
  rows.push({ metric: 'CEL self == oldSelf, Deployment', unit: '/s', measured: perSecond(5_000, () => equalRule.eval({ self: celLive, oldSelf: celOther })) });
  const manifest = Buffer.from(yamlStringify(live));
  const yamlTurns = await alternate(7, {
    jsYaml: () => perSecond(2_000, () => loadYAML(manifest.toString('utf8'), { schema: CORE_SCHEMA, maxDepth: 10_002 })),
    body: async () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 2_000; i++) await decodeBody(manifest, 'application/yaml');
      return Math.round(2_000 / (Number(process.hrtime.bigint() - start) / 1e9));
    },
  });
  rows.push({
    metric: 'YAML body decode, Deployment (common path)', unit: '/s', measured: median(yamlTurns.body), baseline: median(yamlTurns.jsYaml),
    baselineName: 'js-yaml load', goal: { op: '>=', value: 0.9, on: 'ratio' },
  });

  const nested = (n: number, leaf: number) => JSON.parse('{"a":'.repeat(n) + leaf + '}'.repeat(n));
  const deepA = { spec: nested(10_000, 1) };
  const deepB = { spec: nested(10_000, 2) };
  const deep: Array<[string, () => unknown]> = [
    ['stringifyJSON', () => stringifyJSON(deepA)],
    ['deepClone', () => deepClone(deepA)],
    ['deepEqual', () => deepEqual(deepA, deepB)],
    ['toFieldSet + toFieldsV1', () => toFieldSet(deepA, undefined).toFieldsV1()],
    ['compare (create)', () => compare(undefined, deepA, undefined)],
    ['strategic merge', () => strategicMergePatch(deepA, deepB, undefined)],
    ['apply merge', () => applyMerge(deepA, deepB, undefined)],
    ['toCelValue', () => toCelValue(deepA)],
  ];
  for (const [name, fn] of deep) rows.push({ metric: `${name}, 10 000 levels`, unit: 'ms', measured: msPerCall(5, fn) });

  const celA = toCelValue(deepA), celB = toCelValue({ spec: nested(10_000, 1) });
  rows.push({ metric: 'CEL self == oldSelf, 10 000 levels', unit: 'ms', measured: msPerCall(5, () => equalRule.eval({ self: celA, oldSelf: celB })) });
  const flow = Buffer.from(`spec: ${'{a: '.repeat(9_999)}1${'}'.repeat(9_999)}\n`);
  await decodeBody(flow, 'application/yaml'); // starts the worker
  const samples: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    await decodeBody(flow, 'application/yaml');
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  rows.push({ metric: 'YAML body decode (flow, in the worker), 10 000 levels', unit: 'ms', measured: Number(median(samples).toFixed(2)) });
  return { rows };
}
