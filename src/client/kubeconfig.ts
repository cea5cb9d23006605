/**
 * Reads a kubeconfig (clusters / users / contexts, as kubectl writes them) into the connection
 * settings of one context. Parsed with `yaml` rather than @kubernetes/client-node: importing
 * client-node 2 loads undici 8, which needs zlib's zstd (Node ≥ 22.15) and throws at import time on
 * Node 20 — our minimum. client-node is loaded lazily, only for exec / auth-provider credentials
 * (kubeconfig-transport.ts).
 *
 * Relative file paths (certificate-authority, client-certificate, client-key, tokenFile) are
 * resolved against the kubeconfig's directory, as client-go does.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ResolvedKubeConfig {
  contextName: string;
  server: string;
  namespace?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  username?: string;
  password?: string;
  impersonateUser?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  /** The user entry needs a credential plugin (exec or auth-provider). */
  needsPlugin: boolean;
  /** The raw document, for handing to a plugin-capable loader. */
  text: string;
}

export interface KubeConfigInput {
  /** Path of a kubeconfig file. */
  file?: string;
  /** Kubeconfig YAML/JSON text (relative paths resolve against the working directory). */
  text?: string;
  /** Context to use instead of current-context. */
  context?: string;
}

type Entry = Record<string, unknown>;

export function resolveKubeConfig(input: KubeConfigInput): ResolvedKubeConfig {
  const text = input.file ? readFileSync(input.file, 'utf8') : input.text;
  if (text === undefined) throw new Error('kubeconfig input needs file or text');
  const baseDir = input.file ? dirname(input.file) : process.cwd();
  const doc = (parse(text) ?? {}) as Entry;
  const contextName = input.context ?? str(doc['current-context']);
  if (!contextName) throw new Error('kubeconfig has no current-context and none was given');
  const context = named(doc.contexts, 'context', contextName);
  if (!context) throw new Error(`kubeconfig has no context "${contextName}"`);
  const cluster = named(doc.clusters, 'cluster', str(context.cluster) ?? '');
  if (!cluster || !str(cluster.server)) throw new Error(`kubeconfig context "${contextName}" has no cluster with a server`);
  const user = named(doc.users, 'user', str(context.user) ?? '') ?? {};
  const path = (p: unknown): string | undefined => (typeof p === 'string' && p ? (isAbsolute(p) ? p : join(baseDir, p)) : undefined);
  const tokenFile = path(user.tokenFile);
  return {
    contextName,
    server: str(cluster.server) as string,
    namespace: str(context.namespace),
    ca: material(cluster['certificate-authority-data'], path(cluster['certificate-authority'])),
    cert: material(user['client-certificate-data'], path(user['client-certificate'])),
    key: material(user['client-key-data'], path(user['client-key'])),
    token: str(user.token) ?? (tokenFile ? readFileSync(tokenFile, 'utf8').trim() : undefined),
    username: str(user.username),
    password: str(user.password),
    impersonateUser: str(user.as),
    skipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster['tls-server-name']),
    needsPlugin: user.exec !== undefined || user['auth-provider'] !== undefined,
    text,
  };
}

/** The `inner` map of the list entry called `name` (`clusters[].cluster`, `users[].user`, …). */
function named(list: unknown, inner: string, name: string): Entry | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e: Entry) => e && e.name === name) as Entry | undefined;
  return entry ? (entry[inner] as Entry | undefined) ?? {} : undefined;
}

function material(data: unknown, file: string | undefined): Buffer | undefined {
  if (typeof data === 'string' && data) return Buffer.from(data, 'base64');
  return file ? readFileSync(file) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
