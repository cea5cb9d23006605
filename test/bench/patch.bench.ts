/** Cost of the patch machinery on a Deployment-sized object: SMP, SSA (update path) and managedFields. */
import { strategicMergePatch } from '../../src/apiserver/patch/strategic-merge.js';
import { serverSideApply } from '../../src/apiserver/patch/server-side-apply.js';
import { updateManagedFields } from '../../src/apiserver/patch/managed-fields.js';
import { deployment, deploymentSchema } from '../apiserver/patch/fixtures.js';

function perSecond(n: number, fn: (i: number) => void): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - start);
  return Math.round(n / (ns / 1e9));
}

export async function run(): Promise<Record<string, unknown>> {
  const live = deployment() as any;
  for (let i = 0; i < 10; i++) live.spec.template.spec.containers.push({ name: `c${i}`, image: 'x', env: [{ name: 'A', value: '1' }] });
  const now = new Date('2024-01-01T00:00:00Z');
  const applied = serverSideApply({ appliedObj: live, manager: 'm', apiVersion: 'apps/v1', schema: deploymentSchema, now }).object;
  return {
    smpPerSec: perSecond(2000, (i) => strategicMergePatch(live, { spec: { replicas: i, template: { spec: { containers: [{ name: 'c3', image: `v${i}` }] } } } }, deploymentSchema)),
    ssaPerSec: perSecond(1000, (i) => serverSideApply({ liveObj: applied, appliedObj: { ...live, spec: { ...live.spec, replicas: i } }, manager: 'm', apiVersion: 'apps/v1', schema: deploymentSchema, now })),
    updateManagedFieldsPerSec: perSecond(1000, (i) => updateManagedFields({ oldObj: applied, newObj: { ...applied, spec: { ...applied.spec, replicas: i } }, manager: 'e', apiVersion: 'apps/v1', schema: deploymentSchema, now })),
  };
}
