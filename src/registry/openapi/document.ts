/**
 * The OpenAPI v3 documents kubectl reads (k8s-wire.md §1 "OpenAPI"): /openapi/v3 (discovery: one
 * serverRelativeURL per group-version, with a content hash) and /openapi/v3/<api/v1|apis/g/v>.
 * Pure functions of their input: equal input gives byte-identical output and hash, so callers can
 * cache by catalog generation and clients by hash.
 */
import { createHash } from 'node:crypto';
import type { ResourceDef } from '../types.js';
import { kindComponents, metaComponents } from './components.js';
import { gvPath } from './names.js';
import { pathsForDef } from './paths.js';

export interface GroupVersion { group: string; version: string }

export function buildGroupVersionDocument(defs: ResourceDef[], gv: GroupVersion): Record<string, unknown> {
  const mine = defs.filter((d) => d.group === gv.group && d.version === gv.version)
    .sort((a, b) => a.resource.localeCompare(b.resource));
  const paths: Record<string, unknown> = {};
  let schemas: Record<string, unknown> = {};
  for (const def of mine) {
    Object.assign(paths, pathsForDef(def));
    schemas = { ...schemas, ...kindComponents(def) };
  }
  schemas = { ...schemas, ...metaComponents(mine.some((d) => d.subresources.scale)) };
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schemas[k]]));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: {
      schemas: sorted,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** kube-openapi's hash: upper-case hex SHA-512 of the serialized document. */
export function documentHash(doc: unknown): string {
  return createHash('sha512').update(typeof doc === 'string' ? doc : JSON.stringify(doc)).digest('hex').toUpperCase();
}

export interface GroupVersionEntry extends GroupVersion {
  /** The GV's document (or its serialization); its hash goes into the URL. */
  document?: unknown;
  /** A precomputed hash (wins over document). */
  hash?: string;
}

/** The /openapi/v3 discovery document: `{paths: {"api/v1": {serverRelativeURL: "/openapi/v3/api/v1?hash=…"}}}`. */
export function buildOpenAPIV3Discovery(groupVersions: GroupVersionEntry[]): { paths: Record<string, { serverRelativeURL: string }> } {
  const entries = [...groupVersions].sort((a, b) => gvPath(a.group, a.version).localeCompare(gvPath(b.group, b.version)));
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of entries) {
    const p = gvPath(gv.group, gv.version);
    const hash = gv.hash ?? documentHash(gv.document ?? p);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

/** Convenience: every GV document and the discovery for a set of defs. */
export function buildOpenAPIV3(defs: ResourceDef[]): { discovery: ReturnType<typeof buildOpenAPIV3Discovery>; documents: Map<string, Record<string, unknown>> } {
  const gvs = new Map<string, GroupVersion>();
  for (const d of defs) gvs.set(gvPath(d.group, d.version), { group: d.group, version: d.version });
  const documents = new Map<string, Record<string, unknown>>();
  for (const [p, gv] of gvs) documents.set(p, buildGroupVersionDocument(defs, gv));
  const discovery = buildOpenAPIV3Discovery([...gvs.entries()].map(([p, gv]) => ({ ...gv, document: documents.get(p) })));
  return { discovery, documents };
}
