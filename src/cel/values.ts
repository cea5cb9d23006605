/**
 * JSON ⇄ CEL values. JSON numbers arrive as JS numbers, which cel-js treats as `double`; kube
 * treats schema `integer` fields as `int`, so `self.spec.replicas + 1` must see a BigInt.
 *
 * - With a schema (apiextensions JSONSchemaProps): `type: integer` and int-or-string numbers
 *   become BigInt; `type: number` stays a double even when integral; `format: date-time`/`date`
 *   strings become timestamps, `format: byte` strings become bytes; property names that are not
 *   CEL identifiers are escaped the kube way (`__dash__`, `__dot__`, `__slash__`,
 *   `__underscores__`, `__{keyword}__`).
 * - Without a schema (schemaless params, preserve-unknown-fields, placement's `cluster`): every
 *   integral number becomes an int, like kube's JSON decoding into int64 — JS cannot tell `1.0`
 *   from `1`, so integral doubles are ints here.
 *
 * Results go back with `fromCelValue`: BigInt → number when it is a safe integer, Maps → objects,
 * optionals unwrapped (none → undefined).
 */

import { Optional } from '@marcbachmann/cel-js';
import { runWalk, type Walk } from '../machinery/deep-walk.js';
import { RECURSION_BUDGET, setOwn } from '../machinery/objects.js';

/** The parts of apiextensions JSONSchemaProps that shape CEL values (JSONSchemaProps is assignable). */
export interface CelSchema {
  type?: string;
  format?: string;
  properties?: Record<string, CelSchema>;
  additionalProperties?: CelSchema | boolean;
  items?: CelSchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);
const IDENT = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The name a schema property has in CEL (apiextensions `Escape`), or undefined when it cannot be
 * expressed (such properties are not visible to rules, as in kube).
 */
export function escapePropertyName(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (IDENT.test(name) && !name.includes('__')) return name;
  const escaped = name
    .replace(/__/g, '__underscores__')
    .replace(/\./g, '__dot__')
    .replace(/-/g, '__dash__')
    .replace(/\//g, '__slash__');
  return IDENT.test(escaped) ? escaped : undefined;
}

const escapeCache = new Map<string, string | undefined>();
function escapedKey(name: string): string | undefined {
  if (IDENT.test(name) && !name.includes('__') && !CEL_RESERVED.has(name)) return name;
  let v = escapeCache.get(name);
  if (v === undefined && !escapeCache.has(name)) {
    v = escapePropertyName(name);
    if (escapeCache.size < 10_000) escapeCache.set(name, v);
  }
  return v;
}

/** Converts a JSON value to its CEL shape, guided by `schema` when given. Never throws. */
export function toCelValue(value: unknown, schema?: CelSchema): unknown {
  if (schema === undefined) return schemalessWithin(value, RECURSION_BUDGET);
  return withSchemaWithin(value, schema, RECURSION_BUDGET);
}

/*
 * Each conversion recurses (the fast path) down to RECURSION_BUDGET levels, then converts the rest
 * of the subtree as a walk (machinery/deep-walk.ts) on an explicit stack: a preserve-unknown-fields
 * subtree may be 10 000 levels deep. The two forms convert alike.
 */

function schemaless(v: unknown): unknown {
  switch (typeof v) {
    case 'number': return Number.isInteger(v) ? BigInt(v) : v;
    case 'undefined': return null;
    default: return v;
  }
}

function schemalessWithin(v: unknown, budget: number): unknown {
  if (typeof v !== 'object' || v === null) return schemaless(v);
  if (budget === 0) return runWalk(schemalessWalk(v));
  if (Array.isArray(v)) return v.map((x) => schemalessWithin(x, budget - 1));
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k in v) setOwn(out, k, schemalessWithin((v as Record<string, unknown>)[k], budget - 1));
  return out;
}

function* schemalessWalk(v: unknown): Walk<unknown> {
  if (typeof v !== 'object' || v === null) return schemaless(v);
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      out[i] = typeof x === 'object' && x !== null ? yield schemalessWalk(x) : schemaless(x);
    }
    return out;
  }
  if (!isPlainObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    setOwn(out, k, typeof x === 'object' && x !== null ? yield schemalessWalk(x) : schemaless(x));
  }
  return out;
}

