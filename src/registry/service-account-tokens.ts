/**
 * Kube's legacy service-account token controller, per logical cluster: a Secret of type
 * `kubernetes.io/service-account-token` annotated `kubernetes.io/service-account.name: <sa>` gets
 * `data.token` (a random 32-byte base64url token), `data.ca.crt` and `data.namespace`, and the
 * annotation `kubernetes.io/service-account.uid`, once the ServiceAccount exists in the Secret's
 * namespace. The tokens of every such Secret are kept, hashed, in the
 * ServiceAccountTokenAuthenticator (src/security/service-account-tokens.ts); deleting the Secret or
 * the ServiceAccount revokes the token.
 *
 * Fed by the server's shared informers of `serviceaccounts` and `secrets` over all clusters; a
 * Secret or ServiceAccount deleted while a watch was down is revoked once it recovers.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import {
  SA_NAME_ANNOTATION, SA_TOKEN_SECRET_TYPE, SA_UID_ANNOTATION, SYNCER_FOR_LABEL,
  ServiceAccountTokenAuthenticator,
} from '../security/service-account-tokens.js';
import type { StoreInformers } from '../storage/informers.js';
import type { KubeObject, ObjectKey, Store } from '../storage/types.js';

const SECRETS = 'secrets';
const SERVICE_ACCOUNTS = 'serviceaccounts';
const RETRY_MS = 1000;

/**
 * What the shared secrets informer keeps: metadata and type of every Secret, and only the `token`
 * value of service-account token Secrets (the one value read from the cache), so the server holds
 * no other Secret's data decrypted in memory.
 */
export function tokenSecretView(s: KubeObject): KubeObject {
  const { data: _data, stringData: _stringData, ...rest } = s as KubeObject & { data?: Record<string, string>; stringData?: unknown };
  const token = s.type === SA_TOKEN_SECRET_TYPE ? (s as { data?: Record<string, string> }).data?.token : undefined;
  return token === undefined ? rest : { ...rest, data: { token } };
}

export interface ServiceAccountTokensDeps {
  store: Store;
  informers: StoreInformers;
  log: Logger;
  /** PEM of the CA serving certificates chain to: `data.ca.crt`. */
  caPem: string;
  /** The logical cluster name of a path, for the tokens' `authentication.kcp.io/cluster-name`. */
  clusterName?: (path: string) => string;
}

const k = (c: string, ns: string, n: string) => `${c}|${ns}|${n}`;

export class ServiceAccountTokens {
  readonly authenticator: ServiceAccountTokenAuthenticator;
  private readonly unregister: Array<() => void> = [];
  /** Token Secrets still waiting for their ServiceAccount (or a failed write), by secret key. */
  private readonly waiting = new Map<string, ObjectKey>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly d: ServiceAccountTokensDeps) {
    this.authenticator = new ServiceAccountTokenAuthenticator(d.clusterName);
  }

  async start(): Promise<void> {
    const cluster = (o: KubeObject) => this.d.informers.clusterOf(o);
    const keyOf = (s: KubeObject): ObjectKey => ({ cluster: cluster(s), resource: SECRETS, namespace: s.metadata.namespace ?? '', name: s.metadata.name! });
    // ServiceAccounts first, so every token Secret of the first list finds its account's uid
    const sas = this.d.informers.informer(SERVICE_ACCOUNTS);
    this.unregister.push(sas.addEventHandler({
      onAdd: (sa) => this.onServiceAccount(cluster(sa), sa, false),
      onUpdate: (_old, sa) => this.onServiceAccount(cluster(sa), sa, false),
      onDelete: (sa) => this.onServiceAccount(cluster(sa), sa, true),
    }));
    await sas.waitForSync();
    const secrets = this.d.informers.informer(SECRETS);
    this.unregister.push(secrets.addEventHandler({
      onAdd: (s) => this.onSecret(keyOf(s), s, false),
      onUpdate: (_old, s) => this.onSecret(keyOf(s), s, false),
      onDelete: (s) => this.onSecret(keyOf(s), s, true),
    }));
    await secrets.waitForSync();
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unregister.splice(0)) u();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private onServiceAccount(cluster: string, sa: KubeObject, deleted: boolean): void {
    const ns = sa.metadata.namespace ?? '';
    const name = sa.metadata.name!;
    if (deleted) {
      this.authenticator.deleteServiceAccount(cluster, ns, name);
      return;
    }
    this.authenticator.setServiceAccount(cluster, ns, name, sa.metadata.uid ?? '');
    for (const [sk, key] of this.waiting) {
      if (key.cluster === cluster && key.namespace === ns) { this.waiting.delete(sk); this.later(key, 0); }
    }
  }

  private onSecret(key: ObjectKey, s: KubeObject, deleted: boolean): void {
    if (deleted || s.type !== SA_TOKEN_SECRET_TYPE || s.metadata.deletionTimestamp) {
      this.authenticator.deleteSecret(key.cluster, key.namespace, key.name);
      this.waiting.delete(k(key.cluster, key.namespace, key.name));
      return;
    }
    const sa = s.metadata.annotations?.[SA_NAME_ANNOTATION];
    if (!sa) { this.authenticator.deleteSecret(key.cluster, key.namespace, key.name); return; }
    const token = decode(s.data?.token);
    if (token) {
      this.authenticator.setSecretToken({
        cluster: key.cluster, namespace: key.namespace, secretName: key.name, serviceAccount: sa,
        serviceAccountUID: s.metadata.annotations?.[SA_UID_ANNOTATION] || undefined,
        syncerFor: s.metadata.labels?.[SYNCER_FOR_LABEL] || undefined,
      }, token);
      return;
    }
    this.authenticator.deleteSecret(key.cluster, key.namespace, key.name);
    this.later(key, 0);
  }

  private later(key: ObjectKey, delay: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.populate(key).catch((err) => {
        this.d.log.error({ err, cluster: key.cluster, namespace: key.namespace, secret: key.name }, 'cannot fill service-account token; retrying');
        this.later(key, RETRY_MS);
      });
    }, delay);
    t.unref();
    this.timers.add(t);
  }

  /** Writes token, ca.crt and namespace into the Secret once its ServiceAccount exists. */
  private async populate(key: ObjectKey): Promise<void> {
    const sk = k(key.cluster, key.namespace, key.name);
    const cur = await this.d.store.get(key);
    if (!cur || cur.type !== SA_TOKEN_SECRET_TYPE || cur.metadata.deletionTimestamp || decode(cur.data?.token)) return;
    const sa = cur.metadata.annotations?.[SA_NAME_ANNOTATION];
    if (!sa) return;
    const uid = this.authenticator.serviceAccountUID(key.cluster, key.namespace, sa);
    if (uid === undefined) { this.waiting.set(sk, key); return; } // filled when the SA appears
    const token = randomBytes(32).toString('base64url');
    await this.d.store.update(key, (obj) => {
      if (decode(obj.data?.token)) return obj;
      return {
        ...obj,
        metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [SA_UID_ANNOTATION]: uid } },
        data: {
          ...(obj.data ?? {}),
          token: Buffer.from(token).toString('base64'),
          'ca.crt': Buffer.from(this.d.caPem).toString('base64'),
          namespace: Buffer.from(key.namespace).toString('base64'),
        },
      };
    });
  }
}

function decode(b64: unknown): string {
  if (typeof b64 !== 'string' || !b64) return '';
  return Buffer.from(b64, 'base64').toString('utf8');
}
