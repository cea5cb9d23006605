/**
 * Test wiring: the StartHooks the product will use for admission, plus the VAP defs served
 * through a catalog source (the wiring owner adds them to the built-ins instead).
 */
import type { StartHooks } from '../../src/cmd/start-server.js';
import { admissionHook, registerAdmissionRoutes, schemaRulesHook, validatingAdmissionPolicyDefs } from '../../src/admission/index.js';

export function admissionTestHooks(): StartHooks {
  const defs = validatingAdmissionPolicyDefs();
  return {
    admission: (deps) => {
      deps.catalog.addSource({ defsFor: () => defs, generation: () => 1 });
      return admissionHook(deps);
    },
    schemaRules: () => schemaRulesHook(),
    auxRoutes: (app, deps) => registerAdmissionRoutes(app, deps),
  };
}
