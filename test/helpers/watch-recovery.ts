/**
 * For the per-component watch-recovery tests: a server whose store watches a test can close
 * (flaky-store.ts), with a handler that throws on every event registered on the shared informers
 * of the resources named, beside the components' own handlers. A component that still follows
 * changes there shows that a throwing handler does not stop its updates.
 */
import type { ServerOptions } from '../../src/cmd/server-options.js';
import type { RunningServer, StartHooks } from '../../src/cmd/start-server.js';
import { flakyStore, type FlakyStore } from './flaky-store.js';
import type { Creds } from './http.js';
import { startServer, type Teardown } from './tmc.js';

export interface RecoveryServer {
  srv: RunningServer;
  store: FlakyStore;
  admin: Creds;
  /** How often the throwing handlers have thrown. */
  thrown(): number;
}

type ComponentFactory = NonNullable<StartHooks['components']>[number];

export async function startRecoveryServer(t: Teardown, opts: {
  /** Shared informers (`secrets`, `apps/deployments`) to register a throwing handler on. */
  throwingOn: string[];
  overrides?: Partial<ServerOptions>;
  /** The server's other plug-in components (none by default: no TMC controllers). */
  components?: ComponentFactory[];
  hooks?: Omit<StartHooks, 'components' | 'wrapStore'>;
}): Promise<RecoveryServer> {
  let store!: FlakyStore;
  let thrown = 0;
  const thrower: ComponentFactory = {
    name: 'throwing-handlers',
    make: (deps) => {
      const boom = () => { thrown++; throw new Error('handler failure (test)'); };
      const off = opts.throwingOn.map((r) => deps.informers.informer(r).addEventHandler({ onAdd: boom, onUpdate: boom, onDelete: boom }));
      return { stop: () => off.forEach((u) => u()) };
    },
  };
  const srv = await startServer(t, opts.overrides ?? {}, {
    ...opts.hooks,
    components: [...(opts.components ?? []), thrower],
    wrapStore: (s) => (store = flakyStore(s)),
  });
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  return { srv, store, admin, thrown: () => thrown };
}

/**
 * Runs `change` while every store watch is closed (as after an etcd restart), then lets them come
 * back: resuming from their revision, or, with `expired`, answered 410 so they must relist.
 */
export async function whileWatchesDown(store: FlakyStore, change: () => Promise<void>, opts: { expired: boolean }): Promise<void> {
  store.breakWatches();
  try {
    await change();
  } finally {
    await store.heal({ expired: opts.expired });
  }
}
