/**
 * The "simple JSONPath" CRDs use for printer columns, scale paths and selectable fields:
 * `.spec.replicas`, `.status.conditions[?(@.type=="Ready")].status`, `.metadata.labels['app']`.
 * No braces, must start with '.'.
 */

const SEGMENT = /^(\.[A-Za-z0-9_$-]+|\[(\d+|\*|'[^']*'|"[^"]*"|\?\(@[^\]]*\))\]|\.\[)/;

/** Whether `p` is a JSONPath kube accepts for additionalPrinterColumns. */
export function isSimpleJSONPath(p: string | undefined): boolean {
  if (!p || !p.startsWith('.') || p.includes('{') || p.includes('}')) return false;
  let rest = p;
  while (rest.length) {
    const m = SEGMENT.exec(rest);
    if (!m || m[0] === '.[') return false;
    rest = rest.slice(m[0].length);
  }
  return true;
}

/** Follows a dotted path (`.spec.color`) through an object; undefined when absent. */
export function getDotted(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.replace(/^\./, '').split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
