/**
 * The pacing of per-cluster status reports (status/report-pacing.ts): a new copy reports once it
 * settled (or after FIRST_REPORT_WAIT_MS), later reports are REPORT_INTERVAL_MS apart, and a
 * change of the Synced condition is never held back.
 */
import t from 'tap';
import type { KubeObject } from '../../src/client/types.js';
import { CONFIGMAPS, DAEMONSETS, DEPLOYMENTS, JOBS } from '../../src/syncer/resources.js';
import { FIRST_REPORT_WAIT_MS, REPORT_INTERVAL_MS, isSettled, reportDelay } from '../../src/syncer/status/report-pacing.js';
import type { ReportedStatus } from '../../src/syncer/aggregate/types.js';
import type { KubeClient } from '../../src/client/kube-client.js';
import { FakeClock } from '../../src/client/testing/fake-clock.js';
import { StatusError } from '../../src/errors/status.js';
import type { SyncContext } from '../../src/syncer/context.js';
import type { DownstreamCache } from '../../src/syncer/downstream/downstream-cache.js';
import { applyDownstream } from '../../src/syncer/downsync/apply.js';
import type { UpstreamSource } from '../../src/syncer/upstream/source.js';

const deploy = (replicas: number, status: Record<string, unknown> | undefined, generation = 1): KubeObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation }, spec: { replicas }, ...(status ? { status } : {}) }) as KubeObject;
const synced = (status: 'True' | 'False', reason = status === 'True' ? 'Synced' : 'ApplyFailed'): ReportedStatus['conditions'] =>
  [{ type: 'Synced', status, reason, lastTransitionTime: '2026-01-01T00:00:00Z' }];
const ready2 = { observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 };

t.test('isSettled', async (t) => {
  t.notOk(isSettled(DEPLOYMENTS, deploy(2, undefined)), 'no status yet');
  t.notOk(isSettled(DEPLOYMENTS, deploy(2, { observedGeneration: 1, replicas: 2, readyReplicas: 0 })), 'rolling out');
  t.notOk(isSettled(DEPLOYMENTS, deploy(2, { ...ready2, observedGeneration: 1 }, 2)), 'a newer generation not observed');
  t.notOk(isSettled(DEPLOYMENTS, deploy(2, { ...ready2, availableReplicas: 1 })), 'one not available');
  t.ok(isSettled(DEPLOYMENTS, deploy(2, ready2)), 'all ready at the observed generation');
  t.ok(isSettled(DEPLOYMENTS, deploy(0, { observedGeneration: 1 })), 'scaled to zero');
  const ds = (status: Record<string, unknown>) => ({ metadata: { name: 'x', generation: 1 }, status }) as KubeObject;
  t.notOk(isSettled(DAEMONSETS, ds({ observedGeneration: 1, desiredNumberScheduled: 3, numberReady: 2 })));
  t.ok(isSettled(DAEMONSETS, ds({ observedGeneration: 1, desiredNumberScheduled: 3, numberReady: 3 })));
  t.ok(isSettled(JOBS, { metadata: { name: 'j' }, status: { active: 1 } } as KubeObject), 'other kinds: any status');
});

t.test('reportDelay', async (t) => {
  const now = 1_000_000;
  const base = { resource: DEPLOYMENTS, nowMs: now, lastWrittenAt: undefined, createdAt: undefined };
  const rolling = deploy(2, { observedGeneration: 1, replicas: 2, readyReplicas: 0 });

  t.equal(reportDelay({ ...base, downstreamObj: rolling, previous: undefined, next: { conditions: synced('True') }, createdAt: now - 300 }),
    FIRST_REPORT_WAIT_MS - 300, 'a new copy still rolling out waits for the rest of the first-report window');
  t.equal(reportDelay({ ...base, downstreamObj: deploy(2, ready2), previous: undefined, next: { ...ready2, conditions: synced('True') }, createdAt: now - 300 }),
    0, 'a new copy that settled reports at once');
  t.equal(reportDelay({ ...base, downstreamObj: rolling, previous: undefined, next: { conditions: synced('True') }, createdAt: now - FIRST_REPORT_WAIT_MS - 1 }),
    0, 'the first-report window is bounded');
  t.equal(reportDelay({ ...base, downstreamObj: rolling, previous: undefined, next: { conditions: synced('False') }, createdAt: now - 10 }),
    0, 'a failure is reported at once');
  t.equal(reportDelay({ ...base, downstreamObj: rolling, previous: undefined, next: { conditions: synced('True') } }),
    0, 'a copy this process did not just create (a restart) reports at once');
  t.equal(reportDelay({ ...base, resource: CONFIGMAPS, downstreamObj: { metadata: { name: 'c' } } as KubeObject, previous: undefined, next: { conditions: synced('True') }, createdAt: now - 10 }),
    0, 'no pod template: nothing to wait for');

  const previous = { replicas: 2, readyReplicas: 0, conditions: synced('True') };
  t.equal(reportDelay({ ...base, downstreamObj: deploy(2, ready2), previous, next: { ...ready2, conditions: synced('True') }, lastWrittenAt: now - 400 }),
    REPORT_INTERVAL_MS - 400, 'a later report waits out the interval since the last write');
  t.equal(reportDelay({ ...base, downstreamObj: deploy(2, ready2), previous, next: { ...ready2, conditions: synced('True') }, lastWrittenAt: now - REPORT_INTERVAL_MS }),
    0, 'and goes once it passed');
  t.equal(reportDelay({ ...base, downstreamObj: rolling, previous, next: { ...previous, conditions: synced('False') }, lastWrittenAt: now - 10 }),
    0, 'Synced turning False is not held back');
  t.equal(reportDelay({ ...base, downstreamObj: rolling, previous: { conditions: synced('False') }, next: { conditions: synced('True') }, lastWrittenAt: now - 10 }),
    0, 'nor is the recovery');
  t.equal(reportDelay({ ...base, downstreamObj: rolling, previous, next: { ...previous, readyReplicas: 1 } }),
    0, 'nothing written by this process yet (a restart): at once');
});

t.test('a new copy\'s creation is timed on the sync context\'s clock', async (t) => {
  const clock = new FakeClock(5_000);
  const createdCopies = new Map<string, number>();
  const desired = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'tmc-x' }, spec: { replicas: 1 } } as KubeObject;
  const downstreamClient = {
    get: async () => { throw new StatusError(404, 'NotFound', 'not found'); },
    patch: async (_g: unknown, _ns: string, _n: string, body: KubeObject) => ({ ...body, metadata: { ...body.metadata, resourceVersion: '1' } }),
  } as unknown as KubeClient;
  const ctx: SyncContext = {
    clusterKey: 'K1', resources: [DEPLOYMENTS], source: {} as UpstreamSource, downstreamClient, cache: { get: () => undefined } as unknown as DownstreamCache,
    now: () => 't', lastApplied: new Map(), createdCopies, clock,
  };
  await applyDownstream(ctx, { resource: DEPLOYMENTS, desired, upstreamRef: { resource: DEPLOYMENTS, workspace: 'root:w', namespace: 'default', name: 'web' }, upstreamObj: {} as KubeObject });
  t.same([...createdCopies], [['tmc-x/web', 5_000]], 'the first report\'s wait is counted from the fake clock\'s time');
});
