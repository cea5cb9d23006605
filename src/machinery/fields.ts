/**
 * Field selectors (apimachinery fields.ParseSelector): `f=v`, `f==v`, `f!=v`, comma-ANDed, with
 * backslash escapes. Which fields a resource supports is decided by its registry strategy.
 */
import { badRequest } from '../errors/status.js';

export interface FieldRequirement { field: string; op: '=' | '!='; value: string }

export class FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}
  static everything(): FieldSelector { return new FieldSelector([]); }
  isEmpty(): boolean { return this.requirements.length === 0; }

  /** The exact value required for a field, if the selector pins it (used to push down metadata.name). */
  requiredValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.op === '=')?.value;
  }

  matches(get: (field: string) => string | undefined): boolean {
    for (const r of this.requirements) {
      const v = get(r.field) ?? '';
      if (r.op === '=' ? v !== r.value : v === r.value) return false;
    }
    return true;
  }

  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.op}${r.value}`).join(',');
  }
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i] + s[i + 1]; i++; continue; }
    if (s[i] === sep) { out.push(cur); cur = ''; continue; }
    cur += s[i];
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

export function parseFieldSelector(s: string | undefined): FieldSelector {
  if (s === undefined || s.trim() === '') return FieldSelector.everything();
  const reqs: FieldRequirement[] = [];
  for (const part of splitUnescaped(s, ',')) {
    if (part === '') continue;
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^((?:[^\\!=]|\\.)*)(!=|==|=)(.*)$/s))) {
      const field = unescape(m[1]).trim();
      if (!field) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
      reqs.push({ field, op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]) });
    } else {
      throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    }
  }
  return new FieldSelector(reqs);
}
