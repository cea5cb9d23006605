/**
 * API discovery for one logical cluster: legacy (/api, /apis, /apis/<g>/<v>) and aggregated v2
 * documents, built from the catalog and cached per cluster until the catalog changes.
 */
import type { ResourceCatalog } from '../registry/catalog.js';
import type { ResourceDef } from '../registry/types.js';

interface GroupVersions { name: string; versions: string[]; defs: Map<string, ResourceDef[]> }

interface DiscoveryDocs {
  api: string; // legacy APIVersions
  apis: string; // legacy APIGroupList
  aggregatedApi: string;
  aggregatedApis: string;
  resourceLists: Map<string, string>; // "g/v" or "v1" → APIResourceList JSON
  groups: Map<string, GroupVersions>;
}

function groupsOf(defs: ResourceDef[]): Map<string, GroupVersions> {
  const groups = new Map<string, GroupVersions>();
  for (const d of defs) {
    let g = groups.get(d.group);
    if (!g) { g = { name: d.group, versions: [], defs: new Map() }; groups.set(d.group, g); }
    if (!g.defs.has(d.version)) { g.defs.set(d.version, []); g.versions.push(d.version); }
    g.defs.get(d.version)!.push(d);
  }
  for (const g of groups.values()) g.versions.sort(compareVersions);
  return groups;
}

/** kube version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = v.match(/^v(\d+)(?:(alpha|beta)(\d+))?$/);
    if (!m) return [0, 0, 0, v] as const;
    const stage = m[2] === 'alpha' ? 1 : m[2] === 'beta' ? 2 : 3;
    return [1, stage, Number(m[1]), Number(m[3] ?? 0)] as const;
  };
  const pa = parse(a), pb = parse(b);
  if (pa[0] !== pb[0]) return pb[0] - pa[0];
  if (pa[0] === 0) return String(pa[3]).localeCompare(String(pb[3]));
  if (pa[1] !== pb[1]) return pb[1] - pa[1];
  if (pa[2] !== pb[2]) return pb[2] - pa[2];
  return (pb[3] as number) - (pa[3] as number);
}

function apiResource(d: ResourceDef): Record<string, unknown> {
  const r: Record<string, unknown> = {
    name: d.resource, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs,
  };
  if (d.shortNames?.length) r.shortNames = d.shortNames;
  if (d.categories?.length) r.categories = d.categories;
  return r;
}

function resourceList(gv: string, defs: ResourceDef[]): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const d of defs) {
    resources.push(apiResource(d));
    // the main resource comes before its subresources: client-node takes the first kind match
    if (d.subresources.status) {
      resources.push({ name: `${d.resource}/status`, singularName: '', namespaced: d.namespaced, kind: d.kind, verbs: ['get', 'patch', 'update'] });
    }
    if (d.subresources.scale) {
      resources.push({ name: `${d.resource}/scale`, singularName: '', namespaced: d.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
}

function aggregatedGroup(g: GroupVersions): Record<string, unknown> {
  return {
    metadata: { name: g.name },
    versions: g.versions.map((v) => ({
      version: v,
      freshness: 'Current',
      resources: g.defs.get(v)!.map((d) => {
        const r: Record<string, unknown> = {
          resource: d.resource,
          responseKind: { group: d.group, version: d.version, kind: d.kind },
          scope: d.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: d.singular,
          verbs: d.verbs,
        };
        if (d.shortNames?.length) r.shortNames = d.shortNames;
        if (d.categories?.length) r.categories = d.categories;
        const subs: Record<string, unknown>[] = [];
        if (d.subresources.status) subs.push({ subresource: 'status', responseKind: { group: d.group, version: d.version, kind: d.kind }, verbs: ['get', 'patch', 'update'] });
        if (d.subresources.scale) subs.push({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
        if (subs.length) r.subresources = subs;
        return r;
      }),
    })),
  };
}

function buildDocs(defs: ResourceDef[]): DiscoveryDocs {
  const groups = groupsOf(defs);
  const core = groups.get('');
  const named = [...groups.values()].filter((g) => g.name !== '').sort((a, b) => a.name.localeCompare(b.name));
  const resourceLists = new Map<string, string>();
  if (core) for (const v of core.versions) resourceLists.set(v, JSON.stringify(resourceList(v, core.defs.get(v)!)));
  for (const g of named) for (const v of g.versions) resourceLists.set(`${g.name}/${v}`, JSON.stringify(resourceList(`${g.name}/${v}`, g.defs.get(v)!)));
  return {
    api: JSON.stringify({ kind: 'APIVersions', versions: core ? core.versions : [], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }] }),
    apis: JSON.stringify({
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: named.map((g) => ({
        name: g.name,
        versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
      })),
    }),
    aggregatedApi: JSON.stringify({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: core ? [aggregatedGroup(core)] : [] }),
    aggregatedApis: JSON.stringify({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: named.map(aggregatedGroup) }),
    resourceLists,
    groups,
  };
}

/**
 * Discovery documents are built from a cluster's resource list (`catalog.all`) and kept for as
 * long as the catalog keeps that list: every workspace serving just the built-ins shares one list,
 * so it shares one set of documents, and a workspace with its own resources holds its documents no
 * longer than the catalog holds its index.
 */
export class Discovery {
  private readonly byDefs = new WeakMap<ResourceDef[], DiscoveryDocs>();

  constructor(private readonly catalog: ResourceCatalog) {}

  docs(cluster: string): DiscoveryDocs {
    const defs = this.catalog.all(cluster);
    let docs = this.byDefs.get(defs);
    if (!docs) {
      docs = buildDocs(defs);
      this.byDefs.set(defs, docs);
    }
    return docs;
  }

  /** /apis/<group> → APIGroup JSON, or undefined. */
  group(cluster: string, name: string): string | undefined {
    const g = this.docs(cluster).groups.get(name);
    if (!g || name === '') return undefined;
    return JSON.stringify({
      kind: 'APIGroup', apiVersion: 'v1', name,
      versions: g.versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${g.versions[0]}`, version: g.versions[0] },
    });
  }
}

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
