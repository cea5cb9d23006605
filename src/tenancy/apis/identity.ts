/**
 * APIExport identities, as kcp: a random 256-bit key kept in a Secret; the identity hash is the
 * hex sha256 of the key. Bindings record the hash, so an export recreated with a new key is a
 * different API even under the same name.
 */
import { createHash, randomBytes } from 'node:crypto';

export const IDENTITY_NAMESPACE = 'kcp-system';
export const IDENTITY_KEY = 'key';

export function newIdentityKey(): string {
  return randomBytes(32).toString('base64');
}

export function identityHash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
