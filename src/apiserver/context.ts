/**
 * What the wire layer needs to serve one request, assembled once at start-up by the server.
 */
import type { Logger } from '../observability/logger.js';
import type { ResourceCatalog } from '../registry/catalog.js';
import type { GenericStore } from '../registry/generic-store.js';
import type { UserInfo } from '../registry/hooks.js';
import type { ResourceDef } from '../registry/types.js';
import type { Attributes, PolicyRule } from '../security/rbac-rules.js';
import type { KubeObject } from '../storage/types.js';
import type { Discovery } from './discovery.js';
import type { PatchType } from './negotiation.js';
import type { RequestInfo } from './request-info.js';

/** Computes patched objects; implemented over apiserver/patch. */
export interface Patcher {
  /** json/merge/strategic: the patched object. */
  patch(type: Exclude<PatchType, 'apply'>, def: ResourceDef, live: KubeObject, body: Buffer): KubeObject;
  /** server-side apply: the merged object with its managedFields. */
  apply(def: ResourceDef, live: KubeObject | undefined, applied: KubeObject, manager: string, force: boolean, now: Date): KubeObject;
}

/** Decides whether a user may do what a request asks; throws a Forbidden StatusError when not. */
export type Authorizer = (user: UserInfo, info: RequestInfo) => Promise<void> | void;

/** RBAC decisions and rules for the access-review kinds (the evaluation requests get). */
export interface AccessReviewer {
  review(user: UserInfo, a: Omit<Attributes, 'user' | 'groups'>): Promise<{ allowed: boolean; reason: string }>;
  rules(user: UserInfo, cluster: string, namespace: string): Promise<PolicyRule[]>;
}

export interface ApiContext {
  catalog: ResourceCatalog;
  discovery: Discovery;
  generic: GenericStore;
  patcher: Patcher;
  log: Logger;
  authorize?: Authorizer;
  /** Answers SelfSubjectAccessReview & co.; absent (no RBAC), every review is allowed. */
  access?: AccessReviewer;
  /** OpenAPI v3 documents (discovery + per group-version), cached. */
  openapi: {
    discovery(cluster: string): string;
    groupVersion(cluster: string, gvPath: string): string | undefined;
    /** /openapi/v2: the Swagger 2.0 document as JSON and as gnostic protobuf. */
    v2(cluster: string): { json: string; proto: Buffer; etag: string };
  };
  /** Throws NotFound/Forbidden when the logical cluster does not exist. */
  checkCluster(cluster: string): Promise<void>;
  /**
   * The workspace path `/clusters/<x>` means, x being a logical cluster name or a path (kcp serves
   * both); unset, x is the path.
   */
  resolveCluster?(x: string): string;
  /**
   * kcp's home workspace: `GET /clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/~` answers the
   * requesting user's home Workspace (creating it on first use). Unset: `~` is an ordinary name.
   */
  homeWorkspace?(user: UserInfo): Promise<KubeObject>;
}
