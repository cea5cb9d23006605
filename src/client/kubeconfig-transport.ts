/**
 * Builds an HttpTransport from a kubeconfig: CA, client certificate/key, bearer token (or
 * tokenFile), basic auth, impersonation, skip-verify and TLS server name come from kubeconfig.ts.
 * Credential plugins (exec, auth-provider) are delegated to @kubernetes/client-node's KubeConfig,
 * imported lazily so that plain kubeconfigs work on Node 20 (see kubeconfig.ts for why).
 */
import { HttpTransport } from './http-transport.js';
import { resolveKubeConfig, type KubeConfigInput } from './kubeconfig.js';

export interface KubeConfigSource extends KubeConfigInput {
  /**
   * Replace the server URL's path. '' talks to the server root, which is what
   * `KubeClient.forCluster` needs when the kubeconfig points at `/clusters/root`.
   */
  basePath?: string;
  /**
   * Replace the server URL as a whole, keeping the kubeconfig's credentials: a virtual workspace
   * URL found at run time (an APIExportEndpointSlice's endpoint), which may be another host.
   */
  server?: string;
  userAgent?: string;
}

export function httpTransportFromKubeConfig(source: KubeConfigSource): HttpTransport {
  const kc = resolveKubeConfig(source);
  const server = new URL(source.server ?? kc.server);
  if (source.basePath !== undefined) server.pathname = source.basePath;

  const headers: Record<string, string> = {};
  if (kc.token) headers.authorization = `Bearer ${kc.token}`;
  else if (kc.username) {
    headers.authorization = `Basic ${Buffer.from(`${kc.username}:${kc.password ?? ''}`).toString('base64')}`;
  }
  if (kc.impersonateUser) headers['impersonate-user'] = kc.impersonateUser;

  return new HttpTransport({
    server: server.toString(),
    ca: kc.ca,
    cert: kc.cert,
    key: kc.key,
    rejectUnauthorized: !kc.skipTLSVerify,
    servername: kc.tlsServerName,
    headers,
    // exec plugins and auth providers mint tokens that expire: ask for them per request.
    dynamicHeaders: kc.needsPlugin && !kc.token ? pluginHeaders(kc.text, kc.contextName) : undefined,
    userAgent: source.userAgent,
  });
}

function pluginHeaders(text: string, context: string): () => Promise<Record<string, string>> {
  let loaded: Promise<{ applySecurityAuthentication(ctx: unknown): Promise<void> }> | undefined;
  return async () => {
    loaded ??= import('@kubernetes/client-node').then(({ KubeConfig }) => {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(text);
      kubeConfig.setCurrentContext(context);
      return kubeConfig as unknown as { applySecurityAuthentication(ctx: unknown): Promise<void> };
    });
    const kubeConfig = await loaded;
    const headers: Record<string, string> = {};
    // Only the headers are used; HttpTransport owns its agent, so the offered dispatcher is ignored.
    await kubeConfig.applySecurityAuthentication({
      setHeaderParam: (k: string, v: string) => { headers[k.toLowerCase()] = v; },
      setDispatcher: () => {},
    });
    return headers;
  };
}
