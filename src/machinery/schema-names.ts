/**
 * The name of a shipped APIResourceSchema. Schemas are immutable (a new schema gets a new name), so
 * a name that stayed the same across versions would leave an upgraded data directory serving the
 * old schema, pruning every field added since. As kcp's apigen does (`v<date>-<hash>`), the prefix
 * changes with the content: `v<8 hex of sha256 of the spec>.<plural>.<group>`, `core` for the
 * legacy group. No date, so the same spec always gets the same name (codegen --check stays clean).
 */
import { createHash } from 'node:crypto';
import { canonicalJSON } from './json-text.js';

export interface SchemaSpecLike {
  group: string;
  names: { plural: string };
}

/** The content prefix of a schema spec: `v` + 8 hex characters of its canonical JSON's sha256. */
export function schemaContentPrefix(spec: SchemaSpecLike): string {
  return `v${createHash('sha256').update(canonicalJSON(spec)).digest('hex').slice(0, 8)}`;
}

/** `<content prefix>.<plural>.<group>`: the name under which this exact spec is shipped. */
export function apiResourceSchemaNameOf(spec: SchemaSpecLike): string {
  return `${schemaContentPrefix(spec)}.${spec.names.plural}.${spec.group || 'core'}`;
}
