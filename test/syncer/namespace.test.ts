/**
 * The downstream namespace against a stubbed client: workers of one syncer wanting the same new
 * namespace at once create it once.
 */
import t from 'tap';
import type { KubeClient } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/types.js';
import { StatusError } from '../../src/errors/status.js';
import type { SyncContext } from '../../src/syncer/context.js';
import type { DownstreamCache } from '../../src/syncer/downstream/downstream-cache.js';
import { ensureNamespaceCreated } from '../../src/syncer/downsync/namespace.js';
import { DEPLOYMENTS } from '../../src/syncer/resources.js';
import type { UpstreamSource } from '../../src/syncer/upstream/source.js';

t.test('concurrent workers create a new namespace once; only the creator counts it as new', async (t) => {
  const calls: string[] = [];
  let created: KubeObject | undefined;
  const downstreamClient = {
    create: async (_g: unknown, _ns: unknown, body: KubeObject) => {
      calls.push('create');
      await new Promise((r) => setTimeout(r, 20));
      if (created) throw new StatusError(409, 'AlreadyExists', 'exists');
      created = body;
      return body;
    },
    get: async () => { calls.push('get'); return created; },
  } as unknown as KubeClient;
  const cache = { namespace: () => undefined } as unknown as DownstreamCache;
  const ctx: SyncContext = {
    clusterKey: 'K1', resources: [DEPLOYMENTS], source: {} as UpstreamSource, downstreamClient, cache, now: () => 't',
    lastApplied: new Map(), namespacesCreating: new Map(),
  };
  const locator = { workspace: 'root:w', namespace: 'default', cluster: 'K1' };
  const results = await Promise.all([1, 2, 3, 4].map(() => ensureNamespaceCreated(ctx, locator)));
  t.same(calls, ['create'], 'one POST, no 409s and re-reads');
  t.same(results.map((r) => r.created), [true, false, false, false]);
  t.equal(new Set(results.map((r) => r.name)).size, 1);
  t.equal(ctx.namespacesCreating!.size, 0, 'nothing left in flight');
});
