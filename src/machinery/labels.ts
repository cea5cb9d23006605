/**
 * Label selectors: the string grammar of apimachinery's labels.Parse (`k`, `!k`, `k=v`, `k==v`,
 * `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k>n`, `k<n`, comma = AND) and the structured
 * metav1.LabelSelector (matchLabels + matchExpressions). Both compile to the same Requirement list.
 */
import { badRequest } from '../errors/status.js';

export type Operator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface Requirement { key: string; op: Operator; values: string[] }

export type Labels = Record<string, string> | undefined;

export class LabelSelector {
  constructor(readonly requirements: Requirement[]) {}

  static everything(): LabelSelector { return new LabelSelector([]); }

  isEmpty(): boolean { return this.requirements.length === 0; }

  matches(labels: Labels): boolean {
    for (const r of this.requirements) if (!matchRequirement(r, labels)) return false;
    return true;
  }

  toString(): string { return this.requirements.map(requirementString).join(','); }
}

function matchRequirement(r: Requirement, labels: Labels): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? labels![r.key] : undefined;
  switch (r.op) {
    case 'exists': return has;
    case '!': return !has;
    case '=': case 'in': return has && r.values.includes(v!);
    case '!=': case 'notin': return !has || !r.values.includes(v!);
    case 'gt': case 'lt': {
      if (!has) return false;
      const n = Number(v);
      if (!Number.isInteger(n) || !/^-?\d+$/.test(v!)) return false;
      const bound = Number(r.values[0]);
      return r.op === 'gt' ? n > bound : n < bound;
    }
  }
}

function requirementString(r: Requirement): string {
  switch (r.op) {
    case 'exists': return r.key;
    case '!': return `!${r.key}`;
    case '=': return `${r.key}=${r.values[0]}`;
    case '!=': return `${r.key}!=${r.values[0]}`;
    case 'in': return `${r.key} in (${r.values.join(',')})`;
    case 'notin': return `${r.key} notin (${r.values.join(',')})`;
    case 'gt': return `${r.key}>${r.values[0]}`;
    case 'lt': return `${r.key}<${r.values[0]}`;
  }
}

// --- validation of keys and values (apimachinery validation.IsQualifiedName / IsValidLabelValue) ---

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Returns a list of problems with a qualified name (label key), empty when valid. */
export function qualifiedNameErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      errs.push('prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character');
  } else if (parts.length > 2) {
    errs.push("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  else if (!NAME_PART.test(name))
    errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  return errs;
}

export function labelValueErrors(v: string): string[] {
  if (v === '') return [];
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!NAME_PART.test(v))
    errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
  return errs;
}

// --- the string grammar ---

type Tok =
  | { t: 'id'; v: string } | { t: '!' } | { t: '=' } | { t: '==' } | { t: '!=' } | { t: '>' } | { t: '<' }
  | { t: '(' } | { t: ')' } | { t: ',' } | { t: 'in' } | { t: 'notin' } | { t: 'eof' };

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const special = '!=<>(),';
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '!' && s[i + 1] === '=') { out.push({ t: '!=' }); i += 2; continue; }
    if (c === '=' && s[i + 1] === '=') { out.push({ t: '==' }); i += 2; continue; }
    if (special.includes(c)) { out.push({ t: c as '!' }); i++; continue; }
    let j = i;
    while (j < s.length && !special.includes(s[j]) && !' \t\n\r'.includes(s[j])) j++;
    const word = s.slice(i, j);
    if (word === 'in') out.push({ t: 'in' });
    else if (word === 'notin') out.push({ t: 'notin' });
    else out.push({ t: 'id', v: word });
    i = j;
  }
  out.push({ t: 'eof' });
  return out;
}

