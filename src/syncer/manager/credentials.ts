/**
 * The downstream client of a Push-mode ClusterRegistration, from the Secret named by
 * spec.clusterEndpoint.secretRef (namespace default "default", in the registration's workspace):
 * key `kubeconfig` (used as is: its server and CA win), or keys `token` + `ca.crt` against
 * spec.clusterEndpoint.serverURL. spec.clusterEndpoint.caBundle overrides the CA.
 */
import { SECRETS } from '../../apis/gvr.js';
import type { ClusterRegistration } from '../../apis/tmc/index.js';
import { HttpTransport } from '../../client/http-transport.js';
import { KubeClient } from '../../client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../client/kubeconfig-transport.js';


export async function downstreamClientFor(registrationClient: KubeClient, registration: ClusterRegistration): Promise<KubeClient> {
  const endpoint = registration.spec?.clusterEndpoint;
  if (!endpoint?.secretRef?.name) throw new Error(`ClusterRegistration ${registration.metadata?.name} has no spec.clusterEndpoint.secretRef`);
  const secret = await registrationClient.get(SECRETS, endpoint.secretRef.namespace || 'default', endpoint.secretRef.name);
  const data = (secret as { data?: Record<string, string>; stringData?: Record<string, string> }).data ?? {};
  const read = (k: string): string | undefined => (data[k] !== undefined ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
  const caBundle = endpoint.caBundle ? Buffer.from(endpoint.caBundle, 'base64').toString('utf8') : undefined;

  const kubeconfig = read('kubeconfig');
  if (kubeconfig) {
    // A kubeconfig is complete: its server and CA are used as they are.
    return new KubeClient(httpTransportFromKubeConfig({ text: kubeconfig, basePath: '', userAgent: 'tmc-syncer' }));
  }
  const token = read('token');
  if (!token) throw new Error(`Secret ${endpoint.secretRef.name} has neither "kubeconfig" nor "token"`);
  if (!endpoint.serverURL) throw new Error(`ClusterRegistration ${registration.metadata?.name} has no spec.clusterEndpoint.serverURL`);
  return new KubeClient(new HttpTransport({
    server: endpoint.serverURL, ca: caBundle ?? read('ca.crt'), headers: { authorization: `Bearer ${token}` }, userAgent: 'tmc-syncer',
  }));
}
