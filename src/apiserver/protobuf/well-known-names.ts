/**
 * Naming of protobuf messages in the schema tables, shared by the decoder and the generator.
 * Names are the proto full names with the k8s.io prefixes dropped: `core.v1.ConfigMap`,
 * `meta.v1.ObjectMeta`, `intstr.IntOrString`.
 */

const PREFIXES = [
  'k8s.io.api.',
  'k8s.io.apimachinery.pkg.apis.',
  'k8s.io.apimachinery.pkg.util.',
  'k8s.io.apimachinery.pkg.api.',
  'k8s.io.apimachinery.pkg.',
];

export function shortName(fullName: string): string {
  for (const p of PREFIXES) if (fullName.startsWith(p)) return fullName.slice(p.length);
  return fullName;
}

/**
 * Messages whose JSON form is not "an object of its fields" (kube gives them custom JSON
 * marshalers); they are decoded by well-known.ts, never from a table.
 */
export const WELL_KNOWN = new Set([
  'meta.v1.Time',
  'meta.v1.MicroTime',
  'meta.v1.Duration',
  'meta.v1.FieldsV1',
  'meta.v1.Verbs',
  'intstr.IntOrString',
  'resource.Quantity',
  'runtime.RawExtension',
  'authentication.v1.ExtraValue',
  'authorization.v1.ExtraValue',
]);
