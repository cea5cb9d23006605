import t from 'tap';
import { clusterKey } from '../../../src/apis/contract.js';
import { reconcileClusterRegistration } from '../../../src/reconcilers/clusterregistration/clusterregistration-reconcile.js';
import { UNREACHABLE_TAINT_KEY } from '../../../src/reconcilers/clusterregistration/constants.js';
import { cond, deps, registration, T0, WORKSPACE } from './fixtures.js';

t.test('a reachable, authorized cluster becomes Ready with capacity, key and syncer URL', async (t) => {
  const { d, clock } = deps();
  await clock.advance(5_000);
  const { registration: r, requeueAfterMs } = await reconcileClusterRegistration(registration(), WORKSPACE, d);
  t.equal(r.status?.clusterKey, clusterKey(WORKSPACE, 'prod-eu'));
  t.same(r.status?.virtualWorkspaces, [{ url: `https://tmc.example:6443/services/syncer/${WORKSPACE}/prod-eu/uid-1` }]);
  t.equal(r.status?.lastHeartbeatTime, '2026-01-01T00:00:05Z');
  for (const type of ['Ready', 'Reachable', 'Authorized', 'ResourcesCompatible', 'Schedulable']) {
    t.equal(cond(r, type)?.status, 'True', `${type} True`);
  }
  t.equal(cond(r, 'Ready')?.observedGeneration, 1);
  t.same(r.status?.capacity, { cpu: '12', memory: '48Gi', pods: '330' });
  t.same(r.status?.allocated, { cpu: '500m', memory: '256Mi', pods: '2' });
  t.same(r.status?.capabilities?.nodeCount, 3);
  t.equal(r.status?.capabilities?.kubernetesVersion, 'v1.32.0');
  const deploymentsSynced = r.status?.syncedResources?.find((s) => s.resource === 'deployments');
  t.same(deploymentsSynced, { group: 'apps', resource: 'deployments', versions: ['v1'], state: 'Accepted' });
  t.equal(r.status?.syncedResources?.find((s) => s.resource === 'ingresses')?.state, 'Incompatible');
  t.match(cond(r, 'ResourcesCompatible')?.message, /ingresses\.networking\.k8s\.io/);
  t.equal(r.spec.taints, undefined, 'no taint');
  t.equal(requeueAfterMs, 10_000, 'next heartbeat');
});

t.test('spec.capacity overrides the reported capacity', async (t) => {
  const { d } = deps();
  const { registration: r } = await reconcileClusterRegistration(registration({ capacity: { cpu: '4' } }), WORKSPACE, d);
  t.same(r.status?.capacity, { cpu: '4', memory: '48Gi', pods: '330' });
});

t.test('401 and 403 make Authorized False with the reason, and Ready False', async (t) => {
  for (const reason of ['Unauthorized', 'Forbidden'] as const) {
    const { d, state } = deps();
    state.next = { kind: 'unauthorized', reason, message: `nope ${reason}` };
    const { registration: r } = await reconcileClusterRegistration(registration(), WORKSPACE, d);
    t.equal(cond(r, 'Authorized')?.status, 'False');
    t.equal(cond(r, 'Authorized')?.reason, reason);
    t.equal(cond(r, 'Ready')?.status, 'False');
    t.equal(cond(r, 'Ready')?.reason, reason);
    t.equal(cond(r, 'Reachable')?.status, 'True', 'it answered');
  }
});

t.test('a missing Secret is a visible condition, not a silent retry', async (t) => {
  const { d, state } = deps();
  state.next = { kind: 'misconfigured', reason: 'SecretNotFound', message: 'secret default/prod-eu not found' };
  const { registration: r } = await reconcileClusterRegistration(registration(), WORKSPACE, d);
  t.equal(cond(r, 'Ready')?.reason, 'SecretNotFound');
  t.equal(cond(r, 'Reachable')?.status, 'Unknown');
  t.equal(r.status?.lastHeartbeatTime, undefined);
});

