/**
 * The subset of kubectl JSONPath that printer columns use: `.a.b`, `['a.b']`, `[0]`, `[*]`,
 * `..` is not supported, and filters `[?(@.type=="Ready")]` (==, !=). Returns every match, so
 * `[*]` columns can be joined with commas as kube does.
 */
import { stringifyJSON } from './json-text.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: string[]; op: '==' | '!='; value: string };

const cache = new Map<string, Step[]>();

export function compileJsonPath(expr: string): Step[] {
  const hit = cache.get(expr);
  if (hit) return hit;
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      i++;
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      if (j > i) steps.push({ kind: 'field', name: s.slice(i, j) });
      i = j;
    } else if (c === '[') {
      const end = matchBracket(s, i);
      const inner = s.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const m = inner.slice(2, -1).match(/^@((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*(?:"([^"]*)"|'([^']*)'|(\S+))$/);
        if (!m) throw new Error(`unsupported JSONPath filter: ${inner}`);
        steps.push({ kind: 'filter', path: m[1].slice(1).split('.'), op: m[2] as '==' | '!=', value: m[3] ?? m[4] ?? m[5] });
      } else throw new Error(`unsupported JSONPath subscript: [${inner}]`);
    } else if (c === ' ') {
      i++;
    } else {
      // a leading bare name, as in `status.phase`
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      steps.push({ kind: 'field', name: s.slice(i, j) });
      i = j;
    }
  }
  cache.set(expr, steps);
  return steps;
}

function matchBracket(s: string, start: number): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    if (s[i] === '[') depth++;
    else if (s[i] === ']') { depth--; if (depth === 0) return i; }
  }
  throw new Error(`unclosed [ in JSONPath ${s}`);
}

export function evalJsonPath(obj: unknown, expr: string | Step[]): unknown[] {
  const steps = typeof expr === 'string' ? compileJsonPath(expr) : expr;
  let cur: unknown[] = [obj];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || typeof v !== 'object') continue;
      switch (st.kind) {
        case 'field': {
          const x = (v as Record<string, unknown>)[st.name];
          if (x !== undefined) next.push(x);
          break;
        }
        case 'index': {
          if (!Array.isArray(v)) break;
          const x = v[st.index < 0 ? v.length + st.index : st.index];
          if (x !== undefined) next.push(x);
          break;
        }
        case 'all':
          if (Array.isArray(v)) next.push(...v);
          else next.push(...Object.values(v));
          break;
        case 'filter': {
          if (!Array.isArray(v)) break;
          for (const item of v) {
            let f: unknown = item;
            for (const p of st.path) f = f && typeof f === 'object' ? (f as Record<string, unknown>)[p] : undefined;
            const sv = f === undefined ? undefined : typeof f === 'string' ? f : stringifyJSON(f);
            if ((st.op === '==') === (sv === st.value)) next.push(item);
          }
          break;
        }
      }
    }
    cur = next;
  }
  return cur;
}

export function isValidJsonPath(expr: string): boolean {
  try { compileJsonPath(expr); return true; } catch { return false; }
}
