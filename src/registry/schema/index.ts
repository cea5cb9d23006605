/** Structural-schema machinery over JSONSchemaProps (apiextensions.k8s.io/v1 semantics). */
export { validateObject, type ValidateOptions } from './validate.js';
export { applyDefaults, dropNulls } from './defaults.js';
export { prune, type PruneOptions } from './prune.js';
export { validateStructuralSchema, type StructuralOptions } from './structural.js';
export { forEachValidationRule, type ValidationRuleVisitor } from './walk.js';
export {
  validateObjectMeta, validateLabels, validateAnnotations, validateFinalizers,
  TOTAL_ANNOTATION_SIZE_LIMIT, type ObjectMetaOptions,
} from './meta.js';
export { satisfiesFormat } from './formats.js';
