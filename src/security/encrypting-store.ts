/**
 * A Store decorator that keeps Secret `data` sealed on disk (`--encryption-key-file`, see
 * docs/security.md). Objects whose storage resource is `secrets` (core group) are encrypted with
 * `SecretEncryption` on create/update and decrypted on every way out: get, list, watch events,
 * update/delete results and the raw (JSON text) fast paths. Every other resource passes through
 * untouched.
 *
 * No-op updates stay no-ops: encryption uses a fresh nonce per write, so a value whose plaintext
 * did not change keeps its stored envelope (when it was sealed with the current primary key) and
 * the backend's "unchanged → no new revision" check still sees equal objects.
 *
 * Reading a value sealed with a key that is not configured (or with no key at all) fails with an
 * `EncryptionError` naming the key — never ciphertext handed out as data.
 *
 * Watch/list filters run in the backend on the stored form; selectors on Secrets (labels,
 * metadata.name/namespace, type) never look at `data`, so that is the same answer.
 *
 * May import: storage types (read only), security leaves.
 */
import type {
  KeyPrefix, KubeObject, ListOptions, ListResult, ObjectKey, Preconditions, RawListResult, Store,
  UpdateFn, WatchEvent, WatchHandlers, WatchOptions, Watcher,
} from '../storage/types.js';
import { ENVELOPE_PREFIX, EncryptionError, SecretEncryption } from './encryption.js';
import { stringifyJSON } from '../machinery/json-text.js';

/** The storage resources whose `data` is encrypted (group-qualified, core group has none). */
export const ENCRYPTED_RESOURCES: ReadonlySet<string> = new Set(['secrets']);

type DataMap = Record<string, unknown>;

export class EncryptingStore implements Store {
  readonly backend: Store['backend'];
  readonly getRaw?: (key: ObjectKey) => Promise<string | undefined>;
  readonly listRaw?: (prefix: KeyPrefix, opts?: ListOptions) => Promise<RawListResult>;
  readonly resourcesIn?: (cluster: string) => Promise<string[]>;
  /** Envelope prefix of the primary (encrypting) key, `k8s:enc:aesgcm:v1:<id>:`; '' when disabled. */
  private readonly primaryPrefix: string;

