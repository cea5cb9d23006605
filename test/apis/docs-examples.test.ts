/**
 * The example manifests in docs/api.md are valid against the generated schemas (defaults
 * applied, CEL rules evaluated), and the CEL expressions they carry compile.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { Environment } from '@marcbachmann/cel-js';
import { tmcAPIResourceSchema } from '../../src/apis/tmc/schemas.js';
import { RESOURCES } from '../../src/apis/tmc/gvr.js';
import { applyDefaults, validate } from './schema-validator.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

t.test('docs/api.md examples validate', async (t) => {
  const md = await readFile(join(ROOT, 'docs/api.md'), 'utf8');
  const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const objects = blocks.flatMap((b) => YAML.parseAllDocuments(b).map((d) => d.toJS() as Record<string, any>));
  const tmc = objects.filter((o) => o['apiVersion'] === 'tmc.kcp.io/v1alpha1');
  const kinds = tmc.map((o) => o['kind']);
  for (const k of ['ClusterRegistration', 'WorkloadPlacement', 'PlacementDecision']) t.ok(kinds.includes(k), `an example ${k}`);
  t.ok(objects.some((o) => o['kind'] === 'Secret'), 'the credentials Secret is shown');

  for (const obj of tmc) {
    const res = RESOURCES.find((r) => r.kind === obj['kind']);
    t.ok(res, `known kind ${obj['kind']}`);
    const schema = tmcAPIResourceSchema(res!.gvr.resource)!.spec.versions[0]!.schema;
    t.same(validate(applyDefaults(structuredClone(obj), schema), schema), [], `${obj['kind']} ${obj['metadata']?.name}`);
  }

  // The Divided example really is Divided with static weights and a spread constraint.
  const web = tmc.find((o) => o['kind'] === 'WorkloadPlacement')!;
  t.equal(web['spec'].replicaScheduling.type, 'Divided');
  t.ok(web['spec'].replicaScheduling.weights.static.length >= 2);
  t.ok(web['spec'].spreadConstraints.length >= 1);

  // Their CEL (cluster selectors and rules) compiles with `cluster` and `workload` declared.
  const env = new Environment().registerVariable('cluster', 'dyn').registerVariable('workload', 'dyn');
  const exprs = [
    web['spec'].clusterSelector.expression,
    ...web['spec'].rules.map((r: { expression: string }) => r.expression),
  ];
  for (const e of exprs) t.ok(env.parse(e).check().valid, e);
});
