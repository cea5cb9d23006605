/**
 * Content negotiation: which representation the client asked for (Table, aggregated discovery,
 * plain JSON) and which patch type a request body is.
 */
import { notAcceptable, unsupportedMediaType } from '../errors/status.js';

export interface MediaType { type: string; params: Record<string, string> }

export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [];
  return header.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p: Record<string, string> = {};
    for (const kv of params) {
      const eq = kv.indexOf('=');
      if (eq > 0) p[kv.slice(0, eq).trim()] = kv.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params: p };
  });
}

/** 'Table' when the client asked for meta.k8s.io Table (v1 or v1beta1), else 'Object'. */
export function wantsTable(accept: string | undefined): { table: boolean; version: 'v1' | 'v1beta1' } {
  if (!accept || !accept.includes('as=Table')) return { table: false, version: 'v1' };
  for (const m of parseAccept(accept)) {
    if (m.params.as === 'Table') {
      if (m.params.g !== 'meta.k8s.io') continue;
      if (m.params.v === 'v1' || m.params.v === 'v1beta1') return { table: true, version: m.params.v };
      continue;
    }
    if (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') return { table: false, version: 'v1' };
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/json;as=Table;g=meta.k8s.io;v=v1');
}

export function wantsAggregatedDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept || !accept.includes('apidiscovery.k8s.io')) return undefined;
  for (const m of parseAccept(accept)) {
    if (m.params.g === 'apidiscovery.k8s.io' && m.params.as === 'APIGroupDiscoveryList') {
      if (m.params.v === 'v2' || m.params.v === 'v2beta1') return m.params.v;
    }
    if (m.type === 'application/json' && !m.params.g) return undefined;
  }
  return undefined;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+json': 'apply',
};

export function patchTypeOf(contentType: string | undefined, builtin: boolean): PatchType {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const t = PATCH_TYPES[ct];
  const accepted = builtin
    ? 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json'
    : 'application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';
  if (!t || (t === 'strategic' && !builtin)) {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${accepted}`);
  }
  return t;
}
