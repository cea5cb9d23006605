/**
 * `tmcctl cluster register <name> ...`: registers a physical cluster in the current workspace.
 *
 * Push (default): TMC connects to the cluster. The physical cluster's kubeconfig
 * (`--kubeconfig-file`) is flattened (certificates inlined, one context) into Secret
 * `<name>-kubeconfig` (namespace default, key `kubeconfig`); the ClusterRegistration points at it
 * with `clusterEndpoint.secretRef` and carries the kubeconfig's server URL (or `--server-url`).
 * Then it waits until the cluster health controller reports Ready.
 *
 * Pull: an agent next to the cluster connects to TMC. The registration gets `syncMode: Pull` and
 * the agent's manifest (syncer-manifest.ts) is printed on stdout, for `| kubectl apply -f -`
 * against the physical cluster; messages go to stderr so the pipe stays clean. With
 * `--create-token` the agent's credential is minted in the workspace: ServiceAccount
 * `tmc-syncer-<name>` and a `kubernetes.io/service-account-token` Secret `tmc-syncer-<name>-token`
 * labelled `tmc.kcp.io/syncer-for: <name>` (namespace default); the server fills in the token
 * (src/registry/service-account-tokens.ts), which authenticates as
 * `system:tmc:syncer:<workspace>:<name>`, and the manifest embeds it. Deleting that Secret revokes it.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { SERVICE_ACCOUNTS } from '../../apis/gvr.js';
import { CLUSTER_REGISTRATIONS, type ClusterRegistration } from '../../apis/tmc/index.js';
import { resolveKubeConfig, type ResolvedKubeConfig } from '../../client/kubeconfig.js';
import type { KubeClient } from '../../client/kube-client.js';
import type { KubeObject } from '../../client/types.js';
import { isAlreadyExists } from '../../errors/status.js';
import type { CliContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import { SECRETS } from '../gvr.js';
import type { GroupVersionResource } from '../../client/resource-path.js';
import { splitServerURL } from '../kubeconfig-file.js';
import type { Runner } from '../runner.js';
import { requireServed } from '../served.js';
import { syncerManifest } from '../syncer-manifest.js';
import { parseDuration, waitFor } from '../wait.js';
import { condition } from './cluster-list.js';

export const SECRET_NAMESPACE = 'default';
export const TOKEN_PLACEHOLDER = 'REPLACE-WITH-AGENT-TOKEN';
const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const SYNCER_FOR_LABEL = 'tmc.kcp.io/syncer-for';

export interface RegisterFlags {
  kubeconfigFile?: string;
  kubeconfigContext?: string;
  location?: string;
  label: string[];
  serverUrl?: string;
  mode: string;
  wait: boolean;
  timeout: string;
  syncerToken?: string;
  syncerImage?: string;
  createToken?: boolean;
}

export interface RegisterOptions {
  name: string;
  mode: 'Push' | 'Pull';
  location?: string;
  labels: Record<string, string>;
  /** Push: the flattened kubeconfig stored in the Secret, and the server URL. */
  push?: { kubeconfig: string; serverURL: string };
  wait: boolean;
  timeoutMs: number;
  syncerToken?: string;
  syncerImage?: string;
  /** Pull: mint the agent's token (ServiceAccount + token Secret) and embed it. */
  createToken?: boolean;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export function completeRegister(name: string, f: RegisterFlags): RegisterOptions {
  if (!NAME.test(name) || name.length > 253) throw new UsageError(`"${name}" is not a valid cluster name (lower-case letters, digits, '-' and '.')`);
  const mode = ({ push: 'Push', pull: 'Pull' } as const)[f.mode.toLowerCase() as 'push' | 'pull'];
  if (!mode) throw new UsageError(`--mode "${f.mode}": use push or pull`);
  const timeoutMs = parseDuration(f.timeout);
  if (timeoutMs === undefined) throw new UsageError(`--timeout "${f.timeout}" is not a duration (e.g. 60s, 2m)`);
  const labels: Record<string, string> = {};
  for (const l of f.label) {
    const i = l.indexOf('=');
    const [k, v] = i < 0 ? [l, ''] : [l.slice(0, i), l.slice(i + 1)];
    if (i < 0 || !LABEL_KEY.test(k)) throw new UsageError(`--label "${l}": want key=value, e.g. topology.kubernetes.io/region=eu-west`);
    labels[k] = v;
  }
  const o: RegisterOptions = { name, mode, location: f.location, labels, wait: f.wait, timeoutMs, syncerToken: f.syncerToken, syncerImage: f.syncerImage, createToken: !!f.createToken };
  if (o.createToken && o.syncerToken) throw new UsageError('--create-token and --syncer-token exclude each other');
  if (mode === 'Push') {
    if (!f.kubeconfigFile) throw new UsageError('push mode needs --kubeconfig-file <the physical cluster\'s kubeconfig> (or use --mode pull)');
    let kc: ResolvedKubeConfig;
    try {
      kc = resolveKubeConfig({ file: f.kubeconfigFile, context: f.kubeconfigContext });
    } catch (e) {
      throw new CliError(`cannot use --kubeconfig-file ${f.kubeconfigFile}: ${(e as Error).message}`);
    }
    if (kc.needsPlugin && !kc.token) {
      throw new CliError(`the kubeconfig ${f.kubeconfigFile} authenticates with an exec or auth-provider plugin, which TMC refuses to run; use a service-account token or a client certificate`);
    }
    const serverURL = f.serverUrl ?? kc.server;
    try {
      new URL(serverURL);
    } catch {
      throw new UsageError(`server URL "${serverURL}" is not a URL`);
    }
    o.push = { kubeconfig: flattenKubeconfig(kc, serverURL), serverURL };
    if (o.createToken) throw new UsageError('--create-token is for pull mode');
  } else if (f.kubeconfigFile || f.serverUrl) {
    throw new UsageError('--kubeconfig-file and --server-url are for push mode; a pull-mode cluster connects to TMC itself');
  }
  return o;
}