/** Parses a labelSelector query parameter; throws a 400 BadRequest naming the problem. */
export function parseLabelSelector(s: string | undefined): LabelSelector {
  if (s === undefined || s.trim() === '') return LabelSelector.everything();
  const toks = lex(s);
  let p = 0;
  const fail = (why: string) => badRequest(`unable to parse requirement: ${why} in label selector "${s}"`);
  const reqs: Requirement[] = [];
  const checkKey = (k: string) => {
    const errs = qualifiedNameErrors(k);
    if (errs.length) throw badRequest(`unable to parse requirement: values[0][${k}]: Invalid value: "${k}": ${errs.join('; ')}`);
  };
  const checkValue = (v: string) => {
    const errs = labelValueErrors(v);
    if (errs.length) throw badRequest(`unable to parse requirement: values[0][${v}]: Invalid value: "${v}": ${errs.join('; ')}`);
  };
  for (;;) {
    let tok = toks[p];
    if (tok.t === 'eof') {
      if (reqs.length === 0) break;
      throw fail('found \'\', expected: identifier');
    }
    if (tok.t === '!') {
      p++;
      const id = toks[p];
      if (id.t !== 'id') throw fail(`found '${(id as { v?: string }).v ?? id.t}', expected: identifier after '!'`);
      checkKey(id.v);
      reqs.push({ key: id.v, op: '!', values: [] });
      p++;
    } else if (tok.t === 'id') {
      const key = tok.v;
      checkKey(key);
      p++;
      tok = toks[p];
      if (tok.t === ',' || tok.t === 'eof') {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (tok.t === '=' || tok.t === '==' || tok.t === '!=') {
        p++;
        let v = '';
        const vt = toks[p];
        if (vt.t === 'id') { v = vt.v; p++; }
        else if (vt.t !== ',' && vt.t !== 'eof') throw fail(`found '${vt.t}', expected: identifier`);
        checkValue(v);
        reqs.push({ key, op: tok.t === '!=' ? '!=' : '=', values: [v] });
      } else if (tok.t === '>' || tok.t === '<') {
        p++;
        const vt = toks[p];
        if (vt.t !== 'id' || !/^-?\d+$/.test(vt.v)) throw fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
        reqs.push({ key, op: tok.t === '>' ? 'gt' : 'lt', values: [vt.v] });
        p++;
      } else if (tok.t === 'in' || tok.t === 'notin') {
        const op = tok.t;
        p++;
        if (toks[p].t !== '(') throw fail(`found '${toks[p].t}', expected: '('`);
        p++;
        const values: string[] = [];
        for (;;) {
          const vt = toks[p];
          if (vt.t === 'id') { checkValue(vt.v); values.push(vt.v); p++; }
          else if (vt.t === ',' || vt.t === ')') values.push('');
          else throw fail(`found '${vt.t}', expected: ',', ')' or identifier`);
          const sep = toks[p];
          if (sep.t === ',') { p++; continue; }
          if (sep.t === ')') { p++; break; }
          throw fail(`found '${sep.t}', expected: ',' or ')'`);
        }
        reqs.push({ key, op, values: [...new Set(values)].sort() });
      } else {
        throw fail(`found '${(tok as { v?: string }).v ?? tok.t}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    } else {
      throw fail(`found '${tok.t}', expected: !, identifier, or 'end of string'`);
    }
    const sep = toks[p];
    if (sep.t === 'eof') break;
    if (sep.t !== ',') throw fail(`found '${(sep as { v?: string }).v ?? sep.t}', expected: ',' or 'end of string'`);
    p++;
  }
  return new LabelSelector(reqs);
}

/** metav1.LabelSelector as it appears in objects. */
export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

/**
 * Compiles a structured selector. Note the kube asymmetry: a nil selector matches nothing in some
 * APIs and everything in others; callers decide what `undefined` means, this treats {} as everything.
 */
export function labelSelectorFromSpec(spec: LabelSelectorSpec): LabelSelector {
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(spec.matchLabels ?? {})) reqs.push({ key: k, op: '=', values: [v] });
  for (const e of spec.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In': reqs.push({ key: e.key, op: 'in', values: e.values ?? [] }); break;
      case 'NotIn': reqs.push({ key: e.key, op: 'notin', values: e.values ?? [] }); break;
      case 'Exists': reqs.push({ key: e.key, op: 'exists', values: [] }); break;
      case 'DoesNotExist': reqs.push({ key: e.key, op: '!', values: [] }); break;
      default: throw badRequest(`"${String((e as { operator: unknown }).operator)}" is not a valid label selector operator`);
    }
  }
  return new LabelSelector(reqs);
}
