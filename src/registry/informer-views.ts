/**
 * What the server's shared informers keep of namespaces and service accounts: every workspace has
 * a `default` of each, so these views decide much of the memory an empty workspace costs. Each
 * keeps what its readers use, and nothing else:
 * - namespaces: the namespace lifecycle (finalizers, deletion, spec.finalizers, status) and the
 *   generic store's namespace check (deletion);
 * - service accounts: the namespace lifecycle (that `default` exists) and the token controller
 *   (uid).
 * A new reader of another field adds it here.
 */
import { identityMetadata, shared } from '../storage/informers.js';
import type { KubeObject } from '../storage/types.js';

export function namespaceView(ns: KubeObject): KubeObject {
  const view: KubeObject = { apiVersion: shared(ns.apiVersion), kind: shared(ns.kind), metadata: identityMetadata(ns.metadata) };
  if (ns.spec) view.spec = ns.spec;
  if (ns.status) view.status = ns.status;
  return view;
}

export function serviceAccountView(sa: KubeObject): KubeObject {
  return { apiVersion: shared(sa.apiVersion), kind: shared(sa.kind), metadata: identityMetadata(sa.metadata) };
}
