/**
 * The string and number formats kube's CR validation knows (the strfmt registry of kube-openapi,
 * limited to what apiextensions accepts). Unknown formats are ignored, as kube does.
 */

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/;
const DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d|w))+$/;

function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || !s.includes(':')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const last = groups[groups.length - 1];
  const hasV4 = last !== undefined && last.includes('.');
  if (hasV4 && !IPV4.test(last)) return false;
  const hex = hasV4 ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  const width = hex.length + (hasV4 ? 2 : 0);
  return halves.length === 2 ? width < 8 : width === 8;
}

function isCIDR(s: string): boolean {
  const [ip, bits, extra] = s.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  if (IPV4.test(ip)) return Number(bits) <= 32;
  return isIPv6(ip) && Number(bits) <= 128;
}

function isURI(s: string): boolean {
  try { return new URL(s).protocol.length > 0; } catch { return false; }
}

const stringFormats: Record<string, (s: string) => boolean> = {
  'date-time': (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  date: (s) => DATE.test(s) && !Number.isNaN(Date.parse(s)),
  byte: (s) => BASE64.test(s),
  uuid: (s) => UUID.test(s),
  uuid3: (s) => UUID.test(s), uuid4: (s) => UUID.test(s), uuid5: (s) => UUID.test(s),
  hostname: (s) => HOSTNAME.test(s),
  email: (s) => EMAIL.test(s),
  ipv4: (s) => IPV4.test(s),
  ipv6: isIPv6,
  cidr: isCIDR,
  mac: (s) => MAC.test(s),
  uri: isURI,
  duration: (s) => DURATION.test(s),
};

const INT32 = 2 ** 31;
// 2^63 is exact as a double; a JSON integer beyond 2^53 has already lost precision in JSON.parse,
// so comparing doubles is as exact as the value itself (and allocates no BigInt per integer).
const INT64 = 2 ** 63;

/** Whether `v` satisfies `format`; true for formats kube does not check and for other types. */
export function satisfiesFormat(format: string, v: unknown): boolean {
  if (typeof v === 'string') {
    const check = stringFormats[format];
    return check ? check(v) : true;
  }
  if (typeof v === 'number' && Number.isInteger(v)) {
    if (format === 'int32') return v >= -INT32 && v < INT32;
    if (format === 'int64') return v >= -INT64 && v < INT64;
  }
  return true;
}

/** Formats validateStructuralSchema accepts without complaint (kube's supported list). */
export const KNOWN_FORMATS = new Set([
  ...Object.keys(stringFormats), 'int32', 'int64', 'float', 'double', 'password', 'bsonobjectid',
  'creditcard', 'isbn', 'isbn10', 'isbn13', 'hexcolor', 'rgbcolor', 'ssn', 'datetime', 'uri',
]);
