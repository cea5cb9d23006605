/**
 * Parsing resourceVersion strings. Revisions are decimal integers (one global counter per store);
 * anything else a client sends is a 400, as in kube's storage layer.
 */
import { badRequest } from '../errors/status.js';

/** undefined for '' / undefined; otherwise the integer, or 400 BadRequest. */
export function parseRevision(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^[0-9]+$/.test(rv)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  const n = Number(rv);
  if (!Number.isSafeInteger(n)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return n;
}