/** One self-contained context: certificates and keys inlined, as `kubectl config view --flatten --minify`. */
export function flattenKubeconfig(kc: ResolvedKubeConfig, serverURL: string): string {
  const cluster: Record<string, unknown> = { server: serverURL };
  if (kc.ca) cluster['certificate-authority-data'] = kc.ca.toString('base64');
  if (kc.skipTLSVerify) cluster['insecure-skip-tls-verify'] = true;
  if (kc.tlsServerName) cluster['tls-server-name'] = kc.tlsServerName;
  const user: Record<string, unknown> = {};
  if (kc.cert) user['client-certificate-data'] = kc.cert.toString('base64');
  if (kc.key) user['client-key-data'] = kc.key.toString('base64');
  if (kc.token) user.token = kc.token;
  if (kc.username) { user.username = kc.username; user.password = kc.password ?? ''; }
  return stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'cluster', cluster }],
    users: [{ name: 'tmc', user }],
    contexts: [{ name: 'cluster', context: { cluster: 'cluster', user: 'tmc' } }],
    'current-context': 'cluster',
  });
}

async function createOrUpdate(client: KubeClient, gvr: typeof SECRETS, namespace: string | undefined, obj: KubeObject, patch: Record<string, unknown>): Promise<{ obj: KubeObject; created: boolean }> {
  try {
    return { obj: await client.create(gvr, namespace, obj), created: true };
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    return { obj: await client.patch(gvr, namespace, obj.metadata.name!, patch, { type: 'merge' }), created: false };
  }
}

