/**
 * Prints manifests/webhooks/*.yaml with `${CA_BUNDLE}` filled from `<data-dir>/pki/ca.crt`
 * (base64 PEM) and `${TMC_URL}` from --url.
 *
 * Usage: node dist/hack/webhook-manifests.js [--data-dir .tmc] [--url https://127.0.0.1:6443]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repo root: this file runs from dist/hack/ (compiled) or hack/ (source). */
const here = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(here, basename(resolve(here, '..')) === 'dist' ? '../..' : '..');

export function renderWebhookManifests(opts: { caPem: string; url: string; dir?: string }): string {
  const dir = opts.dir ?? join(ROOT, 'manifests', 'webhooks');
  const caBundle = Buffer.from(opts.caPem).toString('base64');
  const url = opts.url.replace(/\/+$/, '');
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => readFileSync(join(dir, f), 'utf8').replaceAll('${CA_BUNDLE}', caBundle).replaceAll('${TMC_URL}', url).trim())
    .join('\n---\n') + '\n';
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dataDir = arg('data-dir', '.tmc');
  const caFile = join(dataDir, 'pki', 'ca.crt');
  let caPem: string;
  try {
    caPem = readFileSync(caFile, 'utf8');
  } catch {
    process.stderr.write(`error: cannot read ${caFile}: start tmc-server with --data-dir ${dataDir} once to create its PKI\n`);
    process.exit(1);
  }
  process.stdout.write(renderWebhookManifests({ caPem, url: arg('url', 'https://127.0.0.1:6443') }));
}
