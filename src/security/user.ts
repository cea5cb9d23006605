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

/** Adds `system:authenticated`, as every kube authenticator does for a successful login. */
export function withAuthenticatedGroup(groups: readonly string[]): string[] {
  return groups.includes(GROUP_AUTHENTICATED) ? [...groups] : [...groups, GROUP_AUTHENTICATED];
}
