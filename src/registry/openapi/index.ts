/** OpenAPI v3 for kubectl (apply/create --validate=strict, explain): discovery and per-GV documents. */
export {
  buildGroupVersionDocument, buildOpenAPIV3Discovery, buildOpenAPIV3, documentHash,
  type GroupVersion, type GroupVersionEntry,
} from './document.js';
export { componentName, componentPrefix, gvPath, OBJECT_META } from './names.js';
