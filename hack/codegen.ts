/**
 * Regenerates everything derived from openapi/: TypeScript types, GVR constants, CRDs, kcp
 * APIResourceSchemas and the APIExport (see hack/codegen/generate.ts for the file list).
 *
 *   npm run build && node dist/hack/codegen.js           write what changed, delete stale files
 *   node dist/hack/codegen.js --check                    write nothing; exit 1 and list the drift
 *   node dist/hack/codegen.js --root DIR                 act on another checkout
 *
 * The repository root defaults to two levels above this compiled file (dist/hack/ → ./).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDrift, writeAll } from './codegen/generate.js';

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const rootAt = argv.indexOf('--root');
  const root = rootAt >= 0 && argv[rootAt + 1]
    ? resolve(argv[rootAt + 1]!)
    : resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const unknown = argv.filter((a, i) => a !== '--check' && a !== '--root' && !(rootAt >= 0 && i === rootAt + 1));
  if (unknown.length) {
    console.error(`codegen: unknown argument(s) ${unknown.join(' ')}; usage: codegen [--check] [--root DIR]`);
    return 2;
  }
  if (check) {
    const drift = await checkDrift(root);
    if (drift.length === 0) {
      console.log('codegen: generated files match openapi/');
      return 0;
    }
    for (const d of drift) console.error(`${d.kind.padEnd(7)} ${d.path}: ${d.detail}`);
    console.error(`codegen: ${drift.length} generated file(s) differ from openapi/; run \`node dist/hack/codegen.js\``);
    return 1;
  }
  const touched = await writeAll(root);
  for (const p of touched) console.log(`wrote ${p}`);
  console.log(`codegen: ${touched.length} file(s) updated`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    console.error(`codegen: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
