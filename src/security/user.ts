/**
 * Who is making a request, as the authenticators establish it and the authorizer consumes it
 * (the shape of Kubernetes' user.Info).
 */
export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const GROUP_AUTHENTICATED = 'system:authenticated';
export const GROUP_MASTERS = 'system:masters';
/** In-process and external TMC controllers (placement, syncer engine, status aggregation). */
export const CONTROLLERS_GROUP = 'system:tmc:controllers';
/** Pull agents: the users tokens are minted for, one per ClusterRegistration. */
export const SYNCERS_GROUP = 'system:tmc:syncers';
/** A pull agent's user name: `system:tmc:syncer:<registration workspace>:<registration name>`. */
export const SYNCER_USER_PREFIX = 'system:tmc:syncer:';

export function syncerUserName(workspace: string, name: string): string {
  return `${SYNCER_USER_PREFIX}${workspace}:${name}`;
}

/** Adds `system:authenticated`, as every kube authenticator does for a successful login. */
export function withAuthenticatedGroup(groups: readonly string[]): string[] {
  return groups.includes(GROUP_AUTHENTICATED) ? [...groups] : [...groups, GROUP_AUTHENTICATED];
}
