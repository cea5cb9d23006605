/**
 * The TMC controllers as a kcp API provider runs them: every read and write goes through the TMC
 * APIExport's virtual workspace. `viewClient` is a client at the VW root
 * (`…/services/apiexport/<export cluster>/<export>`); list/watch use its wildcard
 * `/clusters/*`, and each write goes to `/clusters/<the object's kcp.io/cluster>` under it (the
 * controllers take the workspace of every write from that annotation, `clusterOf` in
 * src/apis/contract.ts). The controllers are the in-process ones, unchanged; only their clients
 * and workspace sets are injected here.
 */
import { CLUSTER_REGISTRATIONS } from '../apis/tmc/gvr.js';
import { Informer } from '../client/informer.js';
import type { KubeClient } from '../client/kube-client.js';
import type { Logger } from '../observability/logger.js';
import { ClusterRegistrationController } from '../reconcilers/clusterregistration/index.js';
import { WorkloadPlacementController } from '../reconcilers/workloadplacement/index.js';
import { SyncerManager } from '../syncer/manager/syncer-manager.js';
import { ViewWorkspaces } from '../syncer/upstream/view-workspaces.js';

export interface ViewControllersOptions {
  viewClient: KubeClient;
  /** The server (shard) URL the VW is on: the base of the syncer VW URLs in ClusterRegistration status. */
  serverURL: string;
  heartbeatIntervalMs: number;
  heartbeatThresholdMs: number;
  logger: Logger;
}

export interface ViewControllers {
  registrations: ClusterRegistrationController;
  placement: WorkloadPlacementController;
  syncers: SyncerManager;
  stop(): Promise<void>;
}

export async function startViewControllers(o: ViewControllersOptions): Promise<ViewControllers> {
  const everywhere = o.viewClient.forCluster('*');
  const registrations = new ClusterRegistrationController({
    upstreamClient: o.viewClient,
    registrationInformers: [new Informer({ source: everywhere, gvr: CLUSTER_REGISTRATIONS, logger: o.logger })],
    serverURL: () => o.serverURL,
    heartbeatIntervalMs: o.heartbeatIntervalMs,
    heartbeatThresholdMs: o.heartbeatThresholdMs,
    logger: o.logger.child({ controller: 'clusterregistration' }),
  });
  const placement = new WorkloadPlacementController({
    kubeClient: o.viewClient, workspaces: ['*'], logger: o.logger,
    // a claimed resource is in the view only once some consumer accepted its claim: starting must
    // not wait long for lists that may not be served yet (they are retried)
    syncTimeoutMs: 3000,
  });
  // Workloads are read per workspace (the syncers' shared informers); which workspaces there are
  // is read off the view itself, since its credentials cannot list APIBindings.
  const workspaces = new ViewWorkspaces(o.viewClient, { logger: o.logger });
  const syncers = new SyncerManager(o.viewClient, {
    registrationWorkspaces: ['*'], workloadWorkspaceProvider: workspaces, logger: o.logger.child({ component: 'syncer-manager' }),
  });
  registrations.start();
  await placement.start();
  workspaces.start();
  await syncers.start();
  return {
    registrations, placement, syncers,
    stop: async () => {
      await syncers.stop();
      workspaces.stop();
      await placement.stop();
      await registrations.stop();
    },
  };
}
