/**
 * Kubernetes URL library (apiserver pkg/cel/library/urls.go): `url, isURL, getScheme, getHost,
 * getHostname, getPort, getEscapedPath, getQuery`. Parsing follows Go's url.ParseRequestURI: an
 * absolute URL or an absolute path; nothing is normalised (ports and case are kept as written).
 */

import { fail, type Registrar } from './util.js';

export class KubeURL {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly rawQuery: string,
  ) {}

  get hostname(): string {
    const h = this.host;
    if (h.startsWith('[')) { const end = h.indexOf(']'); return end > 0 ? h.slice(1, end) : h; }
    const colon = h.lastIndexOf(':');
    return colon >= 0 ? h.slice(0, colon) : h;
  }

  get port(): string {
    const h = this.host;
    const colon = h.lastIndexOf(':');
    if (colon < 0 || (h.startsWith('[') && colon < h.indexOf(']'))) return '';
    return h.slice(colon + 1);
  }

  equals(o: unknown): boolean { return o instanceof KubeURL && o.toString() === this.toString(); }

  toString(): string {
    return `${this.scheme ? `${this.scheme}:` : ''}${this.host || this.scheme ? `//${this.host}` : ''}${this.path}${this.rawQuery ? `?${this.rawQuery}` : ''}`;
  }
}

const ABSOLUTE = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#.*)?$/;
const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[^\s\[\]:/?#@]*)(?::\d*)?$/;
const BAD_ESCAPE = /%(?![0-9a-fA-F]{2})/;

export function parseURL(raw: string): KubeURL | string {
  const err = (why: string) => `URL parse error during conversion from string: parse ${JSON.stringify(raw)}: ${why}`;
  if (raw === '') return err('empty url');
  if (/[\x00-\x1f\x7f ]/.test(raw)) return err('invalid character in URL');
  if (raw.startsWith('/')) {
    const q = raw.indexOf('?');
    const path = q >= 0 ? raw.slice(0, q) : raw;
    if (BAD_ESCAPE.test(path)) return err('invalid URL escape');
    return new KubeURL('', '', path, q >= 0 ? raw.slice(q + 1) : '');
  }
  const m = ABSOLUTE.exec(raw);
  if (!m) return err('invalid URI for request');
  const [, scheme, authority = '', path = '', query = ''] = m;
  const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  if (!HOST.test(host)) return err(`invalid character in host name`);
  if (BAD_ESCAPE.test(path)) return err('invalid URL escape');
  return new KubeURL(scheme, host, path, query);
}

function decode(s: string): string {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return s; }
}

function queryMap(u: KubeURL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!u.rawQuery) return out;
  for (const part of u.rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decode(eq >= 0 ? part.slice(0, eq) : part);
    const v = eq >= 0 ? decode(part.slice(eq + 1)) : '';
    const list = out.get(k);
    if (list) list.push(v); else out.set(k, [v]);
  }
  return out;
}

export function registerURLs(env: Registrar): void {
  env.registerType('net.URL', KubeURL);
  env.registerFunction('url(string): net.URL', (s: string) => {
    const u = parseURL(s);
    return typeof u === 'string' ? fail('invalid_url', u) : u;
  });
  env.registerFunction('isURL(string): bool', (s: string) => typeof parseURL(s) !== 'string');
  env.registerFunction('net.URL.getScheme(): string', (u: KubeURL) => u.scheme);
  env.registerFunction('net.URL.getHost(): string', (u: KubeURL) => u.host);
  env.registerFunction('net.URL.getHostname(): string', (u: KubeURL) => u.hostname);
  env.registerFunction('net.URL.getPort(): string', (u: KubeURL) => u.port);
  env.registerFunction('net.URL.getEscapedPath(): string', (u: KubeURL) => u.path);
  env.registerFunction('net.URL.getQuery(): map<string, list<string>>', queryMap);
  env.registerOperator('net.URL == net.URL', (a: KubeURL, b: KubeURL) => a.equals(b));
}
