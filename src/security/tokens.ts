/**
 * Bearer tokens: a static token file (`--token-auth-file`, kube's CSV format) and a registry of
 * tokens the server mints itself (pull agents, service-account-like credentials).
 *
 * Minted tokens are 32 random bytes (base64url). Only their SHA-256 is kept, so neither a memory
 * dump, a log line nor a persisted snapshot (`snapshot()`) can be replayed as a credential.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { withAuthenticatedGroup, type UserInfo } from './user.js';

/** Resolves a bearer token to a user, or undefined when the token is unknown. */
export interface TokenAuthenticator {
  verify(token: string): UserInfo | undefined;
}

// ---------------------------------------------------------------------------------- token file

/**
 * Parses kube's static token file: one `token,user,uid[,"group1,group2"]` record per line, CSV
 * quoting, blank lines ignored. A later duplicate token wins (kube warns and does the same).
 */
export function parseTokenFile(text: string, source = 'token file'): Map<string, UserInfo> {
  const out = new Map<string, UserInfo>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const rec = parseCSVLine(line, `${source}:${i + 1}`);
    if (rec.length < 3) throw new Error(`${source}:${i + 1}: want at least 3 fields (token,user,uid), got ${rec.length}`);
    const [token, name, uid, groups] = rec;
    if (!token) throw new Error(`${source}:${i + 1}: empty token`);
    if (!name) throw new Error(`${source}:${i + 1}: empty user name`);
    const gs = groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [];
    out.set(token, { name, uid, groups: gs });
  });
  return out;
}

/** RFC 4180 fields of one line; leading spaces are trimmed as Go's csv TrimLeadingSpace does. */
function parseCSVLine(line: string, where: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new Error(`${where}: unterminated quoted field`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new Error(`${where}: unexpected text after quoted field`);
    } else {
      const end = line.indexOf(',', i);
      field = end < 0 ? line.slice(i) : line.slice(i, end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** Tokens from a `--token-auth-file`. */
export class StaticTokenFile implements TokenAuthenticator {
  private constructor(private readonly tokens: Map<string, UserInfo>) {}

  static fromText(text: string, source?: string): StaticTokenFile {
    return new StaticTokenFile(parseTokenFile(text, source));
  }

  static fromFile(path: string): StaticTokenFile {
    return StaticTokenFile.fromText(readFileSync(path, 'utf8'), path);
  }

  get size(): number { return this.tokens.size; }

  verify(token: string): UserInfo | undefined {
    const u = this.tokens.get(token);
    return u && { ...u, groups: withAuthenticatedGroup(u.groups) };
  }
}

// ------------------------------------------------------------------------------ token registry

/** What the registry keeps per token: never the token itself. */
export interface TokenRecord {
  /** hex SHA-256 of the token. */
  hash: string;
  user: string;
  uid?: string;
  groups: string[];
  /** RFC 3339; absent = no expiry. */
  expires?: string;
}

export interface IssueOptions {
  uid?: string;
  /** Lifetime in seconds; absent = until revoked. */
  ttlSeconds?: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenRegistry implements TokenAuthenticator {
  private readonly byHash = new Map<string, TokenRecord>();

  /** Mints a token for `user`; the caller hands it out once, the registry forgets it. */
  issue(user: string, groups: string[] = [], opts: IssueOptions = {}): string {
    if (!user) throw new Error('TokenRegistry.issue: user must not be empty');
    const token = randomBytes(32).toString('base64url');
    const rec: TokenRecord = { hash: hashToken(token), user, groups: [...groups] };
    if (opts.uid) rec.uid = opts.uid;
    if (opts.ttlSeconds !== undefined) rec.expires = new Date(Date.now() + opts.ttlSeconds * 1000).toISOString();
    this.byHash.set(rec.hash, rec);
    return token;
  }

  verify(token: string): UserInfo | undefined {
    if (!token) return undefined;
    const rec = this.byHash.get(hashToken(token));
    if (!rec) return undefined;
    if (rec.expires && Date.parse(rec.expires) <= Date.now()) {
      this.byHash.delete(rec.hash);
      return undefined;
    }
    const u: UserInfo = { name: rec.user, groups: withAuthenticatedGroup(rec.groups) };
    if (rec.uid) u.uid = rec.uid;
    return u;
  }

  revoke(token: string): boolean {
    return this.byHash.delete(hashToken(token));
  }

  /** Revokes every token of `user` (e.g. a ClusterRegistration was deleted); returns how many. */
  revokeUser(user: string): number {
    let n = 0;
    for (const [h, r] of this.byHash) if (r.user === user) { this.byHash.delete(h); n++; }
    return n;
  }

  /** Hashed records, for persisting (a Secret, a file) and `restore` after a restart. */
  snapshot(): TokenRecord[] {
    return [...this.byHash.values()].map((r) => ({ ...r, groups: [...r.groups] }));
  }

  restore(records: TokenRecord[]): void {
    for (const r of records) {
      if (!/^[0-9a-f]{64}$/.test(r.hash) || !r.user) throw new Error('TokenRegistry.restore: malformed record');
      this.byHash.set(r.hash, { ...r, groups: [...r.groups] });
    }
  }

  get size(): number { return this.byHash.size; }
}
