/**
 * CRD fixtures for tests: one namespaced v1 CRD in `example.com` whose `spec` property has the
 * schema a test is about, as YAML that `kubectl apply -f -` takes. Tests state only the schema, so
 * the CRD boilerplate around it is written once.
 */
import { parse, stringify } from 'yaml';

export interface CRDNames {
  kind: string;
  /** @default kind lower-cased + 's' */
  plural?: string;
  /** @default 'example.com' */
  group?: string;
  /** @default 'Namespaced' */
  scope?: 'Namespaced' | 'Cluster';
  /** The root schema's description (OpenAPI tests read it back). */
  description?: string;
}

/**
 * A CRD `<plural>.<group>` serving v1 (storage), whose root schema is an object with one property
 * `spec`: `specSchema` (YAML text or an object).
 */
export function crdYAML(names: CRDNames, specSchema: string | Record<string, unknown>): string {
  const group = names.group ?? 'example.com';
  const singular = names.kind.toLowerCase();
  const plural = names.plural ?? `${singular}s`;
  const spec = typeof specSchema === 'string' ? parse(specSchema) as Record<string, unknown> : specSchema;
  return stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { plural, singular, kind: names.kind, listKind: `${names.kind}List` },
      scope: names.scope ?? 'Namespaced',
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', ...(names.description ? { description: names.description } : {}), properties: { spec } } },
      }],
    },
  });
}

/** `gadgets.example.com` (kind Gadget), the CRD most e2e tests use. */
export const gadgetCRD = (specSchema: string | Record<string, unknown>): string => crdYAML({ kind: 'Gadget' }, specSchema);
