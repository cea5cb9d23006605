import t from 'tap';
import type { KubeObject } from '../../../src/client/types.js';
import { registrationCommitter } from '../../../src/reconcilers/clusterregistration/clusterregistration-committer.js';
import { registration } from './fixtures.js';

function recorder() {
  const calls: Array<{ sub: 'spec' | 'status'; patch: Record<string, unknown> }> = [];
  const commit = registrationCommitter({
    patch: async (obj, patch) => {
      calls.push({ sub: 'spec', patch });
      return { ...obj, ...(patch as object), metadata: { ...obj.metadata, resourceVersion: '11' }, spec: { ...(obj.spec as object), ...(patch.spec as object) } } as KubeObject;
    },
    patchStatus: async (_obj, patch) => { calls.push({ sub: 'status', patch }); },
  });
  return { calls, commit };
}

t.test('nothing changed → no request', async (t) => {
  const { calls, commit } = recorder();
  const r = registration({}, { clusterKey: 'abcdefgh' });
  await commit(r, structuredClone(r));
  t.same(calls, []);
});

t.test('only the heartbeat changed → one status patch with the old resourceVersion', async (t) => {
  const { calls, commit } = recorder();
  const old = registration({}, { lastHeartbeatTime: '2026-01-01T00:00:00Z' });
  const next = structuredClone(old);
  next.status!.lastHeartbeatTime = '2026-01-01T00:00:10Z';
  await commit(old, next);
  t.same(calls, [{ sub: 'status', patch: { status: { lastHeartbeatTime: '2026-01-01T00:00:10Z' }, metadata: { resourceVersion: '10', uid: 'uid-1' } } }]);
});

t.test('taint and status both changed → spec patch first, then status on the new resourceVersion', async (t) => {
  const { calls, commit } = recorder();
  const old = registration({}, { lastHeartbeatTime: '2026-01-01T00:00:00Z' });
  const next = structuredClone(old);
  next.spec.taints = [{ key: 'tmc.kcp.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:41Z' }];
  next.status!.conditions = [{ type: 'Ready', status: 'False', reason: 'HeartbeatMissed', message: 'm', lastTransitionTime: '2026-01-01T00:00:41Z' }];
  await commit(old, next);
  t.equal(calls.length, 2);
  t.same(calls[0], { sub: 'spec', patch: { spec: { taints: next.spec.taints }, metadata: { resourceVersion: '10', uid: 'uid-1' } } });
  t.equal(calls[1].sub, 'status');
  t.same((calls[1].patch.metadata as Record<string, unknown>).resourceVersion, '11', 'precondition from the spec write');
  t.same(calls[1].patch.status, { conditions: next.status!.conditions });
});

t.test('removing the last taint sends null', async (t) => {
  const { calls, commit } = recorder();
  const old = registration({ taints: [{ key: 'tmc.kcp.io/unreachable', effect: 'NoSchedule' }] });
  const next = structuredClone(old);
  delete next.spec.taints;
  await commit(old, next);
  t.same(calls.map((c) => c.sub), ['spec']);
  t.same((calls[0].patch.spec as Record<string, unknown>).taints, null);
});
