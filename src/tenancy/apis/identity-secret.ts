/**
 * The Secret behind an export's identity (identity.ts): read it, or create it (and its namespace)
 * the first time, as kcp's apiexport controller does. The only I/O the export reconcile needs.
 */
import { StatusError } from '../../errors/status.js';
import type { GenericStore, RequestScope } from '../../registry/generic-store.js';
import type { ResourceDef } from '../../registry/types.js';
import type { KubeObject, Store } from '../../storage/types.js';
import { IDENTITY_KEY, IDENTITY_NAMESPACE, identityHash, newIdentityKey } from './identity.js';

export interface IdentitySecretDeps {
  store: Store;
  generic: GenericStore;
  resolveDef: (cluster: string, group: string, version: string, resource: string) => ResourceDef | undefined;
  scope(cluster: string, namespace?: string): RequestScope;
}

/** The export's identity hash, creating its key Secret when there is none. */
export async function ensureIdentity(d: IdentitySecretDeps, cluster: string, exp: KubeObject): Promise<string> {
  const ref = exp.spec?.identity?.secretRef as { namespace?: string; name?: string } | undefined;
  const ns = ref?.namespace ?? IDENTITY_NAMESPACE;
  const secretName = ref?.name ?? exp.metadata.name!;
  const key = { cluster, resource: 'secrets', namespace: ns, name: secretName };
  let secret = await d.store.get(key);
  if (!secret) {
    await ensureNamespace(d, cluster, ns);
    const data = { [IDENTITY_KEY]: Buffer.from(newIdentityKey()).toString('base64') };
    const def = d.resolveDef(cluster, '', 'v1', 'secrets')!;
    try {
      secret = await d.generic.create(d.scope(cluster, ns), def, { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace: ns }, type: 'Opaque', data });
    } catch (e) {
      if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
      secret = (await d.store.get(key))!;
    }
  }
  const raw = secret.data?.[IDENTITY_KEY] as string | undefined;
  return identityHash(raw ? Buffer.from(raw, 'base64').toString('utf8') : '');
}

async function ensureNamespace(d: IdentitySecretDeps, cluster: string, ns: string): Promise<void> {
  if (await d.store.get({ cluster, resource: 'namespaces', namespace: '', name: ns })) return;
  const def = d.resolveDef(cluster, '', 'v1', 'namespaces')!;
  try {
    await d.generic.create(d.scope(cluster), def, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
  }
}
