/**
 * Serves /openapi/v3 per logical cluster: the discovery document and one document per
 * group-version, built from the catalog and cached until the catalog changes; and /openapi/v2
 * (JSON and gnostic protobuf), derived from the same documents, built on first request.
 */
import { createHash } from 'node:crypto';
import type { ResourceCatalog } from '../registry/catalog.js';
import { buildGroupVersionDocument } from '../registry/openapi/index.js';
import { buildOpenAPIV2Document } from '../registry/openapi/v2.js';
import { encodeOpenAPIV2 } from './openapi-v2-proto.js';
import type { ResourceDef } from '../registry/types.js';

interface Cached { discovery: string; docs: Map<string, string>; defs: ResourceDef[]; v2?: OpenAPIV2 }

/** One cluster's /openapi/v2, in both encodings. */
export interface OpenAPIV2 { json: string; proto: Buffer; etag: string }

/**
 * Documents are built from a cluster's resource list (`catalog.all`) and kept for as long as the
 * catalog keeps that list, as discovery's are: workspaces serving just the built-ins share them.
 */
export class OpenAPIService {
  private readonly byDefs = new WeakMap<ResourceDef[], Cached>();

  constructor(private readonly catalog: ResourceCatalog) {}

  private build(cluster: string): Cached {
    const defs = this.catalog.all(cluster);
    const hit = this.byDefs.get(defs);
    if (hit) return hit;
    const byGV = new Map<string, ResourceDef[]>();
    for (const d of defs) {
      const p = d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
      let l = byGV.get(p);
      if (!l) { l = []; byGV.set(p, l); }
      l.push(d);
    }
    const docs = new Map<string, string>();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [p, gvDefs] of byGV) {
      const text = JSON.stringify(buildGroupVersionDocument(gvDefs, { group: gvDefs[0].group, version: gvDefs[0].version }));
      docs.set(p, text);
      const hash = createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase();
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
    }
    const c: Cached = { discovery: JSON.stringify({ paths }), docs, defs };
    this.byDefs.set(defs, c);
    return c;
  }

  discovery(cluster: string): string { return this.build(cluster).discovery; }

  v2(cluster: string): OpenAPIV2 {
    const c = this.build(cluster);
    if (!c.v2) {
      const doc = buildOpenAPIV2Document(c.defs);
      const json = JSON.stringify(doc);
      // kube-openapi's ETag: the quoted hex SHA-512 of the JSON
      c.v2 = { json, proto: Buffer.from(encodeOpenAPIV2(doc)), etag: `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"` };
    }
    return c.v2;
  }

  groupVersion(cluster: string, gvPath: string): string | undefined {
    return this.build(cluster).docs.get(gvPath.replace(/\/$/, ''));
  }
}
