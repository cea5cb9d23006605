/**
 * Kubeconfig files: written for users (DIR/admin.kubeconfig) and syncers, read by controllers that
 * connect to physical clusters from a Secret. Credentials are embedded as base64 `*-data` fields so
 * a kubeconfig is one self-contained file; files are written 0600.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeSecretFile } from './pki.js';

export interface KubeconfigOptions {
  server: string;
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  /** Name of the user entry (default `admin`). */
  user?: string;
  /** Name of the context and cluster entries (default `tmc`). */
  context?: string;
  /** Default namespace of the context. */
  namespace?: string;
}

export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  preferences: Record<string, never>;
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: Record<string, unknown> }>;
  'current-context': string;
}

/** What a client needs to connect, taken from the current (or first) context. */
export interface ParsedKubeconfig {
  server: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  namespace?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export function buildKubeconfig(o: KubeconfigOptions): Kubeconfig {
  const ctx = o.context ?? 'tmc';
  const userName = o.user ?? 'admin';
  const cluster: Record<string, unknown> = { server: o.server };
  if (o.caPem) cluster['certificate-authority-data'] = b64(o.caPem);
  const user: Record<string, unknown> = {};
  if (o.clientCertPem) user['client-certificate-data'] = b64(o.clientCertPem);
  if (o.clientKeyPem) user['client-key-data'] = b64(o.clientKeyPem);
  if (o.token) user.token = o.token;
  const context: Record<string, unknown> = { cluster: ctx, user: userName };
  if (o.namespace) context.namespace = o.namespace;
  return {
    apiVersion: 'v1', kind: 'Config', preferences: {},
    clusters: [{ name: ctx, cluster }],
    users: [{ name: userName, user }],
    contexts: [{ name: ctx, context }],
    'current-context': ctx,
  };
}

export function kubeconfigToYAML(o: KubeconfigOptions): string {
  return stringify(buildKubeconfig(o), { lineWidth: 0 });
}

export async function writeKubeconfig(path: string, o: KubeconfigOptions): Promise<void> {
  await writeSecretFile(path, kubeconfigToYAML(o));
}

/**
 * Parses kubeconfig YAML (or JSON) and resolves the current context, falling back to the first.
 * File references (`certificate-authority`, `client-certificate`, `client-key`, `tokenFile`) are
 * read relative to `baseDir` when given; without it they are an error, because a kubeconfig from a
 * Secret has no file system to point into.
 */
export function parseKubeconfig(text: string, baseDir?: string): ParsedKubeconfig {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`kubeconfig is not valid YAML: ${(e as Error).message}`);
  }
  if (!doc || typeof doc !== 'object') throw new Error('kubeconfig is empty');
  const contexts = namedList(doc, 'contexts', 'context');
  const clusters = namedList(doc, 'clusters', 'cluster');
  const users = namedList(doc, 'users', 'user');
  const current = doc['current-context'];
  const ctx = contexts.find((c) => c.name === current) ?? contexts[0];

  let cluster: Record<string, unknown> | undefined;
  let user: Record<string, unknown> = {};
  let namespace: string | undefined;
  if (ctx) {
    cluster = clusters.find((c) => c.name === ctx.value.cluster)?.value;
    if (!cluster) throw new Error(`kubeconfig context "${ctx.name}" names unknown cluster "${String(ctx.value.cluster)}"`);
    user = users.find((u) => u.name === ctx.value.user)?.value ?? {};
    if (typeof ctx.value.namespace === 'string') namespace = ctx.value.namespace;
  } else {
    cluster = clusters[0]?.value;
    user = users[0]?.value ?? {};
  }
  if (!cluster || typeof cluster.server !== 'string' || !cluster.server) {
    throw new Error('kubeconfig has no cluster with a server');
  }

  const out: ParsedKubeconfig = { server: cluster.server };
  const ca = dataOrFile(cluster, 'certificate-authority', baseDir);
  if (ca) out.caPem = ca;
  const cert = dataOrFile(user, 'client-certificate', baseDir);
  if (cert) out.certPem = cert;
  const key = dataOrFile(user, 'client-key', baseDir);
  if (key) out.keyPem = key;
  if (typeof user.token === 'string' && user.token) out.token = user.token;
  else if (typeof user.tokenFile === 'string') out.token = readRef(user.tokenFile, baseDir).trim();
  if (cluster['insecure-skip-tls-verify'] === true) out.insecureSkipTLSVerify = true;
  if (namespace) out.namespace = namespace;
  return out;
}

function namedList(doc: Record<string, unknown>, key: string, inner: string):
  Array<{ name: string; value: Record<string, unknown> }> {
  const list = doc[key];
  if (list == null) return [];
  if (!Array.isArray(list)) throw new Error(`kubeconfig field "${key}" must be a list`);
  return list.map((e: Record<string, unknown>) => ({
    name: String(e?.name ?? ''),
    value: (e?.[inner] ?? {}) as Record<string, unknown>,
  }));
}

function dataOrFile(section: Record<string, unknown>, field: string, baseDir?: string): string | undefined {
  const data = section[`${field}-data`];
  if (typeof data === 'string' && data) return unb64(data);
  const file = section[field];
  if (typeof file === 'string' && file) return readRef(file, baseDir);
  return undefined;
}

function readRef(file: string, baseDir?: string): string {
  if (baseDir === undefined) throw new Error(`kubeconfig refers to file "${file}"; embed it as data instead`);
  return readFileSync(isAbsolute(file) ? file : resolve(baseDir, file), 'utf8');
}

/** Reads a kubeconfig file, resolving relative file references against its directory. */
export function readKubeconfigFile(path: string): ParsedKubeconfig {
  return parseKubeconfig(readFileSync(path, 'utf8'), dirname(resolve(path)));
}
