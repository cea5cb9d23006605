/**
 * Conflict handling and release patches against stubbed clients: an unowned downstream object is
 * left alone under Abort and adopted under Overwrite; an owned one is applied without asking.
 */
import t from 'tap';
import { CLUSTER_KEY_LABEL, deletionAnnotation, specDiffAnnotation, stateLabel, statusAnnotation, syncerFinalizer } from '../../src/apis/contract.js';
import type { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/types.js';
import { StatusError } from '../../src/errors/status.js';
import { SyncFailure } from '../../src/syncer/conditions.js';
import type { SyncContext } from '../../src/syncer/context.js';
import type { DownstreamCache } from '../../src/syncer/downstream/downstream-cache.js';
import { releasePatch } from '../../src/syncer/lifecycle/deletion.js';
import { DEPLOYMENTS } from '../../src/syncer/resources.js';
import { applyDownstream } from '../../src/syncer/downsync/apply.js';
import type { UpstreamSource } from '../../src/syncer/upstream/source.js';

const KEY = 'K1';
const desired: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'tmc-x', labels: { [CLUSTER_KEY_LABEL]: KEY }, annotations: { 'tmc.kcp.io/desired-hash': 'h1' } }, spec: { replicas: 1 } } as KubeObject;
const ref = { resource: DEPLOYMENTS, workspace: 'root:w', namespace: 'default', name: 'web' };

function harness(existing: KubeObject | undefined, resolution: 'Abort' | 'Overwrite') {
  const applies: unknown[] = [];
  const downstreamClient = {
    get: async () => { if (!existing) throw new StatusError(404, 'NotFound', 'not found'); return existing; },
    patch: async (_g: unknown, _ns: string, _n: string, body: KubeObject) => { applies.push(body); return { ...body, metadata: { ...body.metadata, resourceVersion: '5' } }; },
  } as unknown as KubeClient;
  let asked = 0;
  const source = { conflictResolution: async () => { asked++; return resolution; } } as unknown as UpstreamSource;
  const cache = { get: () => undefined } as unknown as DownstreamCache;
  const ctx: SyncContext = { clusterKey: KEY, resources: [DEPLOYMENTS], source, downstreamClient, cache, now: () => 't', lastApplied: new Map() };
  return { ctx, applies, asked: () => asked };
}

t.test('Abort: a foreign object is not touched and the failure says Conflict', async (t) => {
  const h = harness({ metadata: { name: 'web', namespace: 'tmc-x', labels: { owner: 'them' } } } as KubeObject, 'Abort');
  const err = await applyDownstream(h.ctx, { resource: DEPLOYMENTS, desired, upstreamRef: ref, upstreamObj: {} as KubeObject }).catch((e) => e);
  t.ok(err instanceof SyncFailure && err.reason === 'Conflict', 'Conflict');
  t.equal(h.applies.length, 0, 'nothing applied');
});

t.test('Overwrite: a foreign object is adopted by server-side apply', async (t) => {
  const h = harness({ metadata: { name: 'web', namespace: 'tmc-x' } } as KubeObject, 'Overwrite');
  await applyDownstream(h.ctx, { resource: DEPLOYMENTS, desired, upstreamRef: ref, upstreamObj: {} as KubeObject });
  t.equal(h.applies.length, 1);
});

t.test('an object of another cluster key is foreign too', async (t) => {
  const h = harness({ metadata: { name: 'web', namespace: 'tmc-x', labels: { [CLUSTER_KEY_LABEL]: 'OTHER' } } } as KubeObject, 'Abort');
  const err = await applyDownstream(h.ctx, { resource: DEPLOYMENTS, desired, upstreamRef: ref, upstreamObj: {} as KubeObject }).catch((e) => e);
  t.ok(err instanceof SyncFailure && err.reason === 'Conflict');
});

t.test('our own object (or none) is applied without asking the placement', async (t) => {
  for (const existing of [undefined, { metadata: { name: 'web', namespace: 'tmc-x', labels: { [CLUSTER_KEY_LABEL]: KEY } }, spec: { replicas: 5 } } as KubeObject]) {
    const h = harness(existing, 'Abort');
    await applyDownstream(h.ctx, { resource: DEPLOYMENTS, desired, upstreamRef: ref, upstreamObj: {} as KubeObject });
    t.equal(h.applies.length, 1);
    t.equal(h.asked(), 0);
  }
});

t.test('a rejected apply is ApplyFailed with the server message', async (t) => {
  const h = harness(undefined, 'Abort');
  (h.ctx.downstreamClient as unknown as { patch: unknown }).patch = async () => { throw new StatusError(422, 'Invalid', 'spec.replicas: Invalid value'); };
  const err = await applyDownstream(h.ctx, { resource: DEPLOYMENTS, desired, upstreamRef: ref, upstreamObj: {} as KubeObject }).catch((e) => e);
  t.ok(err instanceof SyncFailure && err.reason === 'ApplyFailed');
  t.match(err.message, /Invalid value/);
});

t.test('release patches', async (t) => {
  const obj = {
    metadata: {
      name: 'x', resourceVersion: '7', finalizers: ['a', syncerFinalizer(KEY)], labels: { [stateLabel(KEY)]: 'Sync' },
      annotations: { [deletionAnnotation(KEY)]: 't', [statusAnnotation(KEY)]: '{}', [specDiffAnnotation(KEY)]: '[]' },
    },
  } as KubeObject;
  t.same(releasePatch(obj, KEY, 'upstream-deleted'), { metadata: { finalizers: ['a'], resourceVersion: '7' } });
  t.same(releasePatch(obj, KEY, 'soft-deleted'), { metadata: {
    finalizers: ['a'], resourceVersion: '7', labels: { [stateLabel(KEY)]: null },
    annotations: { [deletionAnnotation(KEY)]: null, [specDiffAnnotation(KEY)]: null, [statusAnnotation(KEY)]: null },
  } });
  t.same(releasePatch(obj, KEY, 'unassigned'), { metadata: { finalizers: ['a'], resourceVersion: '7', annotations: { [deletionAnnotation(KEY)]: null, [statusAnnotation(KEY)]: null } } });
  t.equal(releasePatch({ metadata: { name: 'y' } } as KubeObject, KEY, 'unassigned'), undefined, 'nothing to release');
});
