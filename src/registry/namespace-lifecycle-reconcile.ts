/**
 * What kube's namespace and service-account controllers decide for one namespace, as pure
 * functions of what is stored (table-tested in test/registry/namespace-lifecycle-reconcile.test.ts):
 * an active namespace gets its `default` ServiceAccount; a terminating one has its contents
 * deleted, then loses its `kubernetes` finalizer (and, with no other finalizer, goes).
 */
import type { KubeObject } from '../storage/types.js';
import { NAMESPACE_FINALIZER } from './namespace-strategy.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** What is left in a terminating namespace, per stored resource. */
export interface NamespaceContents { resource: string; items: KubeObject[] }

export type NamespaceDecision =
  | { action: 'none' }
  | { action: 'createServiceAccount' }
  /** Delete these; `remaining` objects (those being deleted included) still hold the namespace. */
  | { action: 'deleteContents'; deletes: Array<{ resource: string; name: string }>; remaining: number }
  /** The namespace without the `kubernetes` finalizer (written through the committer). */
  | { action: 'finalize'; namespace: KubeObject };

export function activeNamespace(inputs: { hasDefaultServiceAccount: boolean }): NamespaceDecision {
  return inputs.hasDefaultServiceAccount ? { action: 'none' } : { action: 'createServiceAccount' };
}

export function terminatingNamespace(ns: KubeObject, contents: NamespaceContents[]): NamespaceDecision {
  const remaining = contents.reduce((n, c) => n + c.items.length, 0);
  if (remaining > 0) {
    // objects already being deleted wait for their own finalizers: asking again changes nothing
    const deletes = contents.flatMap((c) => c.items.filter((o) => !o.metadata.deletionTimestamp).map((o) => ({ resource: c.resource, name: o.metadata.name! })));
    return { action: 'deleteContents', deletes, remaining };
  }
  const finalizers = (ns.spec?.finalizers ?? []) as string[];
  // without ours, only metadata.finalizers of someone else hold it; the store deletes it when they go
  if (!finalizers.includes(NAMESPACE_FINALIZER)) return { action: 'none' };
  return { action: 'finalize', namespace: { ...ns, spec: { ...ns.spec, finalizers: finalizers.filter((f) => f !== NAMESPACE_FINALIZER) } } };
}
