/**
 * WorkspaceTypes as kcp has them: the built-in `root`, `universal`, `organization`, `team` and `home`
 * in `root` (with kcp's allowed parents and children and default child types), plus any a user
 * creates. Kept in memory from a store watch so that defaulting and validating a Workspace (which
 * run synchronously in its strategy) can resolve types by (path, name) without I/O.
 */
import type { Logger } from '../../observability/logger.js';
import type { StoreInformers } from '../../storage/informers.js';
import type { KubeObject } from '../../storage/types.js';

export const WORKSPACE_TYPES_RESOURCE = 'tenancy.kcp.io/workspacetypes';

export interface TypeRef { name: string; path?: string }
interface Selector { none?: boolean; types?: TypeRef[] }
export interface WorkspaceTypeSpec {
  extend?: { with?: TypeRef[] };
  defaultChildWorkspaceType?: TypeRef;
  limitAllowedChildren?: Selector;
  limitAllowedParents?: Selector;
  additionalWorkspaceLabels?: Record<string, string>;
  initializer?: boolean;
  defaultChildren?: unknown;
  /** APIBindings every workspace of this type (or of a type extending it) is created with. */
  defaultAPIBindings?: Array<{ path?: string; export: string }>;
}

const universal = { name: 'universal', path: 'root' };

/** kcp's config/root/workspacetype-*.yaml, with the `workspace-types` battery on (kcp's default). */
export const BUILTIN_WORKSPACE_TYPES: Record<string, WorkspaceTypeSpec> = {
  root: { limitAllowedParents: { none: true }, extend: { with: [universal] }, defaultChildWorkspaceType: { name: 'organization', path: 'root' } },
  universal: {},
  organization: {
    extend: { with: [universal] }, defaultChildWorkspaceType: universal,
    limitAllowedChildren: { types: [universal] }, limitAllowedParents: { types: [{ name: 'root', path: 'root' }] },
  },
  team: {
    extend: { with: [universal] }, defaultChildWorkspaceType: universal,
    limitAllowedParents: { types: [{ name: 'organization', path: 'root' }, { name: 'team', path: 'root' }] },
  },
  home: { extend: { with: [universal] }, defaultChildWorkspaceType: universal, limitAllowedParents: { none: true } },
};

export function builtinWorkspaceTypeObjects(): KubeObject[] {
  return Object.entries(BUILTIN_WORKSPACE_TYPES).map(([name, spec]) => ({
    apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'WorkspaceType', metadata: { name }, spec: structuredClone(spec) as Record<string, unknown>,
  }));
}

export const refString = (r: TypeRef): string => `${r.path ?? ''}:${r.name}`;
const key = (path: string, name: string) => `${path}|${name}`;

export class WorkspaceTypes {
  private readonly stored = new Map<string, KubeObject>();
  private unregister?: () => void;

  constructor(private readonly informers: StoreInformers) {}

  async start(): Promise<void> {
    const informer = this.informers.informer(WORKSPACE_TYPES_RESOURCE);
    const put = (o: KubeObject) => { this.stored.set(key(this.informers.clusterOf(o), o.metadata.name!), o); };
    this.unregister = informer.addEventHandler({
      onAdd: put,
      onUpdate: (_old, o) => put(o),
      onDelete: (o) => { this.stored.delete(key(this.informers.clusterOf(o), o.metadata.name!)); },
    });
    await informer.waitForSync();
  }

  stop(): void { this.unregister?.(); }

  /** The spec of type `name` in workspace `path`; the built-ins of root exist even before bootstrap stores them. */
  get(path: string, name: string): WorkspaceTypeSpec | undefined {
    const o = this.stored.get(key(path, name));
    if (o) return (o.spec ?? {}) as WorkspaceTypeSpec;
    return path === 'root' ? BUILTIN_WORKSPACE_TYPES[name] : undefined;
  }

  /** Where a type named without a path lives: this workspace or the nearest ancestor that has it. */
  findPath(fromPath: string, name: string): string | undefined {
    for (let p: string | undefined = fromPath; p; p = parentPath(p)) if (this.get(p, name)) return p;
    return undefined;
  }

  /** The type and every type it extends, transitively: what it counts as for parent/child limits. */
  aliases(ref: Required<TypeRef>): Array<Required<TypeRef>> {
    const out: Array<Required<TypeRef>> = [];
    const seen = new Set<string>();
    const visit = (r: Required<TypeRef>) => {
      const k = refString(r);
      if (seen.has(k)) return;
      seen.add(k);
      out.push(r);
      for (const w of this.get(r.path, r.name)?.extend?.with ?? []) visit({ name: w.name, path: w.path ?? r.path });
    };
    visit(ref);
    return out;
  }

  /**
   * The initializers a new workspace of type `ref` waits for, named as kcp names them: `<logical
   * cluster name of the type's workspace>:<type name>` for the type and each type it extends that
   * has `initializer: true` (`root:example` for a type in root).
   */
  initializers(ref: Required<TypeRef>, clusterName: (path: string) => string): string[] {
    return this.aliases(ref).filter((t) => this.get(t.path, t.name)?.initializer === true).map((t) => `${clusterName(t.path)}:${t.name}`);
  }

  /**
   * Why `child` may not be created in a workspace of type `parent`, or undefined when it may: each
   * of the parent's types limiting children must list one of the child's aliases, and each of the
   * child's types limiting parents must list one of the parent's aliases.
   */
  nestingError(parent: Required<TypeRef>, child: Required<TypeRef>): string | undefined {
    const parentAliases = this.aliases(parent);
    const childAliases = this.aliases(child);
    const implemented = (list: Array<Required<TypeRef>>) => `[${list.map(refString).join(' ')}]`;
    const matches = (sel: Selector, candidates: Array<Required<TypeRef>>) =>
      (sel.types ?? []).some((t) => candidates.some((c) => c.name === t.name && c.path === (t.path ?? c.path)));
    for (const p of parentAliases) {
      const sel = this.get(p.path, p.name)?.limitAllowedChildren;
      if (!sel) continue;
      if (sel.none) return `workspace type ${refString(p)} does not allow child workspaces`;
      if (sel.types && !matches(sel, childAliases)) {
        return `workspace type ${refString(child)} is not allowed as a child of workspace type ${refString(parent)}: ${refString(p)} only allows ${implemented(sel.types.map((t) => ({ name: t.name, path: t.path ?? p.path })))}, and ${refString(child)} implements ${implemented(childAliases)}`;
      }
    }
    for (const c of childAliases) {
      const sel = this.get(c.path, c.name)?.limitAllowedParents;
      if (!sel) continue;
      if (sel.none) return `workspace type ${refString(c)} cannot be nested: it does not allow any parent workspace`;
      if (sel.types && !matches(sel, parentAliases)) {
        return `workspace type ${refString(child)} only allows ${implemented(sel.types.map((t) => ({ name: t.name, path: t.path ?? c.path })))} parent workspaces, but parent type ${refString(parent)} implements ${implemented(parentAliases)}`;
      }
    }
    return undefined;
  }
}

export function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf(':');
  return i > 0 ? path.slice(0, i) : undefined;
}

