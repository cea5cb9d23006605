/**
 * Kubernetes format library (apiserver pkg/cel/library/format.go, 1.31): `format.named(name)`
 * (an optional Format), `format.dns1123Label()` and friends, and `<Format>.validate(str)` which
 * returns `optional.none()` when the string is valid, else an optional list of error messages.
 */

import { Optional } from '@marcbachmann/cel-js';
import { labelValueErrors, qualifiedNameErrors } from '../../machinery/labels.js';
import { dns1123LabelErrors, dns1123SubdomainErrors } from '../../machinery/names.js';
import { parseURL } from './urls.js';
import { chargeString, type Registrar } from './util.js';

export class KubeFormat {
  constructor(readonly name: string, readonly validate: (s: string) => string[]) {}
  equals(o: unknown): boolean { return o instanceof KubeFormat && o.name === this.name; }
  toString(): string { return `format.${this.name}`; }
}

class FormatNamespace {}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
function dns1035LabelErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1035.test(v)) {
    errs.push("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }
  return errs;
}

/** Prefix validators (for generateName): a trailing '-' is allowed (apimachinery maskTrailingDash). */
function prefixed(v: (s: string) => string[]): (s: string) => string[] {
  return (s) => v(s.length > 1 && s.endsWith('-') ? `${s.slice(0, -1)}a` : s);
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function validDate(y: string, m: string, d: string): boolean {
  const dt = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return dt.getUTCFullYear() === Number(y) && dt.getUTCMonth() === Number(m) - 1 && dt.getUTCDate() === Number(d);
}

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: dns1123LabelErrors,
  dns1123Subdomain: dns1123SubdomainErrors,
  dns1035Label: dns1035LabelErrors,
  qualifiedName: qualifiedNameErrors,
  dns1123LabelPrefix: prefixed(dns1123LabelErrors),
  dns1123SubdomainPrefix: prefixed(dns1123SubdomainErrors),
  dns1035LabelPrefix: prefixed(dns1035LabelErrors),
  labelValue: labelValueErrors,
  uri: (s) => { const u = parseURL(s); return typeof u === 'string' ? ['invalid URI'] : []; },
  uuid: (s) => (UUID.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => { const m = DATE.exec(s); return m && validDate(m[1], m[2], m[3]) ? [] : ['invalid date']; },
  datetime: (s) => {
    const m = DATETIME.exec(s);
    return m && validDate(m[1], m[2], m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61 ? [] : ['invalid datetime'];
  },
};

export const FORMAT_NAMES = Object.keys(FORMATS);

export function registerFormat(env: Registrar): void {
  env.registerType('Format', KubeFormat);
  env.registerType('FormatNamespace', FormatNamespace);
  env.registerConstant('format', 'FormatNamespace', new FormatNamespace());
  const instances = new Map(Object.entries(FORMATS).map(([n, v]) => [n, new KubeFormat(n, v)]));
  env.registerFunction('FormatNamespace.named(string): optional<Format>', (_: unknown, name: string) => {
    const f = instances.get(name);
    return f ? Optional.of(f) : Optional.none();
  });
  for (const [name, f] of instances) {
    env.registerFunction(`FormatNamespace.${name}(): Format`, () => f);
  }
  env.registerFunction('Format.validate(string): optional<list<string>>', (f: KubeFormat, s: string) => {
    chargeString(s);
    const errs = f.validate(s);
    return errs.length === 0 ? Optional.none() : Optional.of(errs);
  });
  env.registerOperator('Format == Format', (a: KubeFormat, b: KubeFormat) => a.equals(b));
}
