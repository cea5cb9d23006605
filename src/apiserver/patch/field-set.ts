/**
 * A set of field paths, the unit of field ownership (sigs.k8s.io/structured-merge-diff fieldpath.Set),
 * and its wire form, fieldsV1.
 *
 * A path is a list of path elements, each kept in its fieldsV1 spelling:
 *   `f:<name>`  a field of an object            `k:{"name":"nginx"}`  a list item by its map keys
 *   `v:<json>`  a set member, by value           `i:<n>`               a list item by position
 * A set holds *members* (paths that are in the set) and *children* (subsets below a path element).
 * In fieldsV1 a member with no children is `{}`, and a member that also has children carries `".":{}`.
 *
 * A set is only written while it is being built (insert, on a set nobody else holds yet); after
 * that it is read-only. So the set operations share the subtrees they leave unchanged instead of
 * copying them: on an object with 200 000 fields each copy was a full pass.
 */

export type PathElement = string;
export type FieldPath = PathElement[];

export class FieldSet {
  readonly members = new Set<PathElement>();
  readonly children = new Map<PathElement, FieldSet>();

  static of(...paths: FieldPath[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: FieldPath): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.child(path[i]);
    node.members.add(path[path.length - 1]);
    return this;
  }

  /** The subset below `pe`, created when absent. */
  child(pe: PathElement): FieldSet {
    let c = this.children.get(pe);
    if (!c) { c = new FieldSet(); this.children.set(pe, c); }
    return c;
  }

  has(path: FieldPath): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]);
    return !!node && path.length > 0 && node.members.has(path[path.length - 1]);
  }

  /** Whether the set has `path` or anything below it. */
  hasPrefix(path: FieldPath): boolean {
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i]);
    if (!node) return false;
    const last = path[path.length - 1];
    return node.members.has(last) || !(node.children.get(last)?.isEmpty() ?? true);
  }

  isEmpty(): boolean {
    if (this.members.size) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  union(o: FieldSet): FieldSet {
    if (o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    const out = this.shallowCopy();
    for (const m of o.members) out.members.add(m);
    for (const [pe, c] of o.children) {
      const mine = out.children.get(pe);
      out.children.set(pe, mine ? mine.union(c) : c);
    }
    return out;
  }

  /** A new node with this one's members and the same child subtrees (shared, see above). */
  private shallowCopy(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, c] of this.children) out.children.set(pe, c);
    return out;
  }

  /** The paths of this set that `owners` has neither itself nor anything below. */
  notOwnedBy(owners: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) {
      if (owners.members.has(m) || !(owners.children.get(m)?.isEmpty() ?? true)) continue;
      out.members.add(m);
    }
    for (const [pe, c] of this.children) {
      const theirs = owners.children.get(pe);
      const sub = theirs ? c.notOwnedBy(theirs) : c;
      if (!sub.isEmpty()) out.children.set(pe, sub);
    }
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const theirs = o.children.get(pe);
      if (!theirs) continue;
      const i = c.intersection(theirs);
      if (!i.isEmpty()) out.children.set(pe, i);
    }
    return out;
  }

  /** Paths in this set and not in `o`. Removing a member keeps its children (fieldpath.Set.Difference). */
  difference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      const theirs = o.children.get(pe);
      const d = theirs ? c.difference(theirs) : c;
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  /** Like difference, but a member of `o` also removes everything below it (fieldpath.Set.RecursiveDifference). */
  recursiveDifference(o: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) if (!o.members.has(m)) out.members.add(m);
    for (const [pe, c] of this.children) {
      if (o.members.has(pe)) continue;
      const theirs = o.children.get(pe);
      const d = theirs ? c.recursiveDifference(theirs) : c;
      if (!d.isEmpty()) out.children.set(pe, d);
    }
    return out;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const m of this.members) out.members.add(m);
    for (const [pe, c] of this.children) out.children.set(pe, c.clone());
    return out;
  }

  /** Every member path, depth first, in fieldsV1 order. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    const walk = (node: FieldSet, prefix: FieldPath): void => {
      for (const pe of sortedElements(node)) {
        if (node.members.has(pe)) out.push([...prefix, pe]);
        const c = node.children.get(pe);
        if (c) walk(c, [...prefix, pe]);
      }
    };
    walk(this, []);
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pe of sortedElements(this)) {
      const c = this.children.get(pe);
      const sub = c && !c.isEmpty() ? c.toFieldsV1() : undefined;
      if (sub) {
        out[pe] = this.members.has(pe) ? { '.': {}, ...sub } : sub;
      } else if (this.members.has(pe)) {
        out[pe] = {};
      }
    }
    return out;
  }

  /** Parses fieldsV1; throws on anything that is not an object of objects with known prefixes. */
  static fromFieldsV1(json: unknown): FieldSet {
    const out = new FieldSet();
    if (!isPlainObject(json)) throw new Error('fieldsV1 must be an object');
    for (const [pe, v] of Object.entries(json)) {
      if (pe === '.') continue;
      if (!/^[fkvi]:/.test(pe)) throw new Error(`unknown path element prefix in ${JSON.stringify(pe)}`);
      if (!isPlainObject(v)) throw new Error(`fieldsV1 entry ${JSON.stringify(pe)} must be an object`);
      const keys = Object.keys(v);
      if (keys.length === 0 || '.' in v) out.members.add(pe);
      if (keys.some((k) => k !== '.')) out.children.set(pe, FieldSet.fromFieldsV1(v));
    }
    return out;
  }

  /** Paths as kube prints them in conflicts, one per line. */
  toString(): string {
    return this.paths().map(pathString).join('\n');
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PREFIX_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** structured-merge-diff orders fields, then keys, then values, then indices. */
function sortedElements(node: FieldSet): PathElement[] {
  const all = new Set<PathElement>([...node.members, ...node.children.keys()]);
  return [...all].sort((a, b) => {
    const d = (PREFIX_ORDER[a[0]] ?? 9) - (PREFIX_ORDER[b[0]] ?? 9);
    if (d) return d;
    if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export function fieldElement(name: string): PathElement { return `f:${name}`; }
export function indexElement(i: number): PathElement { return `i:${i}`; }
export function valueElement(v: unknown): PathElement { return `v:${JSON.stringify(v)}`; }

/** `k:{"name":"nginx"}` with the keys in sorted order, as fieldsV1 spells them. */
export function keyElement(keys: Record<string, unknown>): PathElement {
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(keys).sort()) sorted[k] = keys[k];
  return `k:${JSON.stringify(sorted)}`;
}

/** One element as fieldpath.PathElement.String() prints it: `.name`, `[name="x"]`, `[="v"]`, `[3]`. */
export function elementString(pe: PathElement): string {
  const body = pe.slice(2);
  switch (pe[0]) {
    case 'f': return `.${body}`;
    case 'k': {
      const keys = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    }
    case 'v': return `[=${body}]`;
    case 'i': return `[${body}]`;
    default: return pe;
  }
}

/** A whole path as kube prints it in conflict messages: `.spec.containers[name="nginx"].image`. */
export function pathString(path: FieldPath): string {
  return path.map(elementString).join('');
}
