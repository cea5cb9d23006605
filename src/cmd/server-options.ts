/**
 * tmc-server's flags (DESIGN.md §9), parsed with commander into typed options.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Command, Option } from 'commander';

export interface ServerOptions {
  dataDir: string;
  port: number;
  bindAddress: string;
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdServers: string[];
  mode: 'server' | 'cluster';
  kcpKubeconfig?: string;
  tokenAuthFile?: string;
  /** Key file for encrypting Secret data at rest (docs/security.md); unset = stored as is. */
  encryptionKeyFile?: string;
  logLevel: string;
  /** text (pino-pretty) or json; undefined = text on a terminal, else json. */
  logFormat?: 'text' | 'json';
  /** Extra names and addresses in the serving certificate (a Service's DNS names). */
  tlsSans: string[];
  /** OTLP/HTTP traces endpoint; unset = tracing off unless OTEL_EXPORTER_OTLP_* is set. */
  tracingEndpoint?: string;
  /** Fraction of new traces sampled (0…1); unset = OTEL_TRACES_SAMPLER_ARG or 1. */
  tracingSamplingRatio?: number;
  /** cluster mode: simulated nodes */
  nodes: number;
  nodeCpu: string;
  nodeMemory: string;
  nodePods: number;
  readyDelayMs: number;
  refuseWrites: string[];
  heartbeatSeconds: number;
  heartbeatThresholdSeconds: number;
  /** Events kept for watch resume; older revisions get 410 Expired. */
  watchCacheSize: number;
  /** Bound on one etcd call; past it the request fails with 503 (docs/ha.md). */
  etcdRequestTimeoutMs: number;
  /**
   * Run the controllers on one elected replica and shard the push syncers over replicas by Leases
   * (docs/ha.md). 'auto' = on with --storage etcd (the only backend several replicas can share).
   */
  leaderElect: 'auto' | 'true' | 'false';
  /** kube's leader-election timings (client-go LeaderElectionConfig), in milliseconds. */
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** This replica's identity in Leases (default: hostname + random suffix, as kube does). */
  replicaId: string;
  /**
   * Run the TMC controllers (placement, cluster registration, syncer manager) in this process.
   * false: serve the API alone, for a separate `tmc-controller` (docs/tmc-controller.md).
   */
  controllers: boolean;
}

/** A kube-style duration: `15s`, `500ms`, `2m`, or a bare number of seconds. */
export function parseDuration(flag: string, v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(v).trim());
  if (!m) throw new Error(`--${flag} must be a duration like 15s, 500ms or 2m, got ${JSON.stringify(v)}`);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

/** Whether leader election and syncer sharding run for these options. */
export function leaderElectionEnabled(o: Pick<ServerOptions, 'leaderElect' | 'storage' | 'mode'>): boolean {
  if (o.mode !== 'server') return false;
  return o.leaderElect === 'true' || (o.leaderElect === 'auto' && o.storage === 'etcd');
}

