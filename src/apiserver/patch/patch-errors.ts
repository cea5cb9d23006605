/**
 * The StatusErrors patch handling returns, worded as kube's endpoints/handlers/patch.go words them.
 */
import { badRequest, StatusError, unsupportedMediaType } from '../../errors/status.js';

export const JSON_PATCH_CONTENT_TYPE = 'application/json-patch+json';
export const MERGE_PATCH_CONTENT_TYPE = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH_CONTENT_TYPE = 'application/strategic-merge-patch+json';
export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';

/** At most this many operations in one JSON patch (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** The 415 text for a patch type the resource does not accept (CRDs refuse strategic merge). */
export function unsupportedPatchMessage(accepted: string[]): string {
  return `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
}

/** Exactly what kube answers to a strategic merge patch on a custom resource. */
export const CUSTOM_RESOURCE_PATCH_TYPES = [JSON_PATCH_CONTENT_TYPE, MERGE_PATCH_CONTENT_TYPE, APPLY_PATCH_CONTENT_TYPE];
export const BUILTIN_PATCH_TYPES = [
  JSON_PATCH_CONTENT_TYPE, MERGE_PATCH_CONTENT_TYPE, STRATEGIC_MERGE_PATCH_CONTENT_TYPE, APPLY_PATCH_CONTENT_TYPE,
];

export function smpNotSupportedMessage(): string {
  return unsupportedPatchMessage(CUSTOM_RESOURCE_PATCH_TYPES);
}

export function unsupportedPatchType(builtin: boolean): StatusError {
  return unsupportedMediaType(unsupportedPatchMessage(builtin ? BUILTIN_PATCH_TYPES : CUSTOM_RESOURCE_PATCH_TYPES));
}

/**
 * A patch that is well formed but cannot be applied to this object: 422 with kube's generic
 * message and the reason in a cause (errors.NewGenericServerResponse(422, ...)).
 */
export function patchNotApplicable(reason: string): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {
    causes: [{ reason: 'UnexpectedServerResponse', message: reason }],
  });
}

export function tooManyPatchOperations(n: number): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge',
    `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${n}`);
}

/** A body that does not parse: 400 BadRequest. */
export function malformedPatch(detail: string): StatusError {
  return badRequest(detail);
}
