/**
 * Legacy discovery (`/api`, `/apis`, then `/api/v1` and `/apis/<g>/<v>`): what a server serves.
 * The cluster health controller uses it to record a physical cluster's API resources. Subresource
 * entries (`deployments/status`) are folded into their parent's `subresources`.
 */
import { isNotFound } from '../errors/status.js';
import { groupVersionPath } from './resource-path.js';

export interface ServerVersion {
  major?: string;
  minor?: string;
  gitVersion?: string;
  [k: string]: unknown;
}

export interface DiscoveredResource {
  group: string;
  version: string;
  /** Plural name. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  subresources: string[];
  /** True for the group's preferred version. */
  preferred: boolean;
}

export interface DiscoveredGroup {
  group: string;
  versions: string[];
  preferredVersion: string;
}

export interface DiscoveryResult {
  groups: DiscoveredGroup[];
  resources: DiscoveredResource[];
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
  shortNames?: string[];
}

type GetJson = (path: string) => Promise<unknown>;

export async function discoverResources(getJson: GetJson): Promise<DiscoveryResult> {
  const groups: DiscoveredGroup[] = [];
  try {
    const core = await getJson('/api') as { versions?: string[] };
    const versions = core.versions ?? [];
    if (versions.length) groups.push({ group: '', versions, preferredVersion: versions[0] });
  } catch (err) {
    // A server with no legacy core group (some virtual workspaces) answers 404; that is fine.
    if (!isNotFound(err)) throw err;
  }
  const apis = await getJson('/apis') as {
    groups?: Array<{ name: string; versions?: Array<{ version: string }>; preferredVersion?: { version: string } }>;
  };
  for (const g of apis.groups ?? []) {
    const versions = (g.versions ?? []).map((v) => v.version);
    groups.push({ group: g.name, versions, preferredVersion: g.preferredVersion?.version ?? versions[0] ?? '' });
  }

  const perVersion = await Promise.all(groups.flatMap((g) => g.versions.map(async (version) => {
    const list = await getJson(groupVersionPath(g.group, version)) as { resources?: APIResource[] };
    return foldResources(g.group, version, version === g.preferredVersion, list.resources ?? []);
  })));
  return { groups, resources: perVersion.flat() };
}

function foldResources(group: string, version: string, preferred: boolean, entries: APIResource[]): DiscoveredResource[] {
  const byName = new Map<string, DiscoveredResource>();
  for (const e of entries) {
    if (e.name.includes('/')) continue;
    byName.set(e.name, {
      group, version, resource: e.name, kind: e.kind, namespaced: e.namespaced, verbs: e.verbs ?? [],
      shortNames: e.shortNames, subresources: [], preferred,
    });
  }
  for (const e of entries) {
    const slash = e.name.indexOf('/');
    if (slash < 0) continue;
    byName.get(e.name.slice(0, slash))?.subresources.push(e.name.slice(slash + 1));
  }
  return [...byName.values()];
}
