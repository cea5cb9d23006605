/**
 * `npm run bench`: runs every test/bench/*.bench.ts (compiled) one after another and prints their
 * figures. `npm run bench -- api cel` runs only the named ones.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.js'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));

const results: Record<string, unknown> = {};
for (const f of files) {
  const name = f.replace(/\.bench\.js$/, '');
  process.stdout.write(`\n=== bench ${name}\n`);
  const mod = await import(pathToFileURL(join(dir, f)).href) as { run(): Promise<Record<string, unknown>> };
  const started = Date.now();
  try {
    results[name] = await mod.run();
  } catch (e) {
    results[name] = { error: (e as Error).stack ?? String(e) };
  }
  process.stdout.write(`=== ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`\n${JSON.stringify(results, null, 2)}\n`);
