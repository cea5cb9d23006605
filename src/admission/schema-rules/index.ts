/** CEL `x-kubernetes-validations`: the runtime validator and the CRD-time compile check. */
export { createSchemaRuleValidator, type SchemaRuleOptions } from './validator.js';
export { validateSchemaRules, validateCrdRules, validateAPIResourceSchemaRules, withRuleCompilation } from './crd-rules.js';