export function parseServerArgs(argv: string[]): ServerOptions {
  const cmd = new Command('tmc-server')
    .description('TMC: a kcp-style multi-workspace API server that places workloads on physical clusters')
    .option('--data-dir <dir>', 'where state, PKI and the admin kubeconfig live', '.tmc')
    .option('--port <n>', 'HTTPS port (0 picks a free one)', '6443')
    .option('--bind-address <addr>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--storage <backend>', 'storage backend').choices(['sqlite', 'memory', 'etcd']).default('sqlite'))
    .option('--etcd-servers <urls>', 'comma-separated etcd endpoints (with --storage etcd)', '')
    .addOption(new Option('--mode <mode>', 'server: kcp workspaces + TMC; cluster: one simulated physical cluster').choices(['server', 'cluster']).default('server'))
    .option('--kcp-kubeconfig <file>', 'use an external kcp for workspaces and APIs (proxy mode)')
    .option('--token-auth-file <file>', 'CSV file of bearer tokens: token,user,uid,"group1,group2"')
    .option('--encryption-key-file <file>', 'keys for encrypting Secret data at rest, one "<keyid>:<base64 32 bytes>" a line (first one encrypts)')
    .option('--log-level <level>', 'pino log level', process.env.TMC_LOG_LEVEL ?? 'info')
    .addOption(new Option('--log-format <format>', 'text (readable) or json (one object a line); default: text on a terminal, else json').choices(['text', 'json']))
    .option('--tracing-endpoint <url>', 'export OpenTelemetry traces over OTLP/HTTP to this URL (e.g. http://collector:4318/v1/traces); also on when OTEL_EXPORTER_OTLP_ENDPOINT is set')
    .option('--tracing-sampling-ratio <r>', 'fraction of new traces to sample, 0..1 (children follow their parent; default OTEL_TRACES_SAMPLER_ARG or 1)')
    .option('--tls-san <names>', 'comma-separated extra DNS names or IPs for the serving certificate (e.g. a Service name)', '')
    .option('--nodes <n>', 'cluster mode: number of simulated nodes', '3')
    .option('--node-cpu <q>', 'cluster mode: CPU per node', '4')
    .option('--node-memory <q>', 'cluster mode: memory per node', '16Gi')
    .option('--node-pods <n>', 'cluster mode: pods per node', '110')
    .option('--ready-delay <ms>', 'cluster mode: how long workloads take to become ready', '500')
    .option('--refuse-writes <resources>', 'cluster mode: comma-separated resources whose writes fail (for tests)', '')
    .option('--heartbeat-interval <s>', 'ClusterRegistration heartbeat interval in seconds', '10')
    .option('--heartbeat-threshold <s>', 'missed-heartbeat threshold before a cluster is NotReady', '40')
    .option('--watch-cache-size <n>', 'events kept for watch resume (older revisions get 410 Expired)', '10000')
    .option('--etcd-request-timeout <duration>', 'bound on one etcd call; past it the API answers 503', '5s')
    .addOption(new Option('--leader-elect <mode>', 'one replica runs the controllers, syncers sharded by Leases (auto: with --storage etcd)').choices(['auto', 'true', 'false']).default('auto'))
    .option('--leader-elect-lease-duration <duration>', 'how long a Lease holds without renewal before others may take it', '15s')
    .option('--leader-elect-renew-deadline <duration>', 'a holder that could not renew for this long stops its work (< lease duration)', '10s')
    .option('--leader-elect-retry-period <duration>', 'how often Leases are renewed or tried', '2s')
    .option('--replica-id <id>', 'this replica\'s identity in Leases (default: hostname + random suffix)')
    .addOption(new Option('--controllers <bool>', 'run the TMC controllers in this process (false: serve the API alone, for a separate tmc-controller)').choices(['true', 'false']).default('true'))
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts();
  const int = (name: string, v: string, min = 0) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  const ratio = (v: string) => {
    const n = Number(v);
    if (!(n >= 0 && n <= 1)) throw new Error(`--tracing-sampling-ratio must be a number from 0 to 1, got ${JSON.stringify(v)}`);
    return n;
  };
  const opts: ServerOptions = {
    dataDir: o.dataDir,
    port: int('port', o.port),
    bindAddress: o.bindAddress,
    storage: o.storage,
    etcdServers: String(o.etcdServers).split(',').map((s: string) => s.trim()).filter(Boolean),
    mode: o.mode,
    kcpKubeconfig: o.kcpKubeconfig,
    tokenAuthFile: o.tokenAuthFile,
    encryptionKeyFile: o.encryptionKeyFile,
    logLevel: o.logLevel,
    logFormat: o.logFormat,
    tracingEndpoint: o.tracingEndpoint,
    tracingSamplingRatio: o.tracingSamplingRatio === undefined ? undefined : ratio(o.tracingSamplingRatio),
    tlsSans: String(o.tlsSan).split(',').map((s: string) => s.trim()).filter(Boolean),
    nodes: int('nodes', o.nodes),
    nodeCpu: o.nodeCpu,
    nodeMemory: o.nodeMemory,
    nodePods: int('node-pods', o.nodePods),
    readyDelayMs: int('ready-delay', o.readyDelay),
    refuseWrites: String(o.refuseWrites).split(',').map((s: string) => s.trim()).filter(Boolean),
    heartbeatSeconds: int('heartbeat-interval', o.heartbeatInterval, 1),
    heartbeatThresholdSeconds: int('heartbeat-threshold', o.heartbeatThreshold, 1),
    watchCacheSize: int('watch-cache-size', o.watchCacheSize, 1),
    etcdRequestTimeoutMs: parseDuration('etcd-request-timeout', o.etcdRequestTimeout),
    leaderElect: o.leaderElect,
    leaseDurationMs: parseDuration('leader-elect-lease-duration', o.leaderElectLeaseDuration),
    renewDeadlineMs: parseDuration('leader-elect-renew-deadline', o.leaderElectRenewDeadline),
    retryPeriodMs: parseDuration('leader-elect-retry-period', o.leaderElectRetryPeriod),
    replicaId: o.replicaId ?? `${hostname()}-${randomBytes(4).toString('hex')}`,
    controllers: o.controllers === 'true',
  };
  if (!(opts.renewDeadlineMs < opts.leaseDurationMs)) throw new Error('--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration');
  if (!(opts.retryPeriodMs < opts.renewDeadlineMs)) throw new Error('--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline');
  return opts;
}

export function defaultServerOptions(overrides: Partial<ServerOptions> = {}): ServerOptions {
  return { ...parseServerArgs([]), ...overrides };
}
