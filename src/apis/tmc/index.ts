/**
 * tmc.kcp.io/v1alpha1 in one import: the generated types (v1alpha1.ts), the GVR and kind
 * constants (gvr.ts) and the APIResourceSchemas/APIExport data the server bootstraps from
 * (schemas.ts), and the codec of a decision's evaluation (evaluation.ts). Everything but
 * schemas.ts and evaluation.ts is generated from openapi/; see docs/api.md.
 */
export * from './v1alpha1.js';
export * from './gvr.js';
export * from './schemas.js';
export * from './evaluation.js';
