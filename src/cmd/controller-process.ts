/**
 * tmc-controller as one process: health and metrics listeners, the export's virtual workspace URL
 * from its APIExportEndpointSlice, then the controllers over a client for that URL — directly, or
 * on the holder of a Lease in the export's workspace (--leader-elect). The kubeconfig's
 * credentials are used for exactly three things: reading the slice, the Lease, and the VW.
 */
import type { Server } from 'node:http';
import express from 'express';
import { exportVirtualWorkspaceURL } from '../client/export-endpoint.js';
import { KubeClient } from '../client/kube-client.js';
import { httpTransportFromKubeConfig } from '../client/kubeconfig-transport.js';
import { LeaderElector, leaseStoreFor } from '../controllers/leader-election.js';
import { healthEndpoints, mountHealthRoutes, mountMetricsRoute } from '../observability/health-routes.js';
import type { Logger } from '../observability/logger.js';
import { parseBindAddress, type ControllerOptions } from './controller-options.js';
import { startViewControllers, type ViewControllers } from './view-controllers.js';

export interface RunningController {
  /** The APIExport virtual workspace URL the controllers use. */
  viewURL: string;
  /** `http://host:port` of each listener, when on. */
  metricsURL?: string;
  healthURL?: string;
  /** The controllers while they run here (undefined on a standby replica). */
  controllers(): ViewControllers | undefined;
  stop(): Promise<void>;
}

async function listen(app: express.Express, addr: { host: string; port: number }): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(addr.port, addr.host, () => resolve(s)).once('error', reject);
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : addr.port;
  const host = addr.host === '0.0.0.0' || addr.host === '::' ? '127.0.0.1' : addr.host.includes(':') ? `[${addr.host}]` : addr.host;
  return { server, url: `http://${host}:${port}` };
}

export async function startTmcController(opts: ControllerOptions, log: Logger, signal?: AbortSignal): Promise<RunningController> {
  const servers: Server[] = [];
  const health = healthEndpoints();
  let running: ViewControllers | undefined;
  let standby = false;
  // Ready once the controllers run here, or while another replica leads (a standby is healthy).
  health.readyz.add('controllers', () => running !== undefined || standby);

  let metricsURL: string | undefined;
  let healthURL: string | undefined;
  const metricsAddr = parseBindAddress('metrics-bind-address', opts.metricsBindAddress);
  const healthAddr = parseBindAddress('health-probe-bind-address', opts.healthProbeBindAddress);
  if (metricsAddr) {
    const app = express();
    mountMetricsRoute(app);
    const l = await listen(app, metricsAddr);
    servers.push(l.server);
    metricsURL = l.url;
  }
  if (healthAddr) {
    const app = express();
    mountHealthRoutes(app, health);
    const l = await listen(app, healthAddr);
    servers.push(l.server);
    healthURL = l.url;
  }
  const closeServers = () => Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));

  const kubeconfig = { file: opts.kubeconfig, context: opts.context, userAgent: 'tmc-controller' };
  const workspaceTransport = httpTransportFromKubeConfig({ ...kubeconfig, basePath: opts.apiExportWorkspace ? '' : undefined });
  const base = new KubeClient(workspaceTransport);
  const exportWorkspace = opts.apiExportWorkspace ? base.forCluster(opts.apiExportWorkspace) : base;
  let viewURL: string;
  try {
    viewURL = await exportVirtualWorkspaceURL(exportWorkspace, opts.apiExportName, {
      sliceName: opts.endpointSliceName, timeoutMs: opts.endpointTimeoutMs, signal, logger: log,
    });
  } catch (err) {
    workspaceTransport.close();
    await closeServers();
    throw err;
  }
  log.info({ viewURL, export: opts.apiExportName }, 'found the APIExport virtual workspace');
  const viewTransport = httpTransportFromKubeConfig({ ...kubeconfig, server: viewURL });
  const viewClient = new KubeClient(viewTransport);
  const start = () => startViewControllers({
    viewClient, serverURL: new URL(viewURL).origin,
    heartbeatIntervalMs: opts.heartbeatIntervalMs, heartbeatThresholdMs: opts.heartbeatThresholdMs, logger: log,
  });

  let elector: LeaderElector | undefined;
  // Starts and stops are chained, so a quick lose-then-win never runs two copies.
  let chain: Promise<void> = Promise.resolve();
  const stopControllers = async () => {
    const r = running;
    running = undefined;
    await r?.stop();
  };
  if (opts.leaderElect) {
    standby = true;
    elector = new LeaderElector({
      store: leaseStoreFor(exportWorkspace, opts.leaseNamespace, opts.leaseName),
      namespace: opts.leaseNamespace, name: opts.leaseName, identity: opts.identity,
      leaseDurationMs: opts.leaseDurationMs, renewDeadlineMs: opts.renewDeadlineMs, retryPeriodMs: opts.retryPeriodMs,
      logger: log.child({ component: 'leader-election', lease: opts.leaseName }),
      onNewLeader: (holder) => log.info({ holder }, 'observed a new leader'),
      onStartedLeading: () => {
        log.info({ identity: opts.identity }, 'became leader; starting the controllers');
        chain = chain.then(async () => {
          if (!elector?.isLeader()) return;
          try { running = await start(); } catch (err) { log.error({ err }, 'the controllers failed to start'); }
        });
      },
      onStoppedLeading: () => {
        log.warn('stopped leading; stopping the controllers');
        chain = chain.then(stopControllers);
      },
    });
    elector.start();
  } else {
    running = await start();
  }

  return {
    viewURL, metricsURL, healthURL,
    controllers: () => running,
    stop: async () => {
      await elector?.stop();
      await chain;
      await stopControllers();
      viewTransport.close();
      workspaceTransport.close();
      await closeServers();
    },
  };
}
