/**
 * The CEL type a schema node gets as `self`/`oldSelf`, so the checker refuses ill-typed rules at
 * CRD create time (`self.replicas + "a"`), as kube's schema-derived declarations do. Anything the
 * engine cannot type precisely (int-or-string, preserved unknown fields, formatted strings that
 * values.ts turns into timestamps or bytes) is `dyn`.
 */
import type { CelTypeName } from '../../cel/index.js';
import type { JSONSchemaProps } from '../../registry/types.js';

export function celTypeOf(s: JSONSchemaProps): CelTypeName {
  if (s['x-kubernetes-int-or-string'] || s['x-kubernetes-preserve-unknown-fields']) return 'dyn';
  switch (s.type) {
    case 'integer': return 'int';
    case 'number': return 'double';
    case 'boolean': return 'bool';
    case 'string': return s.format ? 'dyn' : 'string';
    case 'array': return 'list<dyn>';
    case 'object': return 'map<string, dyn>';
    default: return 'dyn';
  }
}
