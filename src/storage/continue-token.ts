/**
 * The opaque `continue` token of a paginated list: the revision the first page was served at and
 * the last key returned, as base64 JSON. The resource is not in the token: the next request names
 * it again, and the token is only a cursor inside it.
 */
import { badRequest } from '../errors/status.js';
import type { ObjectKey } from './types.js';

export interface ContinuePoint {
  /** The revision of the first page; later pages report it as the list's resourceVersion. */
  revision: number;
  /** The last key returned; the next page starts strictly after it. */
  after: Pick<ObjectKey, 'cluster' | 'namespace' | 'name'>;
}

interface TokenWire { v: 1; rv: number; k: [string, string, string] }

export function encodeContinue(p: ContinuePoint): string {
  const wire: TokenWire = { v: 1, rv: p.revision, k: [p.after.cluster, p.after.namespace, p.after.name] };
  return Buffer.from(JSON.stringify(wire), 'utf8').toString('base64');
}

/** A malformed token is the client's mistake: 400, never a crash. */
export function decodeContinue(token: string): ContinuePoint {
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: not base64-encoded JSON');
  }
  const w = wire as Partial<TokenWire> | null;
  if (!w || typeof w !== 'object' || w.v !== 1 || !Number.isSafeInteger(w.rv) || (w.rv as number) < 0
    || !Array.isArray(w.k) || w.k.length !== 3 || !w.k.every((s) => typeof s === 'string')) {
    throw badRequest('continue key is not valid: unrecognised structure');
  }
  return { revision: w.rv as number, after: { cluster: w.k[0], namespace: w.k[1], name: w.k[2] } };
}
