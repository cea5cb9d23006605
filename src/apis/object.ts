/**
 * The plain-JSON Kubernetes object every layer passes around (storage stores it, the wire layer
 * serves it, clients receive it). Defined here, in the leaf every layer may import, so the client
 * side does not reach into storage for a type.
 */
export type KubeObject = Record<string, any> & {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
};

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  managedFields?: Array<Record<string, unknown>>;
  [k: string]: unknown;
}
