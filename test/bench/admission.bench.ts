/**
 * Admission overhead per create: an in-process GenericStore on a MemoryStore creating ConfigMaps
 * with no admission, with the admission chain and 0, 1 and 10 ValidatingAdmissionPolicies (each
 * bound, matching configmaps, with a param-free CEL validation that passes). Figures are µs per
 * create and the overhead against no admission, measured in the same run.
 *
 * Run: npx tsc -p . && node dist/test/bench/admission.bench.js
 */
import { createAdmission } from '../../src/admission/index.js';
import type { AdmissionHook } from '../../src/registry/hooks.js';
import { configMapDef, namespaceDef } from '../../src/registry/builtin/core.js';
import { GenericStore, type RequestScope } from '../../src/registry/generic-store.js';
import type { ResourceDef } from '../../src/registry/types.js';
import { MemoryStore } from '../../src/storage/index.js';

const N = Number(process.env.BENCH_CREATES ?? 3000);
const CLUSTER = 'root';
const scope = (): RequestScope => ({ cluster: CLUSTER, namespace: 'default', user: { name: 'admin', groups: [] }, dryRun: false, fieldValidation: 'Ignore', warnings: [] });
const ann = { 'kcp.io/cluster': CLUSTER };

async function setup(policies: number | 'none'): Promise<{ generic: GenericStore; def: ResourceDef; stop(): void }> {
  const store = new MemoryStore();
  const catalogDefs = [configMapDef(), namespaceDef()];
  let admission: AdmissionHook | undefined;
  let stop = () => {};
  if (policies !== 'none') {
    const a = createAdmission({ store, catalog: { byKind: (_c, g, k) => catalogDefs.find((d) => d.group === g && d.kind === k) } });
    admission = a.chain;
    stop = a.stop;
  }
  const generic = new GenericStore({ store, annotateCluster: true, admission });
  await generic.create(scope(), namespaceDef(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  for (let i = 0; i < (policies === 'none' ? 0 : policies); i++) {
    await store.create({ cluster: CLUSTER, resource: 'admissionregistration.k8s.io/validatingadmissionpolicies', namespace: '', name: `p${i}` }, {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: `p${i}`, annotations: ann },
      spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] },
        validations: [{ expression: `!has(object.data) || object.data.size() <= ${100 + i}`, message: 'too many keys' }] },
    });
    await store.create({ cluster: CLUSTER, resource: 'admissionregistration.k8s.io/validatingadmissionpolicybindings', namespace: '', name: `b${i}` }, {
      apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: `b${i}`, annotations: ann },
      spec: { policyName: `p${i}`, validationActions: ['Deny'] },
    });
  }
  return { generic, def: configMapDef(), stop };
}

async function measure(policies: number | 'none'): Promise<number> {
  const { generic, def, stop } = await setup(policies);
  const create = (i: number) => generic.create(scope(), def, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, labels: { app: 'bench' } }, data: { a: '1', b: '2' } });
  for (let i = 0; i < 200; i++) await create(-i - 1); // warm-up: JIT, compile caches, watch caches synced
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await create(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / N;
  if (typeof policies === 'number' && policies > 0) {
    // the figures only mean something if the policies were really evaluated
    const data = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`k${i}`, 'v']));
    const refused = await generic.create(scope(), def, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'too-big' }, data }).then(() => false, () => true);
    if (!refused) throw new Error('policies were not enforced');
  }
  stop();
  return us;
}

export async function run(): Promise<Record<string, unknown>> {
  await measure('none'); // first run pays for JIT of the store itself
  const base = await measure('none');
  const out: Record<string, unknown> = { creates: N, usPerCreate_noAdmission: round(base) };
  for (const p of [0, 1, 10]) {
    const us = await measure(p);
    out[`usPerCreate_${p}policies`] = round(us);
    out[`overheadUs_${p}policies`] = round(us - base);
  }
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
