/**
 * CEL evaluation throughput: three Kubernetes-style rules through src/cel (compileRule → eval,
 * with cost metering and typed results) against the raw @marcbachmann/cel-js engine on the same
 * activations, in the same run. Target: src/cel ≥ 0.8 × raw.
 *
 * Run: npx tsc -p . && node dist/test/bench/cel.bench.js
 */

import { Environment } from '@marcbachmann/cel-js';
import { celActivation, compileRule } from '../../src/cel/rule.js';
import type { BenchOutput, BenchRow } from './report.js';

const RULES = {
  k8s: { expr: "self.spec.replicas <= 10 && self.metadata.labels['env'] in ['prod','dev']", vars: ['self'] },
  placement: { expr: "cluster.labels.region == 'eu' && cluster.allocatable.cpu >= 4", vars: ['cluster'] },
  macro: { expr: 'self.spec.containers.all(c, c.name.size() < 64)', vars: ['self'] },
} as const;

function contexts(name: keyof typeof RULES, n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    if (name === 'placement') {
      out.push({ cluster: { name: `c${i}`, labels: { region: 'eu', zone: `eu-${i % 3}` }, allocatable: { cpu: 4 + (i % 8), memory: 1024 * i } } });
    } else {
      out.push({
        self: {
          metadata: { name: `w${i}`, labels: { env: i % 2 ? 'prod' : 'dev', app: 'web' } },
          spec: { replicas: i % 10, containers: [{ name: 'main', image: 'nginx' }, { name: `side${i}`, image: 'envoy' }, { name: 'log', image: 'fluent' }] },
        },
      });
    }
  }
  return out;
}

/** Evaluations per second of `fn` over the contexts, for about `ms` milliseconds (after a warm-up). */
function measure(fn: (ctx: any) => unknown, ctxs: unknown[], ms: number): number {
  const loop = (budgetMs: number): number => {
    let n = 0;
    const end = performance.now() + budgetMs;
    while (performance.now() < end) {
      for (let i = 0; i < ctxs.length; i++) if (fn(ctxs[i]) !== true) throw new Error('rule did not hold');
      n += ctxs.length;
    }
    return n;
  };
  loop(ms / 4);
  const start = performance.now();
  const n = loop(ms);
  return n / ((performance.now() - start) / 1000);
}

export async function run(): Promise<BenchOutput> {
  const ms = Number(process.env.CEL_BENCH_MS ?? 1500);
  const results: Record<string, unknown> = {};
  const rows: BenchRow[] = [];
  for (const [name, rule] of Object.entries(RULES) as [keyof typeof RULES, (typeof RULES)[keyof typeof RULES]][]) {
    const raw = contexts(name, 64);
    const converted = raw.map((c) => celActivation(c));
    const compiled = compileRule(rule.expr, { vars: rule.vars, expect: 'bool' });
    const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
    for (const v of rule.vars) env.registerVariable(v, 'dyn');
    const rawFn = env.parse(rule.expr);
    rawFn.check();

    const rawEngine = measure((c) => rawFn(c), converted, ms);
    const ours = measure((c) => compiled.eval(c).value, converted, ms);
    const oursWithConversion = measure((c) => compiled.eval(c).value, raw, ms);
    results[name] = {
      rawCelJsPerSec: Math.round(rawEngine),
      srcCelPerSec: Math.round(ours),
      ratio: Number((ours / rawEngine).toFixed(2)),
      srcCelIncludingJsonConversionPerSec: Math.round(oursWithConversion),
    };
    rows.push({ metric: `CEL ${name} rule evaluations`, goal: { op: '>=', value: 0.8, on: 'ratio' }, measured: Math.round(ours), baseline: Math.round(rawEngine), baselineName: 'raw cel-js', unit: '/s' });
  }
  console.log(JSON.stringify({ bench: 'cel', ...results }, null, 2));
  return { rows, details: results };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
