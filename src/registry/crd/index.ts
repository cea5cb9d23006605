/** CustomResourceDefinitions: validation, defaulting, status, and the ResourceDefs they serve. */
export { validateCRD, validateSpec } from './validate.js';
export { defaultCRD } from './defaults.js';
export { resourceDefsFromCRD, resourceDefsFromSpec, versionSchema, wrapSchema, type DefsFromSpecOptions } from './to-defs.js';
export { crdStatusEstablished, isCRDEstablished } from './status.js';
export { isSimpleJSONPath } from './jsonpath.js';
export { dns1035LabelErrors } from './names.js';
export type * from './types.js';
