/**
 * Builds the web console (src/console/web, TypeScript + Preact) into dist/console/ with esbuild:
 * one ES module bundle (app.js), its stylesheet (app.css) and index.html. Run by `npm run build`
 * after tsc (which type-checks the browser code through src/console/web/tsconfig.json), so
 * `npm ci && npm start` and CI serve a built console. Everything is bundled: the page loads
 * nothing from any other origin.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const web = join(repo, 'src', 'console', 'web');
const out = join(repo, 'dist', 'console');

mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: [join(web, 'main.tsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
});
copyFileSync(join(web, 'index.html'), join(out, 'index.html'));
copyFileSync(join(web, 'style.css'), join(out, 'app.css'));
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
if (process.env.TMC_BUILD_VERBOSE) process.stdout.write(`console: ${Object.keys(result.metafile.outputs).length} files, ${bytes} bytes in ${out}\n`);
