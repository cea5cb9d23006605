import t from 'tap';
import {
  daemonSetStatus, deploymentStatus, jobStatus, maxUnavailable, serviceStatus, statefulSetStatus, templateHash, type StatusInput,
} from '../../src/simulator/workload-status.js';

const now = new Date('2026-01-01T00:00:00Z');
const later = new Date('2026-01-01T00:01:00Z');
const dep = (replicas: number, status?: any) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', generation: 2 },
  spec: { replicas, template: { spec: { containers: [{ name: 'a', image: 'nginx' }] } } }, status,
});
const inp = (obj: any, o: Partial<StatusInput> = {}): StatusInput =>
  ({ obj, placed: obj.spec?.replicas ?? 1, eligible: 0, settled: true, rollout: false, since: now, now, ...o });

t.test('a settled Deployment is fully ready and Available', async (t) => {
  const s: any = deploymentStatus(inp(dep(3)));
  t.match(s, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
  t.notOk('unavailableReplicas' in s, 'zero counters are omitted');
  t.match(s.conditions, [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${templateHash(dep(3).spec.template)}" has successfully progressed.` },
  ]);
});

t.test('before the delay nothing new is ready; what does not fit stays unavailable', async (t) => {
  const fresh: any = deploymentStatus(inp(dep(3), { settled: false }));
  t.match(fresh, { replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 });
  t.notOk(fresh.readyReplicas);
  t.match(fresh.conditions, [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }, { reason: 'NewReplicaSetCreated' }]);
  const partial: any = deploymentStatus(inp(dep(10), { placed: 4 }));
  t.match(partial, { replicas: 10, readyReplicas: 4, availableReplicas: 4, unavailableReplicas: 6 });
  t.match(partial.conditions, [{ type: 'Available', status: 'False' }, { type: 'Progressing', reason: 'NewReplicaSetCreated' }]);
});

t.test('condition timestamps are kept while a condition does not change', async (t) => {
  const first: any = deploymentStatus(inp(dep(3)));
  const again: any = deploymentStatus(inp(dep(3, first), { now: later }));
  t.same(again, first, 'a second pass computes the identical status (no write)');
  const down: any = deploymentStatus(inp(dep(3, first), { now: later, placed: 1 }));
  t.equal(down.conditions[0].status, 'False');
  t.equal(down.conditions[0].lastTransitionTime, '2026-01-01T00:01:00Z');
});

t.test('maxUnavailable follows the rolling update strategy', async (t) => {
  t.equal(maxUnavailable(dep(10) as any, 10), 2, '25% rounded down');
  t.equal(maxUnavailable({ ...dep(4), spec: { strategy: { type: 'Recreate' } } } as any, 4), 0);
  t.equal(maxUnavailable({ ...dep(4), spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } } } as any, 4), 1);
  // 4 wanted, 3 ready: within 25% → still Available, as kube says
  t.equal((deploymentStatus(inp(dep(4), { placed: 3 })) as any).conditions[0].status, 'True');
});

t.test('StatefulSet, DaemonSet, Job and Service statuses', async (t) => {
  const sts: any = statefulSetStatus(inp({ ...dep(3), kind: 'StatefulSet' }, { placed: 1 }));
  t.match(sts, { replicas: 2, readyReplicas: 1, availableReplicas: 1, collisionCount: 0 }, 'OrderedReady: one pending pod at a time');
  t.equal(sts.currentRevision, sts.updateRevision);
  const ds: any = daemonSetStatus(inp({ metadata: { name: 'd', generation: 1 }, spec: {} }, { placed: 2, eligible: 3 }));
  t.match(ds, { desiredNumberScheduled: 3, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2, numberUnavailable: 1 });
  const job = { metadata: { name: 'j', generation: 1 }, spec: { completions: 2 } };
  t.match(jobStatus(inp(job, { settled: false, placed: 1 })), { startTime: '2026-01-01T00:00:00Z', active: 1 });
  const done: any = jobStatus(inp(job, { placed: 1, now: later }));
  t.match(done, { succeeded: 2, completionTime: '2026-01-01T00:01:00Z', active: 0 });
  t.match(done.conditions, [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }]);
  t.equal(jobStatus(inp({ ...job, status: done }, { now: new Date() })), done, 'finished jobs never change');
  const lb: any = serviceStatus(inp({ metadata: { name: 's', namespace: 'n' }, spec: { type: 'LoadBalancer' } }));
  t.match(lb.loadBalancer.ingress[0].ip, /^172\.18\.255\.\d+$/);
  t.equal(serviceStatus(inp({ metadata: { name: 's' }, spec: { type: 'ClusterIP' } })), undefined);
});
