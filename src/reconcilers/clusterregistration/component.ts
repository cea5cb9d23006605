/**
 * The in-process wiring of the ClusterRegistration controller inside tmc-server: an admin client
 * for the server itself (its admin client certificate, talking to its own URL), the heartbeat
 * flags, and the set of registrations to watch. `deps` is structurally the server's ServerDeps
 * (only what is used is named here, so this layer never imports cmd/).
 */
import { HttpTransport } from '../../client/http-transport.js';
import type { Informer } from '../../client/informer.js';
import { KubeClient } from '../../client/kube-client.js';
import type { Clock } from '../../client/clock.js';
import type { Logger } from '../../observability/logger.js';
import { ClusterRegistrationController } from './clusterregistration-controller.js';

export interface ClusterRegistrationComponentDeps {
  /** The server's base URL (listening by the time components start). */
  url: string;
  pki: { ca: { certPem: string }; admin: { certPem: string; keyPem: string } };
  opts: { heartbeatSeconds: number; heartbeatThresholdSeconds: number };
  log?: Logger;
}

export interface ClusterRegistrationComponentOptions {
  /** Workspaces whose ClusterRegistrations are watched (e.g. `root:clusters`). */
  workspaces?: string[];
  /**
   * Informers over ClusterRegistrations built from the upstream admin client, instead of (or in
   * addition to) `workspaces`. With the APIExport virtual workspace this becomes one wildcard
   * informer over `/services/apiexport/root:tmc/tmc.kcp.io/clusters/*`.
   */
  registrationInformers?: (upstreamClient: KubeClient) => Informer[];
  /** Overrides of deps.opts, in milliseconds (tests use sub-second values). */
  heartbeatIntervalMs?: number;
  heartbeatThresholdMs?: number;
  probeTimeoutMs?: number;
  workers?: number;
  clock?: Clock;
}

export interface ClusterRegistrationComponent {
  controller: ClusterRegistrationController;
  stop(): Promise<void>;
}

export function clusterRegistrationComponent(
  deps: ClusterRegistrationComponentDeps, options: ClusterRegistrationComponentOptions = {},
): ClusterRegistrationComponent {
  const transport = new HttpTransport({
    server: deps.url,
    ca: deps.pki.ca.certPem, cert: deps.pki.admin.certPem, key: deps.pki.admin.keyPem,
    userAgent: 'tmc-clusterregistration-controller',
  });
  const upstreamClient = new KubeClient(transport);
  const controller = new ClusterRegistrationController({
    upstreamClient,
    registrationInformers: options.registrationInformers?.(upstreamClient),
    serverURL: () => deps.url,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? deps.opts.heartbeatSeconds * 1000,
    heartbeatThresholdMs: options.heartbeatThresholdMs ?? deps.opts.heartbeatThresholdSeconds * 1000,
    probeTimeoutMs: options.probeTimeoutMs,
    workers: options.workers,
    clock: options.clock,
    logger: deps.log?.child({ controller: 'clusterregistration' }),
  });
  for (const workspace of options.workspaces ?? []) controller.watchWorkspace(workspace);
  controller.start();
  return {
    controller,
    stop: async () => {
      await controller.stop();
      transport.close();
    },
  };
}
