/**
 * The syncer's queue order against fakes (no servers): an upstream change is reconciled before a
 * downstream status event that was queued earlier, so a burst's new objects are applied first.
 */
import t from 'tap';
import type { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject, WatchEvent } from '../../src/client/types.js';
import { UPSTREAM_ANNOTATION } from '../../src/syncer/annotations.js';
import { DEPLOYMENTS } from '../../src/syncer/resources.js';
import { Syncer } from '../../src/syncer/syncer.js';
import type { ChangeHandler, UpstreamSource } from '../../src/syncer/upstream/source.js';

const KEY = 'K1';
const upstream = (name: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default', annotations: { 'kcp.io/cluster': 'root:w' } } } as KubeObject);

t.test('an upstream change goes before an earlier downstream status event', async (t) => {
  const watchers = new Map<string, (e: WatchEvent) => void>();
  const downstreamClient = {
    list: async () => ({ items: [], metadata: { resourceVersion: '1' } }),
    watch: (gvr: { resource: string }, _o: unknown, onEvent: (e: WatchEvent) => void) => { watchers.set(gvr.resource, onEvent); return { stop() {} }; },
  } as unknown as KubeClient;
  let change!: ChangeHandler;
  const fetched: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const source = {
    mode: 'direct',
    start: async () => {}, stop() {},
    onChange: (h: ChangeHandler) => { change = h; },
    get: () => undefined,
    list: () => [],
    // Every reconcile of these fakes starts here (nothing cached upstream); the first one holds the only worker.
    fetch: async (ref: { name: string }) => {
      fetched.push(ref.name);
      if (fetched.length === 1) await gate;
      throw new Error('stop here');
    },
  } as unknown as UpstreamSource;
  const syncer = new Syncer({ clusterKey: KEY, source, downstreamClient, resources: [DEPLOYMENTS], workers: 1, resyncMs: 3_600_000, rateLimiter: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
  await syncer.start();
  t.teardown(() => syncer.stop());
  change(DEPLOYMENTS, upstream('blocker'));
  await new Promise((r) => setTimeout(r, 20));
  t.same(fetched, ['blocker'], 'the only worker is busy');
  // A copy's status moved on downstream, then a new object arrived upstream.
  watchers.get('deployments')!({
    type: 'ADDED',
    object: { metadata: { name: 'reported', namespace: 'tmc-x', resourceVersion: '2', annotations: { [UPSTREAM_ANNOTATION]: JSON.stringify({ workspace: 'root:w', namespace: 'default', name: 'reported' }) } } } as KubeObject,
  });
  change(DEPLOYMENTS, upstream('new'));
  release();
  await new Promise((r) => setTimeout(r, 50));
  t.same(fetched, ['blocker', 'new', 'reported']);
});
