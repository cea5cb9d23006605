/**
 * The reconcile logic against an in-memory world (fakes.ts): what it writes on workloads, in
 * PlacementDecisions and in the placement's status, for scheduling, failover, cordon/drain,
 * taints, purge modes, rollback, history, release and ownership.
 */
import t from 'tap';
import { candidateRows } from '../../../src/apis/tmc/index.js';
import { reconcilePlacement } from '../../../src/reconcilers/workloadplacement/workloadplacement-reconcile.js';
import { WS, World, deployment, key, placement, readyCluster } from './fakes.js';

const cond = (p: { status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> } }, type: string) =>
  p.status?.conditions?.find((c) => c.type === type);
const ann = (w: { metadata: { annotations?: Record<string, string> } }, k: string) => w.metadata.annotations?.[k];

t.test('places a Deployment, records the decision, writes status, and is idempotent', async (t) => {
  const world = new World([readyCluster('c1'), readyCluster('c2'), readyCluster('c3')], [deployment('web')]);
  const p = placement({ numberOfClusters: 2 });
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c1', 'c2']);
  t.same(world.workload('web').metadata.finalizers, [`tmc.kcp.io/syncer-${key('c1')}`, `tmc.kcp.io/syncer-${key('c2')}`], 'each syncer finalizer written with its label');
  t.equal(ann(world.workload('web'), 'tmc.kcp.io/placement'), 'app/web');
  t.equal(p.status?.phase, 'Scheduled');
  t.equal(p.status?.currentRevision, 1);
  t.same(p.status?.decisions?.map((d) => [d.clusterName, d.replicas, d.clusterKey]), [['c1', 3, key('c1')], ['c2', 3, key('c2')]]);
  t.equal(cond(p, 'Scheduled')?.status, 'True');
  t.equal(cond(p, 'Synced')?.reason, 'SyncPending');
  t.equal(cond(p, 'Available')?.status, 'False');
  t.same(p.status?.placedWorkloads?.[0].workloadRef, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'app', name: 'web' });
  t.same(p.status?.placedWorkloads?.[0].clusters?.map((c) => [c.clusterName, c.state, c.replicas, c.ready]), [['c1', 'Pending', 3, false], ['c2', 'Pending', 3, false]]);

  const [d] = world.history();
  t.equal(d.metadata.name, 'web-1');
  t.equal(d.spec.trigger, 'PlacementCreated');
  t.same(d.spec.selected?.map((s) => s.clusterName), ['c1', 'c2']);
  t.equal(d.spec.evaluation?.considered, 3);
  const rows = candidateRows(d.spec.evaluation);
  t.same(rows.map((r) => r.clusterName), ['c1', 'c2', 'c3'], 'every cluster considered has a row');
  t.ok(rows[0].filters.some((f) => f.plugin === 'Ready' && f.passed));
  t.ok(rows[0].scores.length);
  t.equal(d.metadata.ownerReferences?.[0].kind, 'WorkloadPlacement');

  // the syncers report: Synced and Available turn True
  world.setFinalizer('web', 'c1', true);
  world.report('web', 'c1', { replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  world.report('web', 'c2', { status: { replicas: 3, availableReplicas: 3 } });
  const patches = world.patches;
  await world.reconcile(p);
  t.equal(world.patches, patches, 'nothing to patch on a second pass');
  t.equal(world.created, 1, 'no new decision without a change');
  t.equal(cond(p, 'Synced')?.reason, 'AllSynced');
  t.equal(cond(p, 'Available')?.reason, 'AllAvailable');
});

t.test('Divided replicas and overrides become spec-diff patches', async (t) => {
  const world = new World([readyCluster('c1', { region: 'eu' }), readyCluster('c2', { region: 'us' }), readyCluster('c3', { region: 'us' })], [deployment('web', 7)]);
  const p = placement({
    replicaScheduling: { type: 'Divided' },
    overrides: [
      { clusterSelector: { labelSelector: { matchLabels: { region: 'eu' } } }, image: { registry: 'mirror.eu.example.com' }, labels: { tier: 'eu' } },
      { clusterSelector: { expression: "cluster.metadata.name == 'c3'" }, jsonPatch: [{ op: 'add', path: '/spec/template/spec/nodeSelector', value: { disk: 'ssd' } }] },
    ],
  });
  await world.reconcile(p);
  const w = world.workload('web');
  const diff = (c: string) => JSON.parse(ann(w, `spec-diff.tmc.kcp.io/${key(c)}`) ?? 'null');
  const shares = ['c1', 'c2', 'c3'].map((c) => diff(c)[0].value as number);
  t.equal(shares.reduce((a, b) => a + b, 0), 7, 'shares add up');
  t.ok(shares.every((s) => s === 2 || s === 3));
  t.same(diff('c1').slice(1), [
    { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'mirror.eu.example.com/nginx:1.25' },
    { op: 'add', path: '/metadata/labels/tier', value: 'eu' },
  ]);
  t.same(diff('c2').length, 1, 'c2: only its share');
  t.same(diff('c3')[1], { op: 'add', path: '/spec/template/spec/nodeSelector', value: { disk: 'ssd' } });
  t.same(p.status?.decisions?.map((d) => d.replicas), shares);
});

t.test('an override value as deep as kube accepts reaches the spec-diff annotation', async (t) => {
  const depth = 9_000;
  const deepValue = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
  const world = new World([readyCluster('c1')], [deployment('web')]);
  world.freezeInput = false; // the fakes' deep freeze recurses
  const p = placement({ overrides: [{ clusterSelector: { expression: 'true' }, jsonPatch: [{ op: 'add', path: '/spec/template/metadata/annotations', value: deepValue }] }] });
  await world.reconcile(p);
  const text = ann(world.workload('web'), `spec-diff.tmc.kcp.io/${key('c1')}`) ?? '';
  t.ok(text.startsWith('[{"op":"add","path":"/spec/template/metadata/annotations","value":{"a":{"a":'), text.slice(0, 100));
  t.equal(text.length, '[{"op":"add","path":"/spec/template/metadata/annotations","value":}]'.length + depth * 6 + 1);
});

t.test('NotReady: kept during tolerationSeconds, then Graceful failover waits for the replacement', async (t) => {
  const world = new World([readyCluster('c1'), readyCluster('c2'), readyCluster('c3')], [deployment('web')]);
  const p = placement({ numberOfClusters: 1, failover: { tolerationSeconds: 30, purgeMode: 'Graceful' } });
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c1']);
  world.report('web', 'c1', { availableReplicas: 3 }); // c1's syncer took it on

  world.setReady('c1', false);
  world.advance(10);
  const within = await world.reconcile(p);
  t.same(world.placedOn('web'), ['c1'], 'still on c1 within the toleration');
  t.ok(within.requeueAfterMs && within.requeueAfterMs > 19_000 && within.requeueAfterMs <= 20_200, `requeue when the toleration ends (${within.requeueAfterMs})`);
  t.equal(world.created, 1);

  world.advance(21);
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c1', 'c2'], 'c2 chosen, c1 kept until c2 is available');
  t.equal(world.history().at(-1)?.spec.trigger, 'Failover');
  t.equal(ann(world.workload('web'), `deletion.tmc.kcp.io/${key('c1')}`), undefined);
  const kept = p.status?.placedWorkloads?.[0].clusters?.find((c) => c.clusterName === 'c1');
  t.match(kept?.message, /purgeMode Graceful/);
  t.match(ann(world.workload('web'), `failover.tmc.kcp.io/${key('c1')}`), /purgeMode Graceful/, 'the kept copy is marked old for the aggregate status');
  t.equal(ann(world.workload('web'), `failover.tmc.kcp.io/${key('c2')}`), undefined, 'the replacement is not');

  world.report('web', 'c2', { availableReplicas: 2 });
  await world.reconcile(p);
  t.equal(ann(world.workload('web'), `deletion.tmc.kcp.io/${key('c1')}`), undefined, 'not yet: 2 < 3 replicas');

  world.report('web', 'c2', { availableReplicas: 3 });
  await world.reconcile(p);
  t.ok(ann(world.workload('web'), `deletion.tmc.kcp.io/${key('c1')}`), 'c2 available: c1 gets the deletion annotation');
  t.equal(world.workload('web').metadata.labels?.[`state.tmc.kcp.io/${key('c1')}`], 'Sync', 'label stays while the syncer finalizer is on');
  t.equal(p.status?.placedWorkloads?.[0].clusters?.find((c) => c.clusterName === 'c1')?.state, 'Deleting');

  world.setFinalizer('web', 'c1', false);
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c2'], 'finalizer gone: label removed');
  t.equal(ann(world.workload('web'), `deletion.tmc.kcp.io/${key('c1')}`), undefined);
  t.equal(ann(world.workload('web'), `failover.tmc.kcp.io/${key('c1')}`), undefined, 'and the old-copy mark with it');

  // recovery: Steady keeps the workload where it is
  world.setReady('c1', true);
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c2'], 'stays on c2 after c1 recovers');
});

t.test('a vacated cluster whose syncer never reported is released at once, finalizer included', async (t) => {
  const world = new World([readyCluster('c1'), readyCluster('c2')], [deployment('web')]);
  const p = placement({ numberOfClusters: 1, failover: { tolerationSeconds: 5, purgeMode: 'Immediately' } });
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c1']);
  t.same(world.workload('web').metadata.finalizers, [`tmc.kcp.io/syncer-${key('c1')}`]);
  world.setReady('c1', false);
  world.advance(6);
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c2'], 'moved without waiting for c1');
  t.same(world.workload('web').metadata.finalizers, [`tmc.kcp.io/syncer-${key('c2')}`], 'c1 finalizer gone with its label, c2 finalizer added');
  t.equal(ann(world.workload('web'), `deletion.tmc.kcp.io/${key('c1')}`), undefined);
});

t.test('purgeMode Immediately and Never', async (t) => {
  for (const [mode, expected] of [['Immediately', ['c2']], ['Never', ['c1', 'c2']]] as const) {
    const world = new World([readyCluster('c1'), readyCluster('c2')], [deployment('web')]);
    const p = placement({ numberOfClusters: 1, failover: { tolerationSeconds: 5, purgeMode: mode } });
    await world.reconcile(p);
    world.setReady('c1', false);
    world.advance(6);
    await world.reconcile(p);
    t.same(world.placedOn('web'), expected, mode);
  }
});

t.test('cordon keeps, drain moves, NoSchedule keeps, NoExecute evicts', async (t) => {
  const setup = async () => {
    const world = new World([readyCluster('c1'), readyCluster('c2')], [deployment('web')]);
    const p = placement({ numberOfClusters: 1, failover: { purgeMode: 'Immediately' } });
    await world.reconcile(p);
    t.same(world.placedOn('web'), ['c1']);
    return { world, p };
  };
  {
    const { world, p } = await setup();
    world.cluster('c1').spec!.unschedulable = true;
    await world.reconcile(p);
    t.same(world.placedOn('web'), ['c1'], 'cordon keeps existing workloads');
    t.equal(p.status?.decisions?.[0].reason, 'Retained');
  }
  {
    const { world, p } = await setup();
    world.cluster('c1').spec!.evictAfter = new Date(world.nowMs + 60_000).toISOString();
    const out = await world.reconcile(p);
    t.same(world.placedOn('web'), ['c1'], 'draining: kept until evictAfter');
    t.ok(out.requeueAfterMs && out.requeueAfterMs <= 60_200 && out.requeueAfterMs >= 59_000);
    world.advance(61);
    await world.reconcile(p);
    t.same(world.placedOn('web'), ['c2'], 'drained: moved');
    t.equal(world.history().at(-1)?.spec.trigger, 'Failover');
  }
  {
    const { world, p } = await setup();
    world.cluster('c1').spec!.taints = [{ key: 'maint', effect: 'NoSchedule' }];
    await world.reconcile(p);
    t.same(world.placedOn('web'), ['c1'], 'NoSchedule keeps');
    world.cluster('c1').spec!.taints = [{ key: 'maint', effect: 'NoExecute', timeAdded: new Date(world.nowMs).toISOString() }];
    await world.reconcile(p);
    t.same(world.placedOn('web'), ['c2'], 'NoExecute evicts');
  }
  {
    const { world, p } = await setup();
    p.spec.tolerations = [{ key: 'maint', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 20 }];
    world.cluster('c1').spec!.taints = [{ key: 'maint', effect: 'NoExecute', timeAdded: new Date(world.nowMs).toISOString() }];
    const out = await world.reconcile(p);
    t.same(world.placedOn('web'), ['c1'], 'tolerated NoExecute: kept for tolerationSeconds');
    t.ok(out.requeueAfterMs && out.requeueAfterMs <= 20_200);
    world.advance(21);
    await world.reconcile(p);
    t.same(world.placedOn('web'), ['c2'], 'toleration expired: moved');
  }
});

t.test('rollback pins a revision; unpinning resumes scheduling', async (t) => {
  const world = new World([readyCluster('c1'), readyCluster('c2'), readyCluster('c3')], [deployment('web')]);
  const p = placement({ clusterSelector: { clusterNames: ['c1'] } });
  await world.reconcile(p);
  p.spec.clusterSelector = { clusterNames: ['c2', 'c3'] };
  p.metadata.generation = 2;
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c2', 'c3']);
  t.equal(world.history().at(-1)?.spec.trigger, 'PlacementChanged');
  t.same(world.history().at(-1)?.spec.previous, [{ clusterName: 'c1', replicas: 3 }]);

  p.spec.pinnedRevision = 1;
  p.metadata.generation = 3;
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c1'], 'back on revision 1');
  const rollback = world.history().at(-1)!;
  t.equal(rollback.spec.trigger, 'Rollback');
  t.equal(rollback.metadata.annotations?.['tmc.kcp.io/rollback-of'], '1');
  t.equal(cond(p, 'Scheduled')?.reason, 'Pinned');
  t.match(cond(p, 'Scheduled')?.message, /pinned to revision 1/);
  t.equal(p.status?.currentRevision, 3);
  const created = world.created;
  await world.reconcile(p);
  t.equal(world.created, created, 'a pin records once');

  delete p.spec.pinnedRevision;
  p.metadata.generation = 4;
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c2', 'c3'], 'unpinned: scheduling resumes');
  t.equal(cond(p, 'Scheduled')?.reason, 'Scheduled');

  p.spec.pinnedRevision = 42;
  p.metadata.generation = 5;
  const before = structuredClone(world.workload('web'));
  await world.reconcile(p);
  t.equal(p.status?.phase, 'Failed');
  t.equal(cond(p, 'Scheduled')?.reason, 'PinnedRevisionNotFound');
  t.same(world.workload('web'), before, 'a missing pin touches nothing');
});

t.test('history is bounded and never loses the pinned revision', async (t) => {
  const world = new World(['a', 'b', 'c', 'd'].map((n) => readyCluster(n)), [deployment('web')]);
  const p = placement({});
  for (const n of ['a', 'b', 'c', 'd']) {
    p.spec.clusterSelector = { clusterNames: [n] };
    await world.reconcile(p, { historyLimit: 3 });
  }
  t.same(world.history().map((d) => d.spec.revision), [2, 3, 4], 'the oldest is pruned');
  p.spec.pinnedRevision = 2;
  await world.reconcile(p, { historyLimit: 3 });
  t.same(world.placedOn('web'), ['b']);
  t.same(world.history().map((d) => d.spec.revision), [2, 4, 5], 'the pinned revision survives pruning');
});

t.test('unschedulable: Failed with the engine sentence; previous placement stays', async (t) => {
  const world = new World([readyCluster('c1')], [deployment('web')]);
  const p = placement({ clusterSelector: { clusterNames: ['nope'] } });
  await world.reconcile(p);
  t.equal(p.status?.phase, 'Failed');
  t.equal(cond(p, 'Scheduled')?.status, 'False');
  t.equal(cond(p, 'Scheduled')?.reason, 'NoFeasibleClusters');
  t.match(cond(p, 'Scheduled')?.message, /0\/1 clusters are available/);
  t.equal(world.history()[0].spec.unschedulable?.reason, 'NoFeasibleClusters');

  const empty = new World([], [deployment('web')]);
  const q = placement({});
  await empty.reconcile(q);
  t.equal(q.status?.phase, 'Failed');
  t.equal(cond(q, 'Scheduled')?.reason, 'NoClusters');
});

t.test('no workloads: Pending; deselected workloads are released; other owners are respected', async (t) => {
  const world = new World([readyCluster('c1')], [deployment('web', 1, { app: 'web', placed: 'yes' }), deployment('api', 1, { app: 'api', placed: 'yes' })]);
  const none = placement({ workloadSelector: { names: ['ghost'] } }, 'none');
  await world.reconcile(none);
  t.equal(none.status?.phase, 'Pending');
  t.equal(cond(none, 'Scheduled')?.reason, 'NoWorkloadsSelected');
  t.equal(world.created, 0, 'no decision without workloads');

  const p = placement({ workloadSelector: { labelSelector: { matchLabels: { placed: 'yes' } } } });
  await world.reconcile(p);
  t.same(world.placedOn('web'), ['c1']);
  t.same(world.placedOn('api'), ['c1']);
  t.equal(p.status?.decisions?.[0].replicas, 2, 'replicas summed over workloads');

  const rival = placement({ workloadSelector: { names: ['web'] } }, 'rival');
  await world.reconcile(rival);
  t.equal(rival.status?.phase, 'Pending', 'web is owned by app/web');
  t.match(cond(rival, 'Synced')?.message ?? '', /placed by app\/web/);

  world.workload('api').metadata.labels = { app: 'api' };
  await world.reconcile(p);
  t.same(world.placedOn('api'), [], 'deselected: released');
  t.equal(ann(world.workload('api'), 'tmc.kcp.io/placement'), undefined);
  t.same(world.placedOn('web'), ['c1']);
});

t.test('sync failures and unknown cluster keys', async (t) => {
  const world = new World([readyCluster('c1')], [deployment('web')]);
  const w = world.workload('web');
  w.metadata.labels = { ...w.metadata.labels, 'state.tmc.kcp.io/Zzzzzzzz': 'Sync' };
  const p = placement({});
  await world.reconcile(p);
  t.equal(world.workload('web').metadata.labels?.['state.tmc.kcp.io/Zzzzzzzz'], undefined, 'label of an unregistered cluster removed');
  world.report('web', 'c1', { error: 'forbidden: quota exceeded' });
  await world.reconcile(p);
  t.equal(cond(p, 'Synced')?.reason, 'SyncFailed');
  t.match(cond(p, 'Synced')?.message, /quota exceeded/);
  t.equal(p.status?.placedWorkloads?.[0].clusters?.[0].state, 'Failed');
});

t.test('identical workloads share one engine call; a rule schedules each', async (t) => {
  const world = new World([readyCluster('c1'), readyCluster('c2')], [deployment('a', 2), deployment('b', 2), deployment('c', 5)]);
  const p = placement({ numberOfClusters: 1 });
  await world.reconcile(p);
  t.same(world.placedOn('a'), world.placedOn('b'));
  const r = placement({ numberOfClusters: 1, rules: [{ expression: "workload.metadata.name != 'b' || cluster.metadata.name == 'c2'", message: 'b on c2' }] }, 'ruled');
  const w2 = new World([readyCluster('c1'), readyCluster('c2')], [deployment('a', 2), deployment('b', 2)]);
  await w2.reconcile(r);
  t.same(w2.placedOn('a'), ['c1']);
  t.same(w2.placedOn('b'), ['c2'], 'rule over workload honoured per workload');
});

t.test('a status write lost after the record was written: the retry still names the new revision', async (t) => {
  const world = new World(['c1', 'c2'].map((n) => readyCluster(n)), [deployment('web')]);
  const p = placement({ numberOfClusters: 1 });
  await world.reconcile(p);
  t.equal(p.status?.currentRevision, 1);

  // a new decision (revision 2) whose status write fails: the placement keeps its old status
  p.spec.clusterSelector = { clusterNames: ['c2'] };
  p.metadata.generation = 2;
  const oldStatus = structuredClone(p.status);
  const lost = await reconcilePlacement(structuredClone(p), WS, world.deps());
  t.equal(lost.placement.status?.currentRevision, 2, 'the pass that wrote the record');
  t.equal(world.history().at(-1)?.spec.revision, 2);

  // the retry starts from the old status and finds nothing to record
  p.status = oldStatus;
  const created = world.created;
  await world.reconcile(p);
  t.equal(world.created, created, 'no second record');
  t.equal(p.status?.currentRevision, 2, 'the status catches up with the newest record');
  t.equal(p.status?.lastPlacementTime, world.history().at(-1)?.spec.time);

  // and with a pin: the Rollback record, then a lost status write
  p.spec.pinnedRevision = 1;
  p.metadata.generation = 3;
  const before = structuredClone(p.status);
  await reconcilePlacement(structuredClone(p), WS, world.deps());
  t.equal(world.history().at(-1)?.spec.trigger, 'Rollback');
  p.status = before;
  await world.reconcile(p);
  t.equal(p.status?.currentRevision, world.history().at(-1)?.spec.revision, 'the Rollback record is current');
  t.equal(world.history().filter((d) => d.spec.trigger === 'Rollback').length, 1);
});
