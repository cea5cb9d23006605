/**
 * Builds an HttpTransport from a kubeconfig, using @kubernetes/client-node's KubeConfig for parsing
 * and for credential plugins, so every kubeconfig kubectl accepts works here too.
 */
import { KubeConfig, bufferFromFileOrString } from '@kubernetes/client-node';
import { HttpTransport } from './http-transport.js';

export interface KubeConfigSource {
  /** Path of a kubeconfig file. */
  file?: string;
  /** Kubeconfig YAML/JSON text. */
  text?: string;
  /** An already-loaded KubeConfig. */
  kubeConfig?: KubeConfig;
  /** Context to use instead of current-context. */
  context?: string;
  /**
   * Replace the server URL's path. '' talks to the server root, which is what
   * `KubeClient.forCluster` needs when the kubeconfig points at `/clusters/root`.
   */
  basePath?: string;
  userAgent?: string;
}

export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  if (source.kubeConfig) return source.kubeConfig;
  const kubeConfig = new KubeConfig();
  if (source.file) kubeConfig.loadFromFile(source.file);
  else if (source.text !== undefined) kubeConfig.loadFromString(source.text);
  else throw new Error('kubeconfig source needs one of file, text or kubeConfig');
  if (source.context) kubeConfig.setCurrentContext(source.context);
  return kubeConfig;
}

export function httpTransportFromKubeConfig(source: KubeConfigSource): HttpTransport {
  const kubeConfig = loadKubeConfig(source);
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig has no cluster for context "${kubeConfig.getCurrentContext()}"`);
  const user = kubeConfig.getCurrentUser();
  const server = new URL(cluster.server);
  if (source.basePath !== undefined) server.pathname = source.basePath;

  const headers: Record<string, string> = {};
  if (user?.token) headers.authorization = `Bearer ${user.token}`;
  else if (user?.username) {
    headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
  }
  if (user?.impersonateUser) headers['impersonate-user'] = user.impersonateUser;

  // exec plugins and auth providers mint tokens that expire: ask KubeConfig for them per request.
  const needsPlugin = !user?.token && (user?.exec !== undefined || user?.authProvider !== undefined);
  const dynamicHeaders = needsPlugin ? () => pluginHeaders(kubeConfig) : undefined;

  return new HttpTransport({
    server: server.toString(),
    ca: bufferFromFileOrString(cluster.caFile, cluster.caData) ?? undefined,
    cert: bufferFromFileOrString(user?.certFile, user?.certData) ?? undefined,
    key: bufferFromFileOrString(user?.keyFile, user?.keyData) ?? undefined,
    rejectUnauthorized: !cluster.skipTLSVerify,
    servername: cluster.tlsServerName,
    headers,
    dynamicHeaders,
    userAgent: source.userAgent,
  });
}

async function pluginHeaders(kubeConfig: KubeConfig): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  // applySecurityAuthentication only needs a header sink; the dispatcher it offers is unused
  // because HttpTransport owns its agent.
  const sink = {
    setHeaderParam: (k: string, v: string) => { headers[k.toLowerCase()] = v; },
    setDispatcher: () => {},
  };
  await kubeConfig.applySecurityAuthentication(sink as unknown as Parameters<KubeConfig['applySecurityAuthentication']>[0]);
  return headers;
}