export async function runRegister(ctx: CliContext, o: RegisterOptions): Promise<void> {
  const workspace = ctx.currentWorkspace();
  const client = ctx.client(workspace);
  // in pull mode stdout carries the manifest
  const say = o.mode === 'Pull' ? (s: string) => ctx.io.stderr(s + '\n') : (s: string) => ctx.out(s);
  // fail before writing anything when the workspace has not bound the TMC API
  await requireServed(workspace, 'clusterregistrations', () => client.list(CLUSTER_REGISTRATIONS, { limit: 1 }));
  const spec: Record<string, unknown> = { syncMode: o.mode };
  if (o.location) spec.location = o.location;
  if (o.push) {
    const secretName = `${o.name}-kubeconfig`;
    const data = { kubeconfig: Buffer.from(o.push.kubeconfig).toString('base64') };
    await createOrUpdate(client, SECRETS, SECRET_NAMESPACE,
      { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: secretName, namespace: SECRET_NAMESPACE, labels: { 'tmc.kcp.io/registration': o.name } }, data },
      { data });
    spec.clusterEndpoint = { serverURL: o.push.serverURL, secretRef: { namespace: SECRET_NAMESPACE, name: secretName } };
  }
  const reg: KubeObject = {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration',
    metadata: { name: o.name, ...(Object.keys(o.labels).length ? { labels: o.labels } : {}) }, spec,
  };
  const { obj, created } = await requireServed(workspace, 'clusterregistrations', () => createOrUpdate(client, CLUSTER_REGISTRATIONS, undefined, reg, { metadata: { labels: o.labels }, spec }));
  say(`clusterregistration/${o.name} ${created ? 'created' : 'updated'} in ${workspace} (${o.mode} mode).`);

  if (o.mode === 'Pull') {
    const kc = resolveKubeConfig({ file: ctx.kubeconfigPath, context: ctx.globals.context });
    const serverURL = splitServerURL(ctx.serverURL()).base;
    let token = o.syncerToken;
    if (o.createToken) {
      token = await mintAgentToken(client, o);
      say(`serviceaccount/${agentSAName(o.name)} and secret/${agentSAName(o.name)}-token hold the agent's token (namespace ${SECRET_NAMESPACE}); delete the Secret to revoke it.`);
    }
    if (!token) {
      ctx.warn(`no --syncer-token given: the manifest holds the placeholder ${TOKEN_PLACEHOLDER}; replace it with a bearer token of user system:tmc:syncer:${workspace}:${o.name} (or any identity allowed verb "sync" on clusterregistrations/${o.name}), or re-run with --create-token`);
    }
    if (!kc.ca) ctx.warn('the kubeconfig has no certificate-authority data; the agent\'s kubeconfig will trust no CA');
    ctx.io.stdout(syncerManifest({
      registrationName: o.name, workspace, uid: obj.metadata.uid!, serverURL,
      token: token ?? TOKEN_PLACEHOLDER, caPem: kc.ca?.toString('utf8') ?? '', image: o.syncerImage,
    }));
    say(`Apply the manifest above to the physical cluster (e.g. "| kubectl --context <cluster> apply -f -").`);
    return;
  }
  if (!o.wait) return;
  say(`Waiting for clusterregistration/${o.name} to be Ready...`);
  let last: ClusterRegistration | undefined;
  const ready = await waitFor(async () => {
    last = await client.get<KubeObject>(CLUSTER_REGISTRATIONS, undefined, o.name) as unknown as ClusterRegistration;
    return condition(last, 'Ready')?.status === 'True' ? last : undefined;
  }, {
    timeoutMs: o.timeoutMs, what: `clusterregistration/${o.name} to be Ready`,
    explain: () => {
      const c = last && condition(last, 'Ready');
      return c ? `Ready is ${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}; see "kubectl get creg ${o.name} -o yaml"` : 'no Ready condition yet; is the cluster health controller running?';
    },
  });
  const caps = ready.status?.capabilities;
  const facts = [ready.status?.clusterKey && `key ${ready.status.clusterKey}`, caps?.kubernetesVersion, caps?.nodeCount !== undefined && `${caps.nodeCount} nodes`].filter(Boolean).join(', ');
  say(`clusterregistration/${o.name} is Ready${facts ? ` (${facts})` : ''}.`);
}

