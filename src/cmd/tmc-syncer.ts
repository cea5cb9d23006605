#!/usr/bin/env node
/**
 * tmc-syncer: the pull-mode agent. Runs next to a physical cluster, reads what that cluster must
 * run from TMC and applies it (the same Syncer as push mode), reports status, and heartbeats its
 * ClusterRegistration. Upstream is the syncer virtual workspace when --from-kubeconfig points at
 * `/services/syncer/...`, otherwise the server directly (per-workspace informers).
 */
import { Command, Option } from 'commander';
import { clusterKey } from '../apis/contract.js';
import { KubeClient } from '../client/kube-client.js';
import { httpTransportFromKubeConfig } from '../client/kubeconfig-transport.js';
import { resolveKubeConfig } from '../client/kubeconfig.js';
import { createLogger } from '../observability/logger.js';
import { Heartbeat } from '../syncer/heartbeat.js';
import { DEFAULT_RESOURCES } from '../syncer/resources.js';
import { StatusAggregator } from '../syncer/status/aggregator.js';
import { Syncer } from '../syncer/syncer.js';
import { DirectSource } from '../syncer/upstream/direct-source.js';
import type { UpstreamSource } from '../syncer/upstream/source.js';
import { SyncerVWSource } from '../syncer/upstream/syncer-vw-source.js';
import { gracefulStop, parseArgsOrExit, runMain, stopOnSignals } from './process-main.js';
import {
  BoundWorkspaces, COMPUTE_EXPORT, staticWorkspaces, type WorkspaceProvider,
} from '../syncer/upstream/workspaces.js';

interface SyncerFlags {
  fromKubeconfig: string;
  toKubeconfig: string;
  registrationWorkspace: string;
  registration: string;
  registrationUid?: string;
  heartbeatInterval: string;
  upstream: 'auto' | 'direct' | 'syncer-vw';
  workloadWorkspaces?: string;
  namespaceCleanDelay: string;
  resync: string;
  workers: string;
  aggregate: boolean;
  logLevel: string;
  logFormat?: string;
}

function parse(argv: string[]): SyncerFlags {
  const cmd = new Command('tmc-syncer')
    .description('TMC pull-mode syncer: syncs one physical cluster with TMC')
    .requiredOption('--from-kubeconfig <file>', 'kubeconfig for TMC: the syncer virtual workspace URL, or the server')
    .requiredOption('--to-kubeconfig <file>', 'kubeconfig for the physical cluster')
    .requiredOption('--registration-workspace <ws>', 'workspace of the ClusterRegistration, e.g. root:org:locations')
    .requiredOption('--registration <name>', 'name of the ClusterRegistration')
    .option('--registration-uid <uid>', 'uid of the ClusterRegistration (heartbeats to a recreated one are refused)')
    .option('--heartbeat-interval <s>', 'seconds between status.lastHeartbeatTime updates', '20')
    .addOption(new Option('--upstream <mode>', 'auto: syncer-vw when the kubeconfig points at /services/syncer, else direct')
      .choices(['auto', 'direct', 'syncer-vw']).default('auto'))
    .option('--workload-workspaces <list>', 'direct mode: comma-separated workload workspaces (default: discover compute bindings)')
    .option('--namespace-clean-delay <s>', 'seconds an empty downstream namespace is kept', '30')
    .option('--resync <s>', 'seconds between full resyncs', '60')
    .option('--workers <n>', 'parallel reconciles', '8')
    .option('--no-aggregate', 'direct mode: do not run the status aggregator (a server-side one runs)')
    .option('--log-level <level>', 'pino log level', process.env.TMC_LOG_LEVEL ?? 'info')
    .option('--log-format <format>', 'text (readable) or json; default: text on a terminal, else json')
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  return cmd.opts() as SyncerFlags;
}

function seconds(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number of seconds >= 0, got ${JSON.stringify(v)}`);
  return n * 1000;
}

async function main(): Promise<void> {
  const flags: SyncerFlags = parseArgsOrExit('tmc-syncer', parse);
  const log = createLogger({ level: flags.logLevel, name: 'tmc-syncer', format: flags.logFormat === 'text' || flags.logFormat === 'json' ? flags.logFormat : undefined });
  const key = clusterKey(flags.registrationWorkspace, flags.registration);
  const fromServer = new URL(resolveKubeConfig({ file: flags.fromKubeconfig }).server);
  const mode = flags.upstream === 'auto' ? (fromServer.pathname.startsWith('/services/syncer/') ? 'syncer-vw' : 'direct') : flags.upstream;
  const rootClient = new KubeClient(httpTransportFromKubeConfig({ file: flags.fromKubeconfig, basePath: '', userAgent: 'tmc-syncer' }));
  const downstreamClient = new KubeClient(httpTransportFromKubeConfig({ file: flags.toKubeconfig, basePath: '', userAgent: 'tmc-syncer' }));

  let workspaces: WorkspaceProvider | undefined;
  let discovered: BoundWorkspaces | undefined;
  let source: UpstreamSource;
  if (mode === 'syncer-vw') {
    source = new SyncerVWSource({ vwClient: new KubeClient(httpTransportFromKubeConfig({ file: flags.fromKubeconfig, userAgent: 'tmc-syncer' })), resources: DEFAULT_RESOURCES, logger: log });
  } else {
    if (flags.workloadWorkspaces) workspaces = staticWorkspaces(flags.workloadWorkspaces.split(',').map((s) => s.trim()).filter(Boolean));
    else {
      discovered = new BoundWorkspaces(rootClient, COMPUTE_EXPORT, { logger: log, onError: (err) => log.warn({ err }, 'workspace discovery failed') });
      await discovered.start();
      workspaces = discovered;
    }
    source = new DirectSource({ rootClient, clusterKey: key, resources: DEFAULT_RESOURCES, workspaces, logger: log });
  }

  const syncer = new Syncer({
    clusterKey: key, source, downstreamClient, logger: log,
    namespaceCleanDelayMs: seconds('namespace-clean-delay', flags.namespaceCleanDelay),
    resyncMs: seconds('resync', flags.resync), workers: Math.max(1, Number(flags.workers) || 8),
  });
  const heartbeat = new Heartbeat({
    registrationClient: rootClient.forCluster(flags.registrationWorkspace), registration: flags.registration,
    registrationUID: flags.registrationUid, intervalMs: seconds('heartbeat-interval', flags.heartbeatInterval) || 20_000, logger: log,
  });
  const aggregator = mode === 'direct' && flags.aggregate && workspaces
    ? new StatusAggregator({ rootClient, workspaces, logger: log }) : undefined;

  heartbeat.start();
  await syncer.start();
  await aggregator?.start();
  log.info({ clusterKey: key, upstream: mode }, 'tmc-syncer ready');
  process.stdout.write(`tmc-syncer ready (cluster key ${key}, upstream ${mode})\n`);

  stopOnSignals(gracefulStop(log, async () => {
    heartbeat.stop();
    discovered?.stop();
    await Promise.all([syncer.stop(), aggregator?.stop()]);
  }));
}

runMain('tmc-syncer', main);
