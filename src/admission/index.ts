/**
 * Public API of admission: what the wiring (src/cmd/start-server.ts) plugs into StartHooks, and
 * the parts tests and other layers use.
 */
import type { AdmissionHook, SchemaRuleValidator } from '../registry/hooks.js';
import { createAdmission, type AdmissionDeps } from './setup.js';
import { createSchemaRuleValidator } from './schema-rules/index.js';

export { AdmissionChain } from './chain.js';
export type { AdmissionPlugin } from './plugin.js';
export { WatchCache } from './watch-cache.js';
export { createAdmission, type Admission, type AdmissionDeps } from './setup.js';
export { registerAdmissionRoutes, type AdmissionRouteDeps } from './webhook/routes.js';
export * from './schema-rules/index.js';
export * from './validating-policy/index.js';
export * from './placement/index.js';

/** StartHooks.admission: `admission: (deps) => admissionHook(deps)`. */
export function admissionHook(deps: AdmissionDeps): AdmissionHook {
  return createAdmission(deps).chain;
}

/** StartHooks.schemaRules: `schemaRules: () => schemaRulesHook()`. */
export function schemaRulesHook(): SchemaRuleValidator {
  return createSchemaRuleValidator();
}
