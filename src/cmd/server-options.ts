/**
 * tmc-server's flags (DESIGN.md §9), parsed with commander into typed options.
 */
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
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts();
  const int = (name: string, v: string, min = 0) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    return n;
  };
  return {
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
  };
}

export function defaultServerOptions(overrides: Partial<ServerOptions> = {}): ServerOptions {
  return { ...parseServerArgs([]), ...overrides };
}
