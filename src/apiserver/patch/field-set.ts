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

import { runWalk, type Walk } from '../../machinery/deep-walk.js';
import { stringifyJSON } from '../../machinery/json-text.js';

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
    const pending: FieldSet[] = [this];
    while (pending.length) {
      const s = pending.pop()!;
      if (s.members.size) return false;
      for (const c of s.children.values()) pending.push(c);
    }
    return true;
  }

  union(o: FieldSet): FieldSet {
    if (o.isEmpty()) return this;
    if (this.isEmpty()) return o;
    return runWalk(unionOf(this, o));
  }

  /** The paths of this set that `owners` has neither itself nor anything below. */
  notOwnedBy(owners: FieldSet): FieldSet {
    return runWalk(notOwnedBy(this, owners)) ?? new FieldSet();
  }

  intersection(o: FieldSet): FieldSet {
    return runWalk(intersectionOf(this, o)) ?? new FieldSet();
  }

  /** Paths in this set and not in `o`. Removing a member keeps its children (fieldpath.Set.Difference). */
  difference(o: FieldSet): FieldSet {
    return runWalk(differenceOf(this, o, false)) ?? new FieldSet();
  }

  /** Like difference, but a member of `o` also removes everything below it (fieldpath.Set.RecursiveDifference). */
  recursiveDifference(o: FieldSet): FieldSet {
    return runWalk(differenceOf(this, o, true)) ?? new FieldSet();
  }

  clone(): FieldSet {
    const root = new FieldSet();
    const pending: Array<[from: FieldSet, to: FieldSet]> = [[this, root]];
    while (pending.length) {
      const [from, to] = pending.pop()!;
      for (const m of from.members) to.members.add(m);
      for (const [pe, c] of from.children) {
        const copy = new FieldSet();
        to.children.set(pe, copy);
        pending.push([c, copy]);
      }
    }
    return root;
  }

  /** Every member path, depth first, in fieldsV1 order. */
  paths(): FieldPath[] {
    const out: FieldPath[] = [];
    // the path to a node is a chain of (element, parent) links, spelled out only for members:
    // copying the prefix at every level cost depth² on deep objects
    type Link = { pe: PathElement; up: Link | undefined } | undefined;
    const spell = (l: Link): FieldPath => {
      const p: FieldPath = [];
      for (let x = l; x; x = x.up) p.push(x.pe);
      return p.reverse();
    };
    const frames: Array<{ node: FieldSet; elements: PathElement[]; next: number; at: Link }> = [
      { node: this, elements: sortedElements(this), next: 0, at: undefined },
    ];
    while (frames.length) {
      const f = frames[frames.length - 1];
      if (f.next >= f.elements.length) { frames.pop(); continue; }
      const pe = f.elements[f.next++];
      const link = { pe, up: f.at };
      if (f.node.members.has(pe)) out.push(spell(link));
      const c = f.node.children.get(pe);
      if (c) frames.push({ node: c, elements: sortedElements(c), next: 0, at: link });
    }
    return out;
  }

  equals(o: FieldSet): boolean {
    return this.difference(o).isEmpty() && o.difference(this).isEmpty();
  }

  toFieldsV1(): Record<string, unknown> {
    return runWalk(toFieldsV1(this));
  }

  /** Parses fieldsV1; throws on anything that is not an object of objects with known prefixes. */
  static fromFieldsV1(json: unknown): FieldSet {
    if (!isPlainObject(json)) throw new Error('fieldsV1 must be an object');
    return runWalk(fromFieldsV1(json));
  }

  /** Paths as kube prints them in conflicts, one per line. */
  toString(): string {
    return this.paths().map(pathString).join('\n');
  }
}

/** A node with no members and no children: what a walk's empty result is (returned as undefined). */
function bare(s: FieldSet): boolean {
  return s.members.size === 0 && s.children.size === 0;
}

/*
 * The set operations, as walks (machinery/deep-walk.ts) so a set as deep as a 10 000-level object
 * costs no stack. Each returns undefined for an empty result, so no level has to ask whether a
 * subtree is empty (asking at every level was quadratic in the depth).
 */

function* unionOf(a: FieldSet, b: FieldSet): Walk<FieldSet> {
  if (bare(b)) return a;
  if (bare(a)) return b;
  // a new node with a's members and the same child subtrees (shared, see above)
  const out = new FieldSet();
  for (const m of a.members) out.members.add(m);
  for (const [pe, c] of a.children) out.children.set(pe, c);
  for (const m of b.members) out.members.add(m);
  for (const [pe, c] of b.children) {
    const mine = out.children.get(pe);
    out.children.set(pe, mine ? yield unionOf(mine, c) : c);
  }
  return out;
}

function* notOwnedBy(s: FieldSet, owners: FieldSet): Walk<FieldSet | undefined> {
  const out = new FieldSet();
  for (const m of s.members) {
    if (owners.members.has(m) || !(owners.children.get(m)?.isEmpty() ?? true)) continue;
    out.members.add(m);
  }
  for (const [pe, c] of s.children) {
    const theirs = owners.children.get(pe);
    const sub: FieldSet | undefined = theirs ? yield notOwnedBy(c, theirs) : c;
    if (sub && !bare(sub)) out.children.set(pe, sub);
  }
  return bare(out) ? undefined : out;
}

function* intersectionOf(a: FieldSet, b: FieldSet): Walk<FieldSet | undefined> {
  const out = new FieldSet();
  for (const m of a.members) if (b.members.has(m)) out.members.add(m);
  for (const [pe, c] of a.children) {
    const theirs = b.children.get(pe);
    if (!theirs) continue;
    const i: FieldSet | undefined = yield intersectionOf(c, theirs);
    if (i) out.children.set(pe, i);
  }
  return bare(out) ? undefined : out;
}

function* differenceOf(a: FieldSet, b: FieldSet, recursive: boolean): Walk<FieldSet | undefined> {
  const out = new FieldSet();
  for (const m of a.members) if (!b.members.has(m)) out.members.add(m);
  for (const [pe, c] of a.children) {
    if (recursive && b.members.has(pe)) continue;
    const theirs = b.children.get(pe);
    const d: FieldSet | undefined = theirs ? yield differenceOf(c, theirs, recursive) : c;
    if (d && !bare(d)) out.children.set(pe, d);
  }
  return bare(out) ? undefined : out;
}

function* toFieldsV1(s: FieldSet): Walk<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const pe of sortedElements(s)) {
    const c = s.children.get(pe);
    // an empty subset writes {}: the same as no children
    const sub: Record<string, unknown> | undefined = c ? yield toFieldsV1(c) : undefined;
    if (sub && Object.keys(sub).length) {
      out[pe] = s.members.has(pe) ? { '.': {}, ...sub } : sub;
    } else if (s.members.has(pe)) {
      out[pe] = {};
    }
  }
  return out;
}

function* fromFieldsV1(json: Record<string, unknown>): Walk<FieldSet> {
  const out = new FieldSet();
  for (const [pe, v] of Object.entries(json)) {
    if (pe === '.') continue;
    if (!/^[fkvi]:/.test(pe)) throw new Error(`unknown path element prefix in ${JSON.stringify(pe)}`);
    if (!isPlainObject(v)) throw new Error(`fieldsV1 entry ${JSON.stringify(pe)} must be an object`);
    const keys = Object.keys(v);
    if (keys.length === 0 || '.' in v) out.members.add(pe);
    if (keys.some((k) => k !== '.')) out.children.set(pe, yield fromFieldsV1(v));
  }
  return out;
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
export function valueElement(v: unknown): PathElement { return `v:${stringifyJSON(v)}`; }

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
