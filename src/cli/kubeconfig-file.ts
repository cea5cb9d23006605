/**
 * What tmcctl reads from and writes to the user's kubeconfig: which file (`--kubeconfig`, then
 * $KUBECONFIG, then ~/.kube/config), the current workspace (the `/clusters/<path>` of the current
 * cluster's server URL, as kcp's `kubectl ws` does), and switching workspaces by rewriting that
 * URL. The file is edited as a YAML document, so comments and other entries survive; the previous
 * server URL is kept in a cluster and context named `workspace.kcp.io/previous` for `ws -`, the
 * names kcp's plugin uses.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { CliError } from './errors.js';

export const PREVIOUS_NAME = 'workspace.kcp.io/previous';

/** `--kubeconfig`, else the first entry of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  const fromEnv = env.KUBECONFIG?.split(delimiter).find((p) => p.trim() !== '');
  return fromEnv ?? join(env.HOME ?? homedir(), '.kube', 'config');
}

export interface ServerWorkspace {
  /** The server URL without the `/clusters/...` path: `https://127.0.0.1:6443`. */
  base: string;
  /** `root:org`, or undefined when the URL names no workspace. */
  workspace?: string;
}

/** Splits `https://host:6443/clusters/root:org` into its base and workspace path. */
export function splitServerURL(server: string): ServerWorkspace {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(`the kubeconfig server "${server}" is not a URL`);
  }
  const m = /^(.*?)\/clusters\/([^/]+)\/*$/.exec(url.pathname);
  const prefix = m ? m[1] : url.pathname.replace(/\/+$/, '');
  const base = `${url.protocol}//${url.host}${prefix}`;
  return m ? { base, workspace: decodeURIComponent(m[2]) } : { base };
}

export function workspaceServerURL(base: string, workspace: string): string {
  return `${base.replace(/\/+$/, '')}/clusters/${workspace}`;
}

export interface KubeconfigFile {
  path: string;
  doc: Document;
  contextName: string;
  /** The `cluster:` map the context points at. */
  cluster: YAMLMap;
  clusterName: string;
  userName?: string;
}

/** Loads the kubeconfig and finds the context (current-context unless `context` is given). */
export function loadKubeconfig(path: string, context?: string): KubeconfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read kubeconfig ${path}: ${(e as Error).message}; pass --kubeconfig or set KUBECONFIG`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) throw new CliError(`kubeconfig ${path} is not valid YAML: ${doc.errors[0].message}`);
  const contextName = context ?? str(doc.get('current-context'));
  if (!contextName) throw new CliError(`kubeconfig ${path} has no current-context; pass --context`);
  const ctx = namedEntry(doc, 'contexts', 'context', contextName);
  if (!ctx) throw new CliError(`kubeconfig ${path} has no context "${contextName}"`);
  const clusterName = str(ctx.get('cluster'));
  const cluster = clusterName ? namedEntry(doc, 'clusters', 'cluster', clusterName) : undefined;
  if (!cluster || !clusterName || !str(cluster.get('server'))) {
    throw new CliError(`kubeconfig context "${contextName}" has no cluster with a server`);
  }
  return { path, doc, contextName, cluster, clusterName, userName: str(ctx.get('user')) };
}

export function serverOf(kc: KubeconfigFile): string {
  return str(kc.cluster.get('server'))!;
}

/**
 * Points the context's cluster at `newServer` and remembers the old URL as the previous
 * workspace; writes the file back, keeping its permissions.
 */
export function switchServer(kc: KubeconfigFile, newServer: string): void {
  const old = serverOf(kc);
  kc.cluster.set('server', newServer);
  if (old !== newServer) {
    // the previous entry reuses this cluster's TLS settings and this context's user
    const prevCluster = kc.doc.createNode(kc.cluster.toJSON()) as YAMLMap;
    prevCluster.set('server', old);
    upsertNamed(kc.doc, 'clusters', 'cluster', PREVIOUS_NAME, prevCluster);
    const prevContext = kc.doc.createNode({ cluster: PREVIOUS_NAME, ...(kc.userName ? { user: kc.userName } : {}) }) as YAMLMap;
    upsertNamed(kc.doc, 'contexts', 'context', PREVIOUS_NAME, prevContext);
  }
  const mode = statSync(kc.path).mode & 0o777;
  writeFileSync(kc.path, kc.doc.toString(), { mode });
}

/** The server URL recorded for `ws -`, if any. */
export function previousServer(kc: KubeconfigFile): string | undefined {
  const prev = namedEntry(kc.doc, 'clusters', 'cluster', PREVIOUS_NAME);
  return prev ? str(prev.get('server')) : undefined;
}

/**
 * The kubeconfig as text with the context's server replaced (`--server`); relative file paths are
 * made absolute first, because text input resolves them against the working directory.
 */
export function kubeconfigTextWithServer(path: string, context: string | undefined, server: string): string {
  const kc = loadKubeconfig(path, context);
  const dir = dirname(path);
  const absolutize = (m: YAMLMap, key: string) => {
    const v = str(m.get(key));
    if (v && !isAbsolute(v)) m.set(key, join(dir, v));
  };
  for (const [list, inner, keys] of [['clusters', 'cluster', ['certificate-authority']], ['users', 'user', ['client-certificate', 'client-key', 'tokenFile']]] as const) {
    const seq = kc.doc.get(list);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      const entry = isMap(item) ? item.get(inner) : undefined;
      if (isMap(entry)) for (const k of keys) absolutize(entry, k);
    }
  }
  kc.cluster.set('server', server);
  kc.doc.set('current-context', kc.contextName);
  return kc.doc.toString();
}

function namedEntry(doc: Document, list: string, inner: string, name: string): YAMLMap | undefined {
  const seq = doc.get(list);
  if (!isSeq(seq)) return undefined;
  for (const item of seq.items) {
    if (isMap(item) && item.get('name') === name) {
      const v = item.get(inner);
      return isMap(v) ? v : undefined;
    }
  }
  return undefined;
}

function upsertNamed(doc: Document, list: string, inner: string, name: string, value: YAMLMap): void {
  let seq = doc.get(list);
  if (!isSeq(seq)) {
    doc.set(list, doc.createNode([]));
    seq = doc.get(list);
  }
  if (!isSeq(seq)) return;
  for (const item of seq.items) {
    if (isMap(item) && item.get('name') === name) {
      item.set(inner, value);
      return;
    }
  }
  seq.items.push(doc.createNode({ name, [inner]: value.toJSON() }));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
