/**
 * The drift test: the committed generated artefacts must be exactly what openapi/ produces, and
 * the check must actually notice a change, a missing file and a stale one.
 */
import t from 'tap';
import { cp, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { checkDrift, generate, GENERATED_MARKER, gvrConstName, modelDocument, writeAll } from '../../hack/codegen/generate.js';

// dist/test/apis → repository root
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CODEGEN_JS = join(ROOT, 'dist', 'hack', 'codegen.js');

// Generating loads openapi-typescript (and with it the TypeScript compiler): do it once.
const generated = generate(ROOT);

t.test('committed artefacts match openapi/', async (t) => {
  const drift = await checkDrift(ROOT, await generated);
  t.same(drift, [], drift.map((d) => `${d.kind} ${d.path}: ${d.detail}`).join('\n') || 'no drift');
});

t.test('every generated file carries the do-not-edit header', async (t) => {
  const files = await generated;
  t.ok(files.length >= 10, `${files.length} files`);
  for (const f of files) {
    t.match(f.content.split('\n', 1)[0], GENERATED_MARKER, f.path);
    t.match(f.content.split('\n', 1)[0], 'openapi/tmc.kcp.io_v1alpha1.yaml', f.path);
  }
  const paths = files.map((f) => f.path);
  for (const p of [
    'src/apis/tmc/v1alpha1.ts', 'src/apis/tmc/gvr.ts', 'src/apis/tmc/apiresourceschemas.generated.ts',
    'manifests/crds/tmc.kcp.io_clusterregistrations.yaml', 'manifests/crds/tmc.kcp.io_workloadplacements.yaml',
    'manifests/crds/tmc.kcp.io_placementdecisions.yaml',
    'manifests/apiexports/tmc.kcp.io.yaml',
  ]) t.ok(paths.includes(p), `produces ${p}`);
  for (const plural of ['clusterregistrations', 'workloadplacements', 'placementdecisions']) {
    const schema = new RegExp(`^manifests/apiresourceschemas/v[0-9a-f]{8}\\.${plural}\\.tmc\\.kcp\\.io\\.yaml$`);
    t.equal(paths.filter((p) => schema.test(p)).length, 1, `produces one content-named schema of ${plural}`);
  }
});

t.test('generation is deterministic', async (t) => {
  t.same(await generate(ROOT), await generated);
});

/** A scratch copy of openapi/ and the generated outputs, to break on purpose. */
async function scratchCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tmc-codegen-'));
  for (const p of ['openapi', 'manifests/crds', 'manifests/apiresourceschemas', 'manifests/apiexports', 'src/apis/tmc']) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await cp(join(ROOT, p), join(dir, p), { recursive: true });
  }
  return dir;
}

t.test('drift is detected: changed schema, missing and stale files', async (t) => {
  const dir = await scratchCopy();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  t.same(await checkDrift(dir, await generated), [], 'a faithful copy has no drift');

  const spec = join(dir, 'openapi/tmc.kcp.io_v1alpha1.yaml');
  const text = await readFile(spec, 'utf8');
  await writeFile(spec, text.replace('maxLength: 253\n          description: >-\n            The location', 'maxLength: 99\n          description: >-\n            The location'));
  await unlink(join(dir, 'manifests/apiexports/tmc.kcp.io.yaml'));
  await writeFile(join(dir, 'manifests/crds/tmc.kcp.io_oldthings.yaml'), `# Code ${GENERATED_MARKER} openapi/x.yaml; do not edit.\n`);
  await writeFile(join(dir, 'manifests/crds/hand-written.yaml'), '# not generated\n');

  const drift = await checkDrift(dir);
  const byPath = new Map(drift.map((d) => [d.path, d]));
  t.equal(byPath.get('manifests/crds/tmc.kcp.io_clusterregistrations.yaml')?.kind, 'changed');
  t.match(byPath.get('manifests/crds/tmc.kcp.io_clusterregistrations.yaml')?.detail, /maxLength: 253.*maxLength: 99/);
  t.equal(byPath.get('src/apis/tmc/apiresourceschemas.generated.ts')?.kind, 'changed');
  t.equal(byPath.get('manifests/apiexports/tmc.kcp.io.yaml')?.kind, 'missing');
  t.equal(byPath.get('manifests/crds/tmc.kcp.io_oldthings.yaml')?.kind, 'stale');
  t.notOk(byPath.has('manifests/crds/hand-written.yaml'), 'files without the header are left alone');
  t.notOk(byPath.has('manifests/crds/tmc.kcp.io_placementdecisions.yaml'), 'unaffected files do not drift');

  // The CLI's --check reports the same and exits non-zero, without writing.
  const run = promisify(execFile);
  const failed = await run(process.execPath, [CODEGEN_JS, '--check', '--root', dir]).then(() => undefined, (e: { code: number; stderr: string }) => e);
  t.equal(failed?.code, 1, '--check exits 1');
  t.match(failed?.stderr, /changed\s+manifests\/crds\/tmc\.kcp\.io_clusterregistrations\.yaml/);
  t.match(failed?.stderr, /missing\s+manifests\/apiexports\/tmc\.kcp\.io\.yaml/);

  // Writing fixes everything, after which --check passes.
  const touched = await writeAll(dir);
  t.ok(touched.includes('manifests/crds/tmc.kcp.io_oldthings.yaml'), 'stale file removed');
  t.same(await checkDrift(dir), []);
  t.match(await readFile(join(dir, 'manifests/crds/hand-written.yaml'), 'utf8'), 'not generated');
});

t.test('model errors are reported, not papered over', async (t) => {
  const base = { openapi: '3.1.0', info: { title: 'x', version: 'v1' }, paths: {}, 'x-tmc-group-version': { group: 'x.io', version: 'v1' } };
  t.throws(() => modelDocument('openapi/x.yaml', { ...base, 'x-tmc-group-version': undefined }), /x-tmc-group-version/);
  const kind = (props: Record<string, unknown>) => ({
    ...base,
    components: { schemas: { Thing: { type: 'object', 'x-tmc-resource': { plural: 'things', singular: 'thing', listKind: 'ThingList', scope: 'Cluster' }, properties: props } } },
  });
  t.throws(() => modelDocument('openapi/x.yaml', kind({ a: { $ref: '#/components/schemas/Nope' } })), /unknown \$ref/);
  t.throws(() => modelDocument('openapi/x.yaml', kind({ a: { type: 'string', readOnly: true } })), /readOnly.*not valid in a CRD/);
  const cyclic = kind({ a: { $ref: '#/components/schemas/Thing' } });
  t.throws(() => modelDocument('openapi/x.yaml', cyclic), /cyclic \$ref/);
  const fine = modelDocument('openapi/x.yaml', kind({ spec: { type: 'object', description: 'd', 'x-tmc-note': 1 } }));
  t.same(fine.kinds[0]!.schema['properties'], { metadata: { type: 'object' }, spec: { type: 'object', description: 'd' } }, 'x-tmc-* dropped, metadata plain');
  t.equal(gvrConstName(fine.kinds[0]!), 'THINGS');
});
