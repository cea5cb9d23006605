/**
 * `npm run bench`: runs every test/bench/*.bench.ts (compiled) one after another, prints ONE
 * table of their rows (metric, goal, measured, same-run baseline, ratio, load average) and writes
 * the same figures as JSON to bench-results/<timestamp>.json (path printed).
 *
 *   npm run bench                       all benches
 *   npm run bench -- placement api      only these benches (a name that is no bench's: every bench starting with it)
 *   npm run bench -- --compare bench-results/<file>.json   adds that run's figures as a column
 *
 * A bench's run() returns { rows, details } (see report.ts); one that returns a plain record
 * still runs and its figures go to the JSON file's details, without rows.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBenchOutput, loadAverage, type BenchRow } from './report.js';
import { renderTable, rowKey, type TableRow } from './table.js';

const dir = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const compareAt = args.indexOf('--compare');
const compareFile = compareAt >= 0 ? args.splice(compareAt, 2)[1] : undefined;
const only = args;
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.js')).map((f) => f.replace(/\.bench\.js$/, ''));
// a bench's exact name picks that one; otherwise a prefix picks every bench starting with it
const files = all.filter((n) => only.length === 0 || only.some((o) => n === o || (!all.includes(o) && n.startsWith(o)))).map((n) => `${n}.bench.js`);
if (files.length === 0) {
  process.stderr.write(`no bench matches ${only.join(' ')}; have: ${all.join(', ')}\n`);
  process.exit(1);
}

const startedAt = new Date();
const loadAtStart = loadAverage();
const rows: TableRow[] = [];
const details: Record<string, unknown> = {};
const timings: Record<string, { seconds: number; loadStart: number; loadEnd: number; error?: string }> = {};
for (const f of files) {
  const name = f.replace(/\.bench\.js$/, '');
  process.stdout.write(`\n=== bench ${name} (load ${loadAverage()})\n`);
  const loadStart = loadAverage();
  const started = Date.now();
  let error: string | undefined;
  try {
    const mod = await import(pathToFileURL(join(dir, f)).href) as { run(): Promise<unknown> };
    const out = await mod.run();
    const load = loadAverage();
    if (isBenchOutput(out)) {
      for (const r of out.rows) rows.push({ bench: name, ...r, load: r.load ?? load });
      details[name] = out.details;
    } else {
      details[name] = out;
    }
  } catch (e) {
    error = (e as Error).stack ?? String(e);
    details[name] = { error };
    process.stderr.write(`bench ${name} failed: ${error}\n`);
  }
  const seconds = (Date.now() - started) / 1000;
  timings[name] = { seconds, loadStart, loadEnd: loadAverage(), ...(error ? { error } : {}) };
  process.stdout.write(`=== ${name} took ${seconds.toFixed(1)} s\n`);
}

let previous: Map<string, BenchRow> | undefined;
if (compareFile) {
  const old = JSON.parse(readFileSync(compareFile, 'utf8')) as { rows: TableRow[] };
  previous = new Map(old.rows.map((r) => [rowKey(r), r]));
}

const host = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAtStart, loadAtEnd: loadAverage() };
let commit: string | undefined;
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  commit = undefined;
}
const outDir = resolve(process.env.BENCH_RESULTS_DIR ?? 'bench-results');
mkdirSync(outDir, { recursive: true });
const outFile = join(outDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(outFile, `${JSON.stringify({ startedAt: startedAt.toISOString(), commit, host, benches: timings, rows, details }, null, 2)}\n`);

process.stdout.write(`\nnode ${host.node}, ${host.cpus} × ${host.cpuModel}, commit ${commit ?? '?'}, load average ${loadAtStart} at start, ${host.loadAtEnd} at end\n`);
process.stdout.write(`${renderTable(rows, previous)}\n`);
const failed = Object.entries(timings).filter(([, t]) => t.error).map(([n]) => n);
if (failed.length) process.stdout.write(`failed: ${failed.join(', ')} (see ${outFile})\n`);
process.stdout.write(`\nresults: ${outFile}\n`);
process.exit(failed.length ? 1 : 0);
