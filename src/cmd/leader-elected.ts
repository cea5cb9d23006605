/**
 * Runs a group of components on one replica at a time: the holder of a coordination.k8s.io Lease
 * in the root workspace (client-go's leader election, src/controllers/leader-election.ts). The
 * placement and cluster-registration controllers run this way when several tmc-server replicas
 * share etcd (docs/ha.md).
 *
 * Fencing is client-go's: the leader renews every retry period and stops its controllers once it
 * has not renewed for the renew deadline, which is shorter than the lease duration a successor
 * must wait, so the old leader has stopped before a new one starts. A process frozen past that
 * (SIGSTOP, a long GC pause) can still send writes it had queued when it resumes; those carry the
 * resourceVersion they were computed from, so any object the new leader has written since answers
 * 409 Conflict and the stale decision is dropped. A local watchdog also stops the group as soon as
 * the clock shows the deadline passed, without waiting for a round trip to the API.
 */
import { CONTROLLERS_LEASE, HA_LEASE_NAMESPACE, HA_LEASE_WORKSPACE } from '../apis/ha.js';
import { HttpTransport } from '../client/http-transport.js';
import { KubeClient } from '../client/kube-client.js';
import { LeaderElector, leaseStoreFor } from '../controllers/leader-election.js';
import {
  leaderElectionHandoverSeconds, leaderElectionIsLeader, leaderElectionTransitionsTotal,
} from '../observability/ha-metrics.js';
import type { Component, ComponentFactory, ServerDeps } from './start-server.js';

/** Where TMC's leases live: the root workspace's `default` namespace (exists from bootstrap). */
const LEASE_NAMESPACE = HA_LEASE_NAMESPACE;
export { CONTROLLERS_LEASE };

export interface LeaderElectedHandle extends Component {
  elector: LeaderElector;
  /** The inner components' names while they run here. */
  running(): string[];
}

export function leaderElected(name: string, lease: string, inner: ComponentFactory[]): ComponentFactory {
  return { name, make: (deps) => startLeaderElected(deps, lease, inner) };
}

export function startLeaderElected(deps: ServerDeps, lease: string, inner: ComponentFactory[]): LeaderElectedHandle {
  const log = deps.log.child({ component: 'leader-election', lease, identity: deps.opts.replicaId });
  const transport = new HttpTransport({
    server: deps.url, ca: deps.pki.ca.certPem, cert: deps.pki.admin.certPem, key: deps.pki.admin.keyPem,
    userAgent: 'tmc-leader-election', requestTimeoutMs: deps.opts.renewDeadlineMs,
  });
  const kubeClient = new KubeClient(transport).forCluster(HA_LEASE_WORKSPACE);
  const started: Array<{ name: string; component: Component }> = [];
  // Starts and stops are chained so a quick lose-then-win never runs two copies.
  let chain: Promise<void> = Promise.resolve();
  const stopAll = async () => {
    for (const { name: n, component } of started.splice(0).reverse()) {
      try { await component.stop(); } catch (err) { log.error({ err, component: n }, 'stopping a leader-elected component failed'); }
    }
  };
  const elector = new LeaderElector({
    store: leaseStoreFor(kubeClient, LEASE_NAMESPACE, lease),
    namespace: LEASE_NAMESPACE, name: lease, identity: deps.opts.replicaId,
    leaseDurationMs: deps.opts.leaseDurationMs, renewDeadlineMs: deps.opts.renewDeadlineMs, retryPeriodMs: deps.opts.retryPeriodMs,
    logger: log,
    onNewLeader: (holder) => log.info({ holder }, 'observed a new leader'),
    onStartedLeading: () => {
      leaderElectionIsLeader.set({ lease }, 1);
      leaderElectionTransitionsTotal.inc({ lease, direction: 'acquired' });
      const handoverMs = elector.lastTakeoverMs;
      elector.lastTakeoverMs = undefined;
      if (handoverMs !== undefined) leaderElectionHandoverSeconds.observe({ lease }, handoverMs / 1000);
      log.info({ handoverMs }, `became leader of ${lease}; starting ${inner.map((f) => f.name).join(', ')}`);
      chain = chain.then(async () => {
        for (const f of inner) {
          if (!elector.isLeader()) return;
          try {
            started.push({ name: f.name, component: await f.make(deps) });
          } catch (err) {
            log.error({ err, component: f.name }, 'a leader-elected component failed to start');
          }
        }
      });
    },
    onStoppedLeading: () => {
      leaderElectionIsLeader.set({ lease }, 0);
      leaderElectionTransitionsTotal.inc({ lease, direction: 'lost' });
      log.warn(`stopped leading ${lease}; stopping its components`);
      chain = chain.then(stopAll);
    },
  });
  leaderElectionIsLeader.set({ lease }, 0);
  elector.start();
  return {
    elector,
    running: () => started.map((s) => s.name),
    stop: async () => {
      await elector.stop();
      await chain;
      await stopAll();
      transport.close();
    },
  };
}