t.test('unreachable: Ready holds within the threshold, then HeartbeatMissed + taint; recovery removes it', async (t) => {
  const { d, state, clock } = deps();
  let r = (await reconcileClusterRegistration(registration(), WORKSPACE, d)).registration;
  const readySince = cond(r, 'Ready')?.lastTransitionTime;
  state.next = { kind: 'unreachable', message: 'cannot reach the cluster: ECONNREFUSED' };

  await clock.advance(30_000);
  r = (await reconcileClusterRegistration(r, WORKSPACE, d)).registration;
  t.equal(cond(r, 'Reachable')?.status, 'False');
  t.equal(cond(r, 'Ready')?.status, 'True', 'grace period: still Ready');
  t.equal(r.spec.taints, undefined);
  t.equal(r.status?.lastHeartbeatTime, '2026-01-01T00:00:00Z', 'heartbeat not renewed');

  await clock.advance(11_000); // 41 s since the last heartbeat > 40 s threshold
  r = (await reconcileClusterRegistration(r, WORKSPACE, d)).registration;
  t.equal(cond(r, 'Ready')?.status, 'False');
  t.equal(cond(r, 'Ready')?.reason, 'HeartbeatMissed');
  t.match(cond(r, 'Ready')?.message, /ECONNREFUSED/);
  t.same(r.spec.taints, [{ key: UNREACHABLE_TAINT_KEY, effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:41Z' }]);

  await clock.advance(10_000);
  const again = (await reconcileClusterRegistration(r, WORKSPACE, d)).registration;
  t.same(again.spec.taints, r.spec.taints, 'timeAdded is kept while tainted');

  state.next = (deps().state.next);
  await clock.advance(1_000);
  r = (await reconcileClusterRegistration(again, WORKSPACE, d)).registration;
  t.equal(cond(r, 'Ready')?.status, 'True');
  t.not(cond(r, 'Ready')?.lastTransitionTime, readySince, 'a new transition');
  t.equal(r.spec.taints, undefined, 'taint removed');
});

t.test('user taints are left alone when the unreachable taint comes and goes', async (t) => {
  const { d, state, clock } = deps();
  const own = { key: 'tmc.kcp.io/maintenance', effect: 'NoSchedule' as const };
  state.next = { kind: 'unreachable', message: 'down' };
  await clock.advance(41_000); // never answered since creation
  let r = (await reconcileClusterRegistration(registration({ taints: [own] }), WORKSPACE, d)).registration;
  t.same(r.spec.taints?.map((x) => x.key), ['tmc.kcp.io/maintenance', UNREACHABLE_TAINT_KEY]);
  state.next = deps().state.next;
  r = (await reconcileClusterRegistration(r, WORKSPACE, d)).registration;
  t.same(r.spec.taints, [own]);
});

t.test('a cluster that never answered is Unreachable at once, tainted only after the threshold', async (t) => {
  const { d, state, clock } = deps();
  state.next = { kind: 'unreachable', message: 'timeout' };
  let r = (await reconcileClusterRegistration(registration(), WORKSPACE, d)).registration;
  t.equal(cond(r, 'Ready')?.reason, 'Unreachable');
  t.equal(r.spec.taints, undefined);
  await clock.advance(40_001);
  r = (await reconcileClusterRegistration(r, WORKSPACE, d)).registration;
  t.equal(cond(r, 'Ready')?.reason, 'HeartbeatMissed');
  t.equal(r.spec.taints?.length, 1);
});

t.test('conditions keep lastTransitionTime while their status holds', async (t) => {
  const { d, clock } = deps();
  const first = (await reconcileClusterRegistration(registration(), WORKSPACE, d)).registration;
  await clock.advance(10_000);
  const second = (await reconcileClusterRegistration(first, WORKSPACE, d)).registration;
  t.same(second.status?.conditions, first.status?.conditions);
  t.not(second.status?.lastHeartbeatTime, first.status?.lastHeartbeatTime, 'only the heartbeat moved');
});

t.test('listed supportedResources the cluster lacks make it not Ready', async (t) => {
  const { d } = deps();
  const { registration: r } = await reconcileClusterRegistration(
    registration({ supportedResources: ['deployments.apps', 'ingresses.networking.k8s.io'] }), WORKSPACE, d);
  t.equal(cond(r, 'ResourcesCompatible')?.status, 'False');
  t.equal(cond(r, 'Ready')?.reason, 'ResourcesMissing');
  t.same(r.status?.syncedResources?.map((s) => `${s.resource}:${s.state}`), ['deployments:Accepted', 'ingresses:Incompatible']);
});

t.test('cordon and drain show in Schedulable; a future evictAfter requeues at that time', async (t) => {
  const { d, clock } = deps();
  let out = await reconcileClusterRegistration(registration({ unschedulable: true }), WORKSPACE, d);
  t.equal(cond(out.registration, 'Schedulable')?.reason, 'Cordoned');
  t.equal(cond(out.registration, 'Ready')?.status, 'True', 'cordon does not affect health');

  out = await reconcileClusterRegistration(registration({ unschedulable: true, evictAfter: '2026-01-01T00:00:03Z' }), WORKSPACE, d);
  t.equal(out.requeueAfterMs, 3_001);
  await clock.advance(3_000);
  out = await reconcileClusterRegistration(out.registration, WORKSPACE, d);
  t.equal(cond(out.registration, 'Schedulable')?.reason, 'Draining');
});

t.test('Pull mode: the cluster is never probed; the agent heartbeat is judged against the threshold', async (t) => {
  const { d, state, clock } = deps();
  const pull = registration({ syncMode: 'Pull', clusterEndpoint: undefined });
  let out = await reconcileClusterRegistration(pull, WORKSPACE, d);
  t.equal(state.probes, 0);
  t.equal(cond(out.registration, 'Ready')?.reason, 'AwaitingAgent');

  // the agent heartbeats by patching status.lastHeartbeatTime
  await clock.advance(2_000);
  out.registration.status!.lastHeartbeatTime = '2026-01-01T00:00:02Z';
  out = await reconcileClusterRegistration(out.registration, WORKSPACE, d);
  t.equal(cond(out.registration, 'Ready')?.status, 'True');
  t.equal(cond(out.registration, 'Reachable')?.reason, 'HeartbeatReceived');
  t.equal(out.registration.status?.lastHeartbeatTime, '2026-01-01T00:00:02Z', 'the controller does not write the heartbeat');

  await clock.advance(35_000);
  out = await reconcileClusterRegistration(out.registration, WORKSPACE, d);
  t.equal(out.requeueAfterMs, 5_001, 'wakes up just after the heartbeat goes stale');
  await clock.advance(5_001);
  out = await reconcileClusterRegistration(out.registration, WORKSPACE, d);
  t.equal(cond(out.registration, 'Ready')?.reason, 'HeartbeatMissed');
  t.equal(out.registration.spec.taints?.[0]?.key, UNREACHABLE_TAINT_KEY);
  t.equal(state.probes, 0);
});

t.test('the reconcile never mutates its input', async (t) => {
  const { d } = deps();
  const input = registration();
  const before = JSON.stringify(input);
  await reconcileClusterRegistration(input, WORKSPACE, d);
  t.equal(JSON.stringify(input), before);
  t.ok(T0);
});
