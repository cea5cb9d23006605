/** ValidatingAdmissionPolicy: served defs, the enforcing plugin and its parts. */
export { validatingAdmissionPolicyDefs, validatingAdmissionPolicyDef, validatingAdmissionPolicyBindingDef } from './defs.js';
export { ValidatingPolicyPlugin, POLICIES_RESOURCE, BINDINGS_RESOURCE, type ValidatingPolicyOptions } from './plugin.js';
export { compilePolicy, type CompiledPolicy } from './compile.js';
export { evaluatePolicy, type PolicyInput, type Outcome } from './evaluate.js';
export { validatePolicySpec, validateBindingSpec } from './validate-spec.js';
