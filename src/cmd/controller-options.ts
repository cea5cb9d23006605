/**
 * tmc-controller's flags, named as kube controllers (controller-runtime, kcp's api-syncagent)
 * name them, parsed with commander into typed options.
 */
import { randomBytes } from 'node:crypto';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { parseDuration } from './server-options.js';

export interface ControllerOptions {
  kubeconfig: string;
  context?: string;
  /** The TMC APIExport. */
  apiExportName: string;
  /** Its workspace path; undefined = the kubeconfig's own (the server URL's `/clusters/<path>`). */
  apiExportWorkspace?: string;
  /** The APIExportEndpointSlice to read the VW URL from (kcp's default slice has the export's name). */
  endpointSliceName: string;
  /** How long to wait for the slice to publish a URL before exiting with an error. */
  endpointTimeoutMs: number;
  leaderElect: boolean;
  leaseName: string;
  /** In the export's workspace. */
  leaseNamespace: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  identity: string;
  /** `host:port`, `:port` (every interface) or `0` (off). */
  metricsBindAddress: string;
  healthProbeBindAddress: string;
  heartbeatIntervalMs: number;
  heartbeatThresholdMs: number;
  logLevel: string;
  logFormat?: 'text' | 'json';
}

function bool(name: string) {
  return (v: string | undefined): boolean => {
    if (v === undefined || v === 'true') return true;
    if (v === 'false') return false;
    throw new Error(`--${name} must be true or false, got ${JSON.stringify(v)}`);
  };
}

function seconds(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be an integer >= 1 (seconds), got ${JSON.stringify(v)}`);
  return n * 1000;
}

/** `host:port` / `:port` → listen arguments; `0` → off. */
export function parseBindAddress(flag: string, v: string): { host: string; port: number } | undefined {
  if (v === '0') return undefined;
  const m = /^(.*):(\d+)$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new Error(`--${flag} must be host:port, :port or 0 (off), got ${JSON.stringify(v)}`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1') || '0.0.0.0', port: Number(m[2]) };
}

export function parseControllerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ControllerOptions {
  const cmd = new Command('tmc-controller')
    .description('The TMC controllers (cluster registration, placement, push syncers) as a kcp API provider runs them: '
      + 'through the TMC APIExport\'s virtual workspace, found from its APIExportEndpointSlice')
    .option('--kubeconfig <file>', 'kubeconfig for the workspace of the TMC APIExport (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use instead of current-context')
    .option('--apiexport-name <name>', 'the TMC APIExport', 'tmc.kcp.io')
    .option('--apiexport-workspace <path>', 'workspace path of the APIExport (default: the kubeconfig server\'s /clusters/<path>)')
    .option('--apiexport-endpointslice-name <name>', 'APIExportEndpointSlice publishing the virtual workspace URL (default: the export\'s name)')
    .option('--apiexport-endpoint-timeout <duration>', 'how long to wait for the slice to publish a URL', '60s')
    .option('--leader-elect [bool]', 'hold a Lease in the export\'s workspace; only its holder runs the controllers', bool('leader-elect'), false)
    .option('--leader-election-id <name>', 'the Lease\'s name', 'tmc-controller')
    .option('--leader-election-namespace <ns>', 'the Lease\'s namespace, in the export\'s workspace', 'default')
    .option('--leader-elect-lease-duration <duration>', 'how long a Lease holds without renewal before others may take it', '15s')
    .option('--leader-elect-renew-deadline <duration>', 'a holder that could not renew for this long stops its work (< lease duration)', '10s')
    .option('--leader-elect-retry-period <duration>', 'how often the Lease is renewed or tried', '2s')
    .option('--identity <id>', 'this process\'s identity in the Lease (default: hostname + random suffix)')
    .option('--metrics-bind-address <addr>', 'serve /metrics here (host:port, :port, or 0 for off)', ':8080')
    .option('--health-probe-bind-address <addr>', 'serve /healthz and /readyz here (host:port, :port, or 0 for off)', ':8081')
    .option('--heartbeat-interval <s>', 'ClusterRegistration probe interval in seconds', '10')
    .option('--heartbeat-threshold <s>', 'missed-heartbeat threshold before a cluster is NotReady, in seconds', '40')
    .option('--log-level <level>', 'pino log level', env.TMC_LOG_LEVEL ?? 'info')
    .addOption(new Option('--log-format <format>', 'text or json (default: text on a terminal, else json)').choices(['text', 'json']))
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts();
  const opts: ControllerOptions = {
    kubeconfig: o.kubeconfig ?? env.KUBECONFIG?.split(':')[0] ?? join(homedir(), '.kube', 'config'),
    context: o.context,
    apiExportName: o.apiexportName,
    apiExportWorkspace: o.apiexportWorkspace,
    endpointSliceName: o.apiexportEndpointsliceName ?? o.apiexportName,
    endpointTimeoutMs: parseDuration('apiexport-endpoint-timeout', o.apiexportEndpointTimeout),
    leaderElect: o.leaderElect,
    leaseName: o.leaderElectionId,
    leaseNamespace: o.leaderElectionNamespace,
    leaseDurationMs: parseDuration('leader-elect-lease-duration', o.leaderElectLeaseDuration),
    renewDeadlineMs: parseDuration('leader-elect-renew-deadline', o.leaderElectRenewDeadline),
    retryPeriodMs: parseDuration('leader-elect-retry-period', o.leaderElectRetryPeriod),
    identity: o.identity ?? `${hostname()}-${randomBytes(4).toString('hex')}`,
    metricsBindAddress: o.metricsBindAddress,
    healthProbeBindAddress: o.healthProbeBindAddress,
    heartbeatIntervalMs: seconds('heartbeat-interval', o.heartbeatInterval),
    heartbeatThresholdMs: seconds('heartbeat-threshold', o.heartbeatThreshold),
    logLevel: o.logLevel,
    logFormat: o.logFormat,
  };
  parseBindAddress('metrics-bind-address', opts.metricsBindAddress);
  parseBindAddress('health-probe-bind-address', opts.healthProbeBindAddress);
  if (!(opts.renewDeadlineMs < opts.leaseDurationMs)) throw new Error('--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration');
  if (!(opts.retryPeriodMs < opts.renewDeadlineMs)) throw new Error('--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline');
  return opts;
}
