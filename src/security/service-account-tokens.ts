/**
 * Kube's legacy service-account tokens: the token in a `kubernetes.io/service-account-token`
 * Secret authenticates as the ServiceAccount it names. The cache is fed by the
 * ServiceAccountTokens component (src/registry/service-account-tokens.ts), which watches Secrets
 * and ServiceAccounts in every logical cluster; only SHA-256 hashes of tokens are held here.
 *
 * A token is valid while its Secret exists and the ServiceAccount it was issued for exists with the
 * same UID: deleting either revokes it at once (no restart, no cache TTL).
 *
 * Users: `system:serviceaccount:<ns>:<sa>`, groups `system:serviceaccounts`,
 * `system:serviceaccounts:<ns>`, `system:authenticated`. A Secret labelled
 * `tmc.kcp.io/syncer-for: <registration>` authenticates a TMC pull agent instead: user
 * `system:tmc:syncer:<workspace>:<registration>` (the Secret's own workspace) with the SA groups
 * plus `system:tmc:syncers`. The pull-agent naming is what lets the syncer virtual workspace's
 * authorizer confine the token to that one registration (src/virtual/authorizers.ts).
 */
import { hashToken, type TokenAuthenticator } from './tokens.js';
import { SYNCER_USER_PREFIX, SYNCERS_GROUP, withAuthenticatedGroup, type UserInfo } from './user.js';

export const SA_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';
export const SYNCER_FOR_LABEL = 'tmc.kcp.io/syncer-for';
/**
 * The workspace a token belongs to, as kcp records it in user extra: its logical cluster name (not
 * its path). Computed when a token is verified, so a token minted before names existed gets it too.
 */
export const CLUSTER_NAME_EXTRA = 'authentication.kcp.io/cluster-name';

/** Tokens shorter than this are never accepted (a user-written data.token must not be guessable). */
export const MIN_TOKEN_LENGTH = 32;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export interface SATokenEntry {
  cluster: string;
  namespace: string;
  secretName: string;
  serviceAccount: string;
  /** The SA UID the token was issued for; absent = any SA of that name. */
  serviceAccountUID?: string;
  /** ClusterRegistration name from the `tmc.kcp.io/syncer-for` label. */
  syncerFor?: string;
}

export function serviceAccountUserName(namespace: string, sa: string): string {
  return `system:serviceaccount:${namespace}:${sa}`;
}

const key3 = (cluster: string, namespace: string, name: string) => `${cluster}|${namespace}|${name}`;

export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  private readonly byHash = new Map<string, SATokenEntry>();
  /** secret key → token hash */
  private readonly bySecret = new Map<string, string>();
  /** SA key → uid */
  private readonly serviceAccounts = new Map<string, string>();

  /** `clusterName` maps the path a Secret is stored under to its logical cluster name. */
  constructor(private readonly clusterName: (path: string) => string = (path) => path) {}

  /** Records (or replaces) the token of a Secret. Returns false when refused (too short, or taken by another Secret). */
  setSecretToken(entry: SATokenEntry, token: string): boolean {
    const sk = key3(entry.cluster, entry.namespace, entry.secretName);
    if (token.length < MIN_TOKEN_LENGTH) { this.deleteSecret(entry.cluster, entry.namespace, entry.secretName); return false; }
    const h = hashToken(token);
    const holder = this.byHash.get(h);
    if (holder && key3(holder.cluster, holder.namespace, holder.secretName) !== sk) {
      this.deleteSecret(entry.cluster, entry.namespace, entry.secretName);
      return false;
    }
    const prev = this.bySecret.get(sk);
    if (prev && prev !== h) this.byHash.delete(prev);
    this.bySecret.set(sk, h);
    this.byHash.set(h, { ...entry });
    return true;
  }

  deleteSecret(cluster: string, namespace: string, name: string): void {
    const sk = key3(cluster, namespace, name);
    const h = this.bySecret.get(sk);
    if (h) this.byHash.delete(h);
    this.bySecret.delete(sk);
  }

  setServiceAccount(cluster: string, namespace: string, name: string, uid: string): void {
    this.serviceAccounts.set(key3(cluster, namespace, name), uid);
  }

  deleteServiceAccount(cluster: string, namespace: string, name: string): void {
    this.serviceAccounts.delete(key3(cluster, namespace, name));
  }

  serviceAccountUID(cluster: string, namespace: string, name: string): string | undefined {
    return this.serviceAccounts.get(key3(cluster, namespace, name));
  }

  get size(): number { return this.byHash.size; }

  verify(token: string): UserInfo | undefined {
    if (!token || token.length < MIN_TOKEN_LENGTH) return undefined;
    const e = this.byHash.get(hashToken(token));
    if (!e) return undefined;
    const uid = this.serviceAccounts.get(key3(e.cluster, e.namespace, e.serviceAccount));
    if (uid === undefined) return undefined; // the ServiceAccount is gone
    if (e.serviceAccountUID && e.serviceAccountUID !== uid) return undefined; // a new SA of the same name
    const groups = ['system:serviceaccounts', `system:serviceaccounts:${e.namespace}`];
    const extra: Record<string, string[]> = {
      [CLUSTER_NAME_EXTRA]: [this.clusterName(e.cluster)],
      'authentication.kubernetes.io/credential-id': [`secret:${e.secretName}`],
    };
    if (e.syncerFor && DNS_SUBDOMAIN.test(e.syncerFor)) {
      return {
        name: `${SYNCER_USER_PREFIX}${e.cluster}:${e.syncerFor}`, uid,
        groups: withAuthenticatedGroup([...groups, SYNCERS_GROUP]),
        extra: { ...extra, 'authentication.kubernetes.io/service-account-name': [serviceAccountUserName(e.namespace, e.serviceAccount)] },
      };
    }
    return { name: serviceAccountUserName(e.namespace, e.serviceAccount), uid, groups: withAuthenticatedGroup(groups), extra };
  }
}