export function agentSAName(registration: string): string {
  return `tmc-syncer-${registration}`;
}

/**
 * Creates (or reuses) the agent's ServiceAccount and token Secret and waits for the server to fill
 * in the token. An existing Secret of that name must be a token Secret for this registration.
 */
async function mintAgentToken(client: KubeClient, o: RegisterOptions): Promise<string> {
  const sa = agentSAName(o.name);
  const secretName = `${sa}-token`;
  const labels = { 'tmc.kcp.io/registration': o.name, [SYNCER_FOR_LABEL]: o.name };
  try {
    await client.create(SERVICE_ACCOUNTS, SECRET_NAMESPACE, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: SECRET_NAMESPACE, labels } });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  try {
    await client.create(SECRETS, SECRET_NAMESPACE, {
      apiVersion: 'v1', kind: 'Secret', type: SA_TOKEN_TYPE,
      metadata: { name: secretName, namespace: SECRET_NAMESPACE, labels, annotations: { [SA_NAME_ANNOTATION]: sa } },
    });
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
    const cur = await client.get<KubeObject>(SECRETS, SECRET_NAMESPACE, secretName);
    if (cur.type !== SA_TOKEN_TYPE || cur.metadata.annotations?.[SA_NAME_ANNOTATION] !== sa || cur.metadata.labels?.[SYNCER_FOR_LABEL] !== o.name) {
      throw new CliError(`secret/${secretName} in namespace ${SECRET_NAMESPACE} exists but is not the agent token of ${o.name}; delete it and re-run`);
    }
  }
  let last: KubeObject | undefined;
  const tok = await waitFor(async () => {
    last = await client.get<KubeObject>(SECRETS, SECRET_NAMESPACE, secretName);
    const b64 = last.data?.token as string | undefined;
    return b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
  }, {
    timeoutMs: o.timeoutMs, what: `secret/${secretName} to receive its token`,
    explain: () => last ? 'the Secret has no data.token yet; does the server run the service-account token controller?' : 'the Secret is not readable',
  });
  return tok;
}

export function registerClusterRegister(cluster: Command, run: Runner): void {
  cluster.command('register')
    .description('register a physical cluster (push: store its kubeconfig and wait for Ready; pull: print the agent manifest)')
    .argument('<name>', 'the ClusterRegistration name')
    .option('--kubeconfig-file <file>', 'push mode: the physical cluster\'s kubeconfig')
    .option('--kubeconfig-context <name>', 'push mode: the context of --kubeconfig-file to use (default: its current context)')
    .option('--location <location>', 'spec.location, e.g. eu-west')
    .option('--label <key=value>', 'a label on the registration (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--server-url <url>', 'push mode: the API server URL TMC should use (default: the kubeconfig\'s)')
    .option('--mode <mode>', 'push or pull', 'push')
    .option('--no-wait', 'push mode: do not wait for Ready')
    .option('--timeout <duration>', 'how long to wait for Ready', '60s')
    .option('--syncer-token <token>', 'pull mode: the agent\'s bearer token to put in the manifest')
    .option('--syncer-image <image>', 'pull mode: the tmc-syncer image')
    .option('--create-token', 'pull mode: create the agent\'s ServiceAccount and token Secret and embed the token')
    .addHelpText('after', '\nExamples:\n  tmcctl cluster register east --kubeconfig-file east.kubeconfig --location us-east --label topology.kubernetes.io/region=us-east\n  tmcctl cluster register edge-1 --mode pull --syncer-token "$TOKEN" | kubectl --context edge-1 apply -f -\n  tmcctl cluster register edge-2 --mode pull --create-token | kubectl --context edge-2 apply -f -')
    .action(async (name: string, flags: RegisterFlags, cmd: Command) => run(cmd, (ctx) => runRegister(ctx, completeRegister(name, flags))));
}
