/**
 * YAML for the built-in workloads the kubectl e2e tests apply: the selector/template skeleton is
 * written once here, each test says only what it is about (containers, extra spec fields).
 */

/** An apps/v1 workload whose selector and pod labels are app=<name>; `spec` lines go under spec (two-space indented). */
export function appsWorkload(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', name: string, o: { containers: string; spec?: string[]; namespace?: string }): string {
  const extra = (o.spec ?? []).map((l) => `  ${l}\n`).join('');
  return `apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}, namespace: ${o.namespace ?? 'default'}}
spec:
${extra}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: ${o.containers}
`;
}
