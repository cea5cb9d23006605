/**
 * Field paths as kube prints them. Two styles exist in kube and both are needed:
 * - kube-openapi (schema validation, pruning): `spec.containers[0].name`, map entries as `.key`;
 * - field.Path (ObjectMeta, CEL rules): map entries as `[key]`.
 */

/** `spec` + `replicas` → `spec.replicas`; at the root the child name alone. */
export function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** field.Path.Key: `metadata.labels[app]`. */
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}
