import t from 'tap';
import type { KubeObject } from '../../../src/client/types.js';
import { needsReconcile } from '../../../src/reconcilers/clusterregistration/clusterregistration-controller.js';
import { registration } from './fixtures.js';

const asObj = (x: unknown) => x as KubeObject;

t.test('our own status writes do not re-trigger a probe; spec changes and Pull heartbeats do', async (t) => {
  const old = registration({}, { lastHeartbeatTime: '2026-01-01T00:00:00Z' });
  const statusOnly = structuredClone(old);
  statusOnly.status!.lastHeartbeatTime = '2026-01-01T00:00:10Z';
  statusOnly.metadata.resourceVersion = '11';
  t.notOk(needsReconcile(asObj(old), asObj(statusOnly)), 'push: status-only update ignored');

  const cordoned = structuredClone(old);
  cordoned.spec.unschedulable = true;
  t.ok(needsReconcile(asObj(old), asObj(cordoned)), 'spec change');

  const relabelled = structuredClone(old);
  relabelled.metadata.labels = { tier: 'gold' };
  t.ok(needsReconcile(asObj(old), asObj(relabelled)), 'metadata change');

  const pullOld = registration({ syncMode: 'Pull' }, { lastHeartbeatTime: '2026-01-01T00:00:00Z' });
  const pullBeat = structuredClone(pullOld);
  pullBeat.status!.lastHeartbeatTime = '2026-01-01T00:00:20Z';
  t.ok(needsReconcile(asObj(pullOld), asObj(pullBeat)), 'pull: the agent heartbeat is judged at once');
  const pullConditions = structuredClone(pullOld);
  pullConditions.status!.conditions = [];
  t.notOk(needsReconcile(asObj(pullOld), asObj(pullConditions)), 'pull: other status changes ignored');
});