function withSchema(v: unknown, s: CelSchema): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'number':
      if (s.type === 'number') return v;
      if (s.type === 'integer' || s['x-kubernetes-int-or-string'] || s.type === undefined) {
        return Number.isInteger(v) ? BigInt(v) : v;
      }
      return v;
    case 'string':
      if (s.type === 'string' && s.format !== undefined) return formatted(v, s.format);
      return v;
    default:
      return v;
  }
}

function withSchemaWithin(v: unknown, s: CelSchema, budget: number): unknown {
  if (typeof v !== 'object' || v === null) return withSchema(v, s);
  if (budget === 0) return runWalk(withSchemaWalk(v, s));
  if (Array.isArray(v)) {
    const items = s.items;
    return items ? v.map((x) => withSchemaWithin(x, items, budget - 1)) : v.map((x) => schemalessWithin(x, budget - 1));
  }
  if (!isPlainObject(v)) return v;
  const props = s.properties;
  const addl = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const ps = props && Object.hasOwn(props, k) ? props[k] : undefined;
    if (ps !== undefined) {
      const name = escapedKey(k);
      if (name !== undefined) setOwn(out, name, withSchemaWithin(x, ps, budget - 1));
    } else if (addl !== undefined) {
      setOwn(out, k, withSchemaWithin(x, addl, budget - 1));
    } else {
      setOwn(out, k, schemalessWithin(x, budget - 1));
    }
  }
  return out;
}

function* withSchemaWalk(v: unknown, s: CelSchema): Walk<unknown> {
  if (typeof v !== 'object' || v === null) return withSchema(v, s);
  if (Array.isArray(v)) {
    const items = s.items;
    return yield (items ? listWithSchema(v, items) : schemalessWalk(v));
  }
  if (!isPlainObject(v)) return v;
  const props = s.properties;
  const addl = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const ps = props && Object.hasOwn(props, k) ? props[k] : undefined;
    if (ps !== undefined) {
      const name = escapedKey(k);
      if (name !== undefined) setOwn(out, name, yield withSchemaWalk(x, ps));
    } else if (addl !== undefined) {
      setOwn(out, k, yield withSchemaWalk(x, addl));
    } else {
      setOwn(out, k, typeof x === 'object' && x !== null ? yield schemalessWalk(x) : schemaless(x));
    }
  }
  return out;
}

function* listWithSchema(v: unknown[], items: CelSchema): Walk<unknown[]> {
  const out: unknown[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = yield withSchemaWalk(v[i], items);
  return out;
}

function formatted(v: string, format: string): unknown {
  switch (format) {
    case 'date-time':
    case 'date': {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? v : d;
    }
    case 'byte':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? new Uint8Array(Buffer.from(v, 'base64')) : v;
    default:
      return v;
  }
}

function isPlainObject(v: object): boolean {
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Converts a CEL result back to plain JS/JSON shapes. */
export function fromCelValue(v: unknown): unknown {
  return fromCelWithin(v, RECURSION_BUDGET);
}

function fromCelScalar(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  return v;
}

function fromCelWithin(v: unknown, budget: number): unknown {
  if (typeof v !== 'object' || v === null) return fromCelScalar(v);
  if (budget === 0) return runWalk(fromCelWalk(v));
  if (Array.isArray(v)) return v.map((x) => fromCelWithin(x, budget - 1));
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) setOwn(out, String(k), fromCelWithin(x, budget - 1));
    return out;
  }
  if (v instanceof Optional) return v.hasValue() ? fromCelWithin(v.value(), budget - 1) : undefined;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k in v) setOwn(out, k, fromCelWithin((v as Record<string, unknown>)[k], budget - 1));
    return out;
  }
  const prim = v.valueOf();
  return typeof prim === 'bigint' ? fromCelScalar(prim) : v;
}

function* fromCelWalk(v: unknown): Walk<unknown> {
  if (typeof v !== 'object' || v === null) return fromCelScalar(v);
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = yield fromCelWalk(v[i]);
    return out;
  }
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) setOwn(out, String(k), yield fromCelWalk(x));
    return out;
  }
  if (v instanceof Optional) return v.hasValue() ? yield fromCelWalk(v.value()) : undefined;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k in v) setOwn(out, k, yield fromCelWalk((v as Record<string, unknown>)[k]));
    return out;
  }
  const prim = v.valueOf();
  return typeof prim === 'bigint' ? fromCelScalar(prim) : v;
}
