/**
 * Whether an APIBinding may serve its resources in a workspace (kcp's apibinding naming-conflict
 * check). Pure, so every rule is table-tested (test/tenancy/apis/naming-conflict.test.ts); the
 * binding reconciler feeds it what the workspace serves right now.
 */
import type { ResourceDef } from '../../registry/types.js';

type GroupResource = Pick<ResourceDef, 'group' | 'resource' | 'version' | 'source'>;

export interface ServedInWorkspace {
  /** Resources served by CustomResourceDefinitions in the workspace. */
  crdDefs: readonly GroupResource[];
  /** Resources served by the workspace's other bindings (the binding being checked excluded). */
  otherBindingDefs: readonly GroupResource[];
  /** What the workspace resolves a group/version/resource to, if anything (built-ins included). */
  resolve: (group: string, version: string, resource: string) => GroupResource | undefined;
}

/**
 * The first clash of `defs` with what the workspace already serves, as the message of the
 * binding's NamingConflict condition, or undefined when the binding can be served. A clash is by
 * group and resource, whatever the version: two sources for one group/resource would split its
 * storage.
 */
export function namingConflict(defs: readonly GroupResource[], served: ServedInWorkspace): string | undefined {
  const same = (a: GroupResource) => (b: GroupResource) => a.group === b.group && a.resource === b.resource;
  for (const d of defs) {
    const name = d.group ? `${d.resource}.${d.group}` : d.resource;
    if (served.crdDefs.some(same(d))) return `resource ${name} is already served by a CustomResourceDefinition in this workspace`;
    const other = served.otherBindingDefs.find(same(d));
    if (other) return `resource ${name} is already bound by ${other.source}`;
    const builtin = served.resolve(d.group, d.version, d.resource);
    if (builtin?.source === 'builtin') return `resource ${name} is a built-in resource`;
  }
  return undefined;
}
