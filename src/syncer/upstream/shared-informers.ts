/**
 * One upstream informer per (workspace, resource) for every syncer in this process and the status
 * aggregator, as client-go's SharedInformerFactory. With M in-process (push) syncers each running
 * its own label-filtered informers, every upstream event was filtered, encoded and sent by the
 * server and parsed and cached here M+1 times; shared, once. Each syncer keeps only what carries
 * its own state label (DirectSource filters in its handler and on reads).
 *
 * Cached objects are shared by all users: handlers and readers must not mutate them (the syncer
 * transforms copies; the aggregator builds a new status).
 *
 * Leases are reference-counted: an informer stops when its last user releases it, so a workspace
 * that loses its bindings, or the last syncer stopping, leaves no watch behind.
 */
import { Informer } from '../../client/informer.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { Logger } from '../../observability/logger.js';
import { resourceId, type SyncedResource } from '../resources.js';

export interface InformerLease {
  informer: Informer;
  release(): void;
}

interface Entry { informer: Informer; users: number }

export class SharedUpstreamInformers {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly rootClient: KubeClient, private readonly logger?: Logger) {}

  /** The (started) informer of every object of `resource` in `workspace`. */
  acquire(workspace: string, resource: SyncedResource): InformerLease {
    const key = `${workspace}#${resourceId(resource)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const informer = new Informer({
        source: this.rootClient.forCluster(workspace), gvr: resource.gvr, logger: this.logger,
        backoff: { initialMs: 200, maxMs: 10_000 },
      });
      entry = { informer, users: 0 };
      this.entries.set(key, entry);
      informer.start();
    }
    entry.users++;
    const held = entry;
    let released = false;
    return {
      informer: held.informer,
      release: () => {
        if (released) return;
        released = true;
        if (--held.users > 0) return;
        held.informer.stop();
        if (this.entries.get(key) === held) this.entries.delete(key);
      },
    };
  }

  /** How many informers run (for tests and debugging). */
  size(): number {
    return this.entries.size;
  }

  stop(): void {
    for (const e of this.entries.values()) e.informer.stop();
    this.entries.clear();
  }
}

/** A lease on a private informer (no sharing): what a standalone syncer uses. */
export function ownInformer(informer: Informer): InformerLease {
  informer.start();
  return { informer, release: () => informer.stop() };
}