  constructor(private readonly inner: Store, private readonly enc: SecretEncryption) {
    this.backend = inner.backend;
    this.primaryPrefix = primaryPrefixOf(enc);
    // Offer the raw fast paths only when the backend has them; callers fall back otherwise.
    if (inner.getRaw) this.getRaw = (key) => this.getRawImpl(key);
    if (inner.listRaw) this.listRaw = (prefix, opts) => this.listRawImpl(prefix, opts);
    if (inner.resourcesIn) this.resourcesIn = (cluster) => inner.resourcesIn!(cluster);
  }

  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    const obj = await this.inner.get(key);
    return obj && this.applies(key.resource) ? this.open(obj) : obj;
  }

  async list(prefix: KeyPrefix, opts?: ListOptions): Promise<ListResult> {
    const res = await this.inner.list(prefix, opts);
    if (!this.applies(prefix.resource)) return res;
    return { ...res, items: res.items.map((o) => this.open(o)) };
  }

  private async getRawImpl(key: ObjectKey): Promise<string | undefined> {
    const text = await this.inner.getRaw!(key);
    if (text === undefined || !this.applies(key.resource) || !text.includes(ENVELOPE_PREFIX)) return text;
    return stringifyJSON(this.open(JSON.parse(text) as KubeObject));
  }

  private async listRawImpl(prefix: KeyPrefix, opts?: ListOptions): Promise<RawListResult> {
    const res = await this.inner.listRaw!(prefix, opts);
    if (!this.applies(prefix.resource) || !res.items.some((t) => t.includes(ENVELOPE_PREFIX))) return res;
    return {
      ...res,
      items: res.items.map((t) => (t.includes(ENVELOPE_PREFIX) ? stringifyJSON(this.open(JSON.parse(t) as KubeObject)) : t)),
    };
  }

  async create(key: ObjectKey, obj: KubeObject): Promise<KubeObject> {
    if (!this.applies(key.resource)) return this.inner.create(key, obj);
    return this.open(await this.inner.create(key, this.enc.encrypt(obj)));
  }

  async update(key: ObjectKey, next: KubeObject | UpdateFn, preconditions?: Preconditions): Promise<KubeObject> {
    if (!this.applies(key.resource)) return this.inner.update(key, next, preconditions);
    const fn: UpdateFn = (stored) => {
      // Snapshots before the caller's transform can touch anything.
      const storedData: DataMap = { ...(stored.data ?? {}) };
      const plain = this.open(stored);
      const plainData: DataMap = { ...(plain.data ?? {}) };
      const out = typeof next === 'function' ? next(plain) : next;
      const seal = (o: KubeObject) => this.seal(o, storedData, plainData);
      return isPromiseLike(out) ? Promise.resolve(out).then(seal) : seal(out);
    };
    return this.open(await this.inner.update(key, fn, preconditions));
  }

  async delete(key: ObjectKey, preconditions?: Preconditions): Promise<KubeObject> {
    const last = await this.inner.delete(key, preconditions);
    if (!this.applies(key.resource)) return last;
    try {
      return this.open(last);
    } catch (e) {
      // The Secret is gone either way; don't turn a successful delete into an error, but never
      // hand out the sealed values either.
      if (e instanceof EncryptionError) return { ...last, data: {} };
      throw e;
    }
  }

  watch(prefix: KeyPrefix, opts: WatchOptions, handlers: WatchHandlers): Watcher {
    if (!this.applies(prefix.resource)) return this.inner.watch(prefix, opts, handlers);
    return this.inner.watch(prefix, opts, {
      onEvent: (ev: WatchEvent) => {
        handlers.onEvent({
          ...ev,
          object: this.open(ev.object),
          ...(ev.prevObject ? { prevObject: this.open(ev.prevObject) } : {}),
        });
      },
      ...(handlers.onClose ? { onClose: (reason: Error | undefined) => handlers.onClose!(reason) } : {}),
    });
  }

  currentResourceVersion(): Promise<string> { return this.inner.currentResourceVersion(); }

  close(): Promise<void> { return this.inner.close(); }

  private applies(resource: string): boolean { return ENCRYPTED_RESOURCES.has(resource); }

  private open(obj: KubeObject): KubeObject { return this.enc.decrypt(obj); }

  /**
   * Encrypts `obj` for storage; values whose plaintext equals what is stored keep their stored
   * envelope when it is sealed with the primary key (so an unchanged Secret compares equal and a
   * rotation rewrite still re-seals values under the new key).
   */
  private seal(obj: KubeObject, storedData: DataMap, plainData: DataMap): KubeObject {
    const sealed = this.enc.encrypt(obj);
    if (!sealed.data || typeof sealed.data !== 'object' || !this.primaryPrefix) return sealed;
    const src = obj.data as DataMap;
    const sealedData = sealed.data as DataMap;
    let data: DataMap | undefined;
    for (const [k, v] of Object.entries(src)) {
      const old = storedData[k];
      if (typeof v === 'string' && plainData[k] === v && typeof old === 'string' && old.startsWith(this.primaryPrefix)
        && sealedData[k] !== old) {
        data = data ?? { ...sealedData };
        data[k] = old;
      }
    }
    return data ? ({ ...sealed, data } as KubeObject) : sealed;
  }
}

/** Wraps `store` so Secret data is sealed with `enc`. */
export function withSecretEncryption(store: Store, enc: SecretEncryption): Store {
  return new EncryptingStore(store, enc);
}

function primaryPrefixOf(enc: SecretEncryption): string {
  if (!enc.enabled) return '';
  const probe = enc.encrypt({ data: { probe: '' } }).data!.probe;
  const id = probe.slice(ENVELOPE_PREFIX.length, probe.indexOf(':', ENVELOPE_PREFIX.length));
  return `${ENVELOPE_PREFIX}${id}:`;
}

function isPromiseLike<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown })?.then === 'function';
}
