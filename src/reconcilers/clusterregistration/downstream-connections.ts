/**
 * Push mode: builds the KubeClient that talks to a registered cluster's API server from
 * `spec.clusterEndpoint` (serverURL, caBundle) and the Secret it names (key `kubeconfig`, or keys
 * `token` and `ca.crt`). Clients are cached per registration uid and keyed by the Secret's
 * resourceVersion and the endpoint, so rotated credentials take effect on the next heartbeat and
 * unchanged ones reuse the keep-alive connection.
 *
 * serverURL from the spec always wins over the kubeconfig's server: the registration says where
 * the cluster is, the Secret only says who we are. Credential plugins (exec, auth-provider) are
 * refused: running a command named in a user-supplied Secret inside the controller would let
 * anyone who can write a Secret run code in TMC.
 */
import type { ClusterRegistration } from '../../apis/tmc/index.js';
import { HttpTransport } from '../../client/http-transport.js';
import { KubeClient } from '../../client/kube-client.js';
import { resolveKubeConfig } from '../../client/kubeconfig.js';
import type { KubeObject } from '../../client/types.js';
import { Reason } from './constants.js';

/** A configuration problem the user must fix; carries the condition reason to report. */
export class ConnectionConfigError extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
    this.name = 'ConnectionConfigError';
  }
}

export interface Secret extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface DownstreamConnectionsOptions {
  /** Reads a Secret in the registration's workspace; rejects with NotFound when absent. */
  readSecret(workspace: string, namespace: string, name: string): Promise<Secret>;
  /** Socket inactivity limit per request: a stopped cluster must fail the probe quickly. */
  requestTimeoutMs: number;
  userAgent?: string;
}

interface Cached { cacheKey: string; downstreamClient: KubeClient; transport: HttpTransport }

export class DownstreamConnections {
  private readonly byUid = new Map<string, Cached>();

  constructor(private readonly opts: DownstreamConnectionsOptions) {}

  /** The client for `registration`; throws ConnectionConfigError (or the Secret read's error). */
  async clientFor(registration: ClusterRegistration, workspace: string): Promise<KubeClient> {
    const endpoint = registration.spec.clusterEndpoint;
    if (!endpoint?.serverURL) throw new ConnectionConfigError(Reason.NoEndpoint, 'spec.clusterEndpoint.serverURL is not set');
    const ref = endpoint.secretRef;
    const secret = ref ? await this.opts.readSecret(workspace, ref.namespace || 'default', ref.name) : undefined;
    const uid = registration.metadata.uid ?? `${workspace}|${registration.metadata.name}`;
    const cacheKey = JSON.stringify([endpoint, secret?.metadata.uid, secret?.metadata.resourceVersion]);
    const cached = this.byUid.get(uid);
    if (cached?.cacheKey === cacheKey) return cached.downstreamClient;

    const transport = this.buildTransport(endpoint.serverURL, endpoint.caBundle, secret);
    cached?.transport.close();
    const entry = { cacheKey, transport, downstreamClient: new KubeClient(transport) };
    this.byUid.set(uid, entry);
    return entry.downstreamClient;
  }

  /** Drops (and closes) the cached connection of a deleted registration. */
  forget(uid: string): void {
    this.byUid.get(uid)?.transport.close();
    this.byUid.delete(uid);
  }

  closeAll(): void {
    for (const uid of [...this.byUid.keys()]) this.forget(uid);
  }

  /** Number of cached connections (for tests). */
  get size(): number {
    return this.byUid.size;
  }

  private buildTransport(serverURL: string, caBundle: string | undefined, secret: Secret | undefined): HttpTransport {
    const data = secretData(secret);
    const headers: Record<string, string> = {};
    let ca: Buffer | undefined = caBundle ? decodeCA(caBundle) : undefined;
    let cert: Buffer | undefined;
    let key: Buffer | undefined;
    let rejectUnauthorized = true;
    let servername: string | undefined;
    if (data.kubeconfig) {
      let kc: ReturnType<typeof resolveKubeConfig>;
      try {
        kc = resolveKubeConfig({ text: data.kubeconfig });
      } catch (err) {
        throw new ConnectionConfigError(Reason.InvalidCredentials, `secret key "kubeconfig" is not a usable kubeconfig: ${(err as Error).message}`);
      }
      if (kc.needsPlugin && !kc.token) {
        throw new ConnectionConfigError(Reason.InvalidCredentials,
          'kubeconfig credential plugins (exec, auth-provider) are not supported; use a token or a client certificate');
      }
      ca ??= kc.ca;
      cert = kc.cert;
      key = kc.key;
      rejectUnauthorized = !kc.skipTLSVerify;
      servername = kc.tlsServerName;
      if (kc.token) headers.authorization = `Bearer ${kc.token}`;
      else if (kc.username) headers.authorization = `Basic ${Buffer.from(`${kc.username}:${kc.password ?? ''}`).toString('base64')}`;
    } else if (data.token) {
      headers.authorization = `Bearer ${data.token.trim()}`;
      ca ??= data['ca.crt'] ? Buffer.from(data['ca.crt']) : undefined;
    } else if (secret) {
      throw new ConnectionConfigError(Reason.InvalidCredentials,
        `secret ${secret.metadata.namespace}/${secret.metadata.name} has neither key "kubeconfig" nor key "token"`);
    }
    return new HttpTransport({
      server: serverURL, ca, cert, key, rejectUnauthorized, servername, headers,
      userAgent: this.opts.userAgent ?? 'tmc-clusterregistration-controller',
      requestTimeoutMs: this.opts.requestTimeoutMs,
    });
  }
}

/** Secret values decoded: `data` is base64, `stringData` (if a server kept it) is plain. */
export function secretData(secret: Secret | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret?.data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries(secret?.stringData ?? {})) out[k] = v;
  return out;
}

/** caBundle is `format: byte` (base64 of PEM); a PEM pasted as-is is accepted too. */
function decodeCA(caBundle: string): Buffer {
  return caBundle.includes('-----BEGIN') ? Buffer.from(caBundle) : Buffer.from(caBundle, 'base64');
}
