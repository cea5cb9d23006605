/**
 * A rule's `fieldPath` (a relative JSONPath such as `.spec.replicas`, `.labels['a.b']`,
 * `.items[0]`) parsed into segments and joined onto the node's field path the way field.Path
 * prints them.
 */
import { child, index } from '../../registry/schema/paths.js';

export type PathSegment = { name: string } | { index: number };

/** Parses `.a.b['c.d'][0]`; returns undefined when the text is not such a path. */
export function parseFieldPath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let i = 0;
  if (!text.startsWith('.') && !text.startsWith('[')) return undefined;
  while (i < text.length) {
    if (text[i] === '.') {
      const m = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(text.slice(i + 1));
      if (!m) return undefined;
      out.push({ name: m[0] });
      i += 1 + m[0].length;
    } else if (text[i] === '[') {
      const rest = text.slice(i);
      const quoted = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
      const num = /^\[(\d+)\]/.exec(rest);
      if (quoted) { out.push({ name: quoted[1].replace(/\\(.)/g, '$1') }); i += quoted[0].length; }
      else if (num) { out.push({ index: Number(num[1]) }); i += num[0].length; }
      else return undefined;
    } else return undefined;
  }
  return out.length ? out : undefined;
}

/** Joins parsed segments onto a base field path ('' = the root). */
export function joinFieldPath(base: string, segs: PathSegment[]): string {
  let p = base;
  for (const s of segs) p = 'name' in s ? child(p, s.name) : index(p, s.index);
  return p;
}
