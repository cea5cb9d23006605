/**
 * Turning "this workspace does not serve the TMC API" (a 404 without an object name, as for an
 * unknown resource path) into an error that says to bind it.
 */
import { isNotFound, isStatusError } from '../errors/status.js';
import { CliError } from './errors.js';

/** A 404 for the resource itself rather than for one named object. */
export function isResourceNotServed(e: unknown): boolean {
  return isNotFound(e) && isStatusError(e) && !e.details?.name;
}

/** Runs `fn`; a not-served 404 becomes a CliError naming the fix. */
export async function requireServed<T>(workspace: string, resource: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isResourceNotServed(e)) {
      throw new CliError(`${resource} are not served in ${workspace}: bind the TMC API there first ("tmcctl bind all --workspace ${workspace}")`);
    }
    throw e;
  }
}
