/**
 * The manifest that installs a pull-mode agent (`tmc-syncer`) on a physical cluster, like
 * `kubectl kcp workload sync`: a Namespace, a ServiceAccount with a ClusterRole over the objects
 * it syncs downstream (and Nodes, to report capacity), a Secret holding the kubeconfig for TMC's
 * syncer virtual workspace, and the Deployment. Apply it with kubectl against the physical
 * cluster; the agent then connects out to TMC, so TMC needs no route to the cluster.
 *
 * The agent's flags are a contract with src/cmd/tmc-syncer.ts: `--from-kubeconfig` (the syncer
 * VW), `--to-kubeconfig` (downstream; in-cluster when absent), `--registration-workspace`,
 * `--registration`, `--registration-uid`.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

export interface SyncerManifestOptions {
  /** The ClusterRegistration's name. */
  registrationName: string;
  /** The workspace holding it, e.g. `root:clusters`. */
  workspace: string;
  /** Its metadata.uid (the syncer VW rejects a mismatch, so a re-created registration needs a new manifest). */
  uid: string;
  /** TMC's external URL, e.g. https://tmc.example.com:6443. */
  serverURL: string;
  /** Bearer token of the agent's identity upstream (allowed verb `sync` on the registration). */
  token: string;
  /** PEM of the CA that signs TMC's serving certificate. */
  caPem: string;
  /** @default ghcr.io/kcp-dev/tmc-syncer:latest */
  image?: string;
  /** Downstream namespace for the agent. @default tmc-syncer-<name>-<8 chars of the uid's hash> */
  namespace?: string;
}

export const DEFAULT_SYNCER_IMAGE = 'ghcr.io/kcp-dev/tmc-syncer:latest';
const KUBECONFIG_DIR = '/etc/tmc';

/** The syncer virtual workspace of one registration (DESIGN.md §3). */
export function syncerVirtualWorkspaceURL(serverURL: string, workspace: string, name: string, uid: string): string {
  return `${serverURL.replace(/\/+$/, '')}/services/syncer/${workspace}/${name}/${uid}`;
}

export function syncerNamespace(name: string, uid: string): string {
  const hash = BigInt('0x' + createHash('sha224').update(uid).digest('hex')).toString(36).slice(0, 8);
  return `tmc-syncer-${name}`.slice(0, 63 - 9) + `-${hash}`;
}

/** The manifest as a list of objects (what `syncerManifest` serialises). */
export function syncerManifestObjects(o: SyncerManifestOptions): Array<Record<string, unknown>> {
  const namespace = o.namespace ?? syncerNamespace(o.registrationName, o.uid);
  const name = `tmc-syncer-${o.registrationName}`.slice(0, 63);
  const labels = { 'app.kubernetes.io/name': 'tmc-syncer', 'tmc.kcp.io/registration': o.registrationName };
  const kubeconfig = stringify({
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'tmc', cluster: {
      server: syncerVirtualWorkspaceURL(o.serverURL, o.workspace, o.registrationName, o.uid),
      'certificate-authority-data': Buffer.from(o.caPem).toString('base64'),
    } }],
    users: [{ name: 'syncer', user: { token: o.token } }],
    contexts: [{ name: 'tmc', context: { cluster: 'tmc', user: 'syncer' } }],
    'current-context': 'tmc',
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels },
      rules: [
        // what the agent creates downstream: namespaces tmc-<hash> and the synced workloads
        { apiGroups: [''], resources: ['namespaces', 'configmaps', 'secrets', 'services', 'serviceaccounts', 'persistentvolumeclaims'], verbs: ['*'] },
        { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['*'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['*'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['*'] },
        // status travels up; nodes give capacity; pods and events explain failures
        { apiGroups: ['', 'apps', 'batch', 'networking.k8s.io'], resources: ['*/status'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes', 'pods', 'events'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
    {
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: `${name}-kubeconfig`.slice(0, 253), namespace, labels },
      stringData: { kubeconfig },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, labels },
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' }, // never two agents for one cluster
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            containers: [{
              name: 'tmc-syncer',
              image: o.image ?? DEFAULT_SYNCER_IMAGE,
              command: ['tmc-syncer'],
              args: [
                `--from-kubeconfig=${KUBECONFIG_DIR}/kubeconfig`,
                `--registration-workspace=${o.workspace}`,
                `--registration=${o.registrationName}`,
                `--registration-uid=${o.uid}`,
              ],
              volumeMounts: [{ name: 'tmc-kubeconfig', mountPath: KUBECONFIG_DIR, readOnly: true }],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            }],
            volumes: [{ name: 'tmc-kubeconfig', secret: { secretName: `${name}-kubeconfig`.slice(0, 253) } }],
          },
        },
      },
    },
  ];
}

/** The manifest as multi-document YAML, ready for `kubectl apply -f -`. */
export function syncerManifest(o: SyncerManifestOptions): string {
  return syncerManifestObjects(o).map((doc) => stringify(doc, { lineWidth: 0 })).join('---\n');
}
