/**
 * Manifests the e2e tests share to set up a TMC workspace: the two APIBindings, a
 * ClusterRegistration for a `--mode cluster` server, a Deployment.
 */

/** The compute and TMC bindings, with the claims the controllers need (as docs/quickstart.md). */
export const BINDINGS = `
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: kubernetes}
spec: {reference: {export: {path: "root:compute", name: kubernetes}}}
---
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: tmc}
spec:
  reference: {export: {path: "root:tmc", name: tmc.kcp.io}}
  permissionClaims:
  - {group: "", resource: namespaces, all: true, state: Accepted}
  - {group: "", resource: configmaps, all: true, state: Accepted}
  - {group: "", resource: secrets, all: true, state: Accepted}
  - {group: apps, resource: deployments, all: true, state: Accepted}
`;

/** A Push ClusterRegistration whose kubeconfig is the Secret `<name>-creds` in `default`. */
export function registration(name: string, serverURL: string): string {
  return `
apiVersion: tmc.kcp.io/v1alpha1
kind: ClusterRegistration
metadata: {name: ${name}}
spec:
  location: test
  clusterEndpoint: {serverURL: ${serverURL}, secretRef: {namespace: default, name: ${name}-creds}}
`;
}

/** A Deployment (one replica unless told) labelled app=<name>. */
export function deployment(name: string, replicas = 1): string {
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {app: ${name}}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: app, image: nginx, resources: {requests: {cpu: 10m, memory: 16Mi}}}]}`;
}
