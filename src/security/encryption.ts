/**
 * Encryption at rest for Secret `data` (`--encryption-key-file`).
 *
 * Each value of `data` is encrypted on its own with AES-256-GCM and stored as
 *
 *   k8s:enc:aesgcm:v1:<keyid>:<base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag)>
 *
 * Per value (not whole-object) so the object keeps its shape in storage: keys stay visible for
 * debugging and field-level tooling, only the secret bytes are sealed. The data key's name is the
 * GCM additional data, so a ciphertext cannot be moved to another key unnoticed.
 *
 * The key file holds one key per line, `<keyid>:<base64 32 bytes>` or just `<base64 32 bytes>`
 * (keyid = first 8 hex digits of the key's SHA-256). The first key encrypts; all of them decrypt,
 * which is how keys are rotated. Values without the prefix are read as plaintext, so turning
 * encryption on needs no migration. Without a key file, encrypt is a no-op and decrypt fails
 * clearly on encrypted values instead of handing out ciphertext.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const ENVELOPE_PREFIX = 'k8s:enc:aesgcm:v1:';

export interface EncryptionKey { id: string; key: Buffer }

/** Objects with a `data` map of base64 strings (Secrets). */
type WithData = { data?: Record<string, string> | null } & Record<string, unknown>;

export class EncryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionError';
  }
}

export function parseKeyFile(text: string, source = 'encryption key file'): EncryptionKey[] {
  const keys: EncryptionKey[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const colon = line.lastIndexOf(':');
    const b64 = colon >= 0 ? line.slice(colon + 1) : line;
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) {
      throw new EncryptionError(`${source}:${i + 1}: key must be 32 bytes of base64 (got ${key.length} bytes)`);
    }
    const id = colon >= 0 ? line.slice(0, colon) : createHash('sha256').update(key).digest('hex').slice(0, 8);
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new EncryptionError(`${source}:${i + 1}: key id "${id}" may only use [A-Za-z0-9._-]`);
    if (keys.some((k) => k.id === id)) throw new EncryptionError(`${source}:${i + 1}: duplicate key id "${id}"`);
    keys.push({ id, key });
  });
  if (keys.length === 0) throw new EncryptionError(`${source}: no key found`);
  return keys;
}

/** A fresh key-file line, for docs, tests and `tmcctl`. */
export function generateKeyLine(id = 'key1'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export class SecretEncryption {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: EncryptionKey[] = []) {
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  static none(): SecretEncryption { return new SecretEncryption([]); }

  static fromKeyFile(path: string | undefined): SecretEncryption {
    return path ? new SecretEncryption(parseKeyFile(readFileSync(path, 'utf8'), path)) : SecretEncryption.none();
  }

  get enabled(): boolean { return this.keys.length > 0; }

  /** A copy of `obj` with every `data` value sealed; `obj` itself when disabled or without data. */
  encrypt<T extends WithData>(obj: T): T {
    if (!this.enabled || !obj.data || typeof obj.data !== 'object') return obj;
    const { id, key } = this.keys[0];
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.data)) {
      data[k] = typeof v === 'string' && !v.startsWith(ENVELOPE_PREFIX) ? seal(id, key, k, v) : v;
    }
    return { ...obj, data };
  }

  /** A copy of `obj` with every sealed `data` value opened; throws EncryptionError if it can't. */
  decrypt<T extends WithData>(obj: T): T {
    if (!obj.data || typeof obj.data !== 'object') return obj;
    let data: Record<string, string> | undefined;
    for (const [k, v] of Object.entries(obj.data)) {
      if (typeof v !== 'string' || !v.startsWith(ENVELOPE_PREFIX)) continue;
      data ??= { ...obj.data };
      data[k] = this.open(k, v);
    }
    return data ? { ...obj, data } : obj;
  }

  isEncrypted(obj: WithData): boolean {
    return !!obj.data && Object.values(obj.data).some((v) => typeof v === 'string' && v.startsWith(ENVELOPE_PREFIX));
  }

  private open(dataKey: string, envelope: string): string {
    const rest = envelope.slice(ENVELOPE_PREFIX.length);
    const colon = rest.indexOf(':');
    const id = colon < 0 ? '' : rest.slice(0, colon);
    if (!this.enabled) {
      throw new EncryptionError(`Secret data "${dataKey}" is encrypted (key "${id}") but no --encryption-key-file is configured`);
    }
    const key = this.byId.get(id);
    if (!key) throw new EncryptionError(`Secret data "${dataKey}" is encrypted with key "${id}", which is not in the encryption key file`);
    const blob = Buffer.from(rest.slice(colon + 1), 'base64');
    if (blob.length < 12 + 16) throw new EncryptionError(`Secret data "${dataKey}": encrypted value is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
    decipher.setAAD(Buffer.from(dataKey, 'utf8'));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    try {
      const plain = Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]);
      return plain.toString('base64');
    } catch {
      throw new EncryptionError(`Secret data "${dataKey}" cannot be decrypted with key "${id}": wrong key or corrupted data`);
    }
  }
}

/** Seals the decoded bytes of a base64 `data` value. */
function seal(id: string, key: Buffer, dataKey: string, valueB64: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(dataKey, 'utf8'));
  const ct = Buffer.concat([cipher.update(Buffer.from(valueB64, 'base64')), cipher.final()]);
  return `${ENVELOPE_PREFIX}${id}:${Buffer.concat([nonce, ct, cipher.getAuthTag()]).toString('base64')}`;
}
