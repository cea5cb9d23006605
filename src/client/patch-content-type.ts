/** The Content-Type each patch flavour travels as (k8s-wire.md §4). */
import type { PatchType } from './types.js';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  // Apply bodies are YAML by media type, and JSON is valid YAML, so we send JSON.
  apply: 'application/apply-patch+yaml',
};
