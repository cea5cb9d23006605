/**
 * JSON.stringify that holds any depth. V8's native serializer is recursive and throws RangeError
 * ("Maximum call stack size exceeded") past about 4 000 levels on a fresh stack, fewer inside a
 * request, while Kubernetes accepts documents 10 000 levels deep. The native path stays the fast
 * path; only when it overflows does the same value go through an explicit-stack serializer.
 */

/** Deeper than any accepted document by far; stops a cyclic value from looping forever. */
const MAX_LEVELS = 1_000_000;

/** JSON.stringify(value) (no replacer, no indentation) for values of any depth. */
export function stringifyJSON(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return stringifyIteratively(value);
  }
}

export interface CanonicalOptions {
  /** Object keys in sorted order, so equal values give equal text whatever their key order. */
  sortKeys?: boolean;
  /** An undefined member is written as null instead of being left out. */
  undefinedAsNull?: boolean;
}

/**
 * JSON with object keys sorted (for hashing and comparing values), at any depth: the explicit-stack
 * serializer, as the recursive renderings it replaces overflowed on deep documents.
 */
export function canonicalJSON(value: unknown, opts: Omit<CanonicalOptions, 'sortKeys'> = {}): string {
  return stringifyIteratively(value, { ...opts, sortKeys: true }) ?? 'null';
}

/** An object or array being written: its keys (undefined for arrays) and how far we are. */
interface Frame {
  readonly value: Record<string, unknown> | unknown[];
  readonly keys: string[] | undefined;
  next: number;
  wrote: boolean;
}

/**
 * The explicit-stack serializer: the same text as JSON.stringify (toJSON honoured, undefined,
 * functions and symbols dropped from objects and written as null in arrays, non-finite numbers as
 * null, BigInt refused), built from parts so no level costs stack.
 */
export function stringifyIteratively(value: unknown, opts: CanonicalOptions = {}): string {
  const parts: string[] = [];
  const stack: Frame[] = [];
  // Writes a scalar, or opens a container (returning true); `key` is what toJSON is called with.
  const open = (v: unknown, key: string, inArray: boolean): boolean | undefined => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
      v = (v as { toJSON(k: string): unknown }).toJSON(key);
    }
    switch (typeof v) {
      case 'string': parts.push(JSON.stringify(v)); return false;
      case 'number': parts.push(Number.isFinite(v) ? String(v) : 'null'); return false;
      case 'boolean': parts.push(v ? 'true' : 'false'); return false;
      case 'bigint': throw new TypeError('Do not know how to serialize a BigInt');
      case 'object': {
        if (v === null) { parts.push('null'); return false; }
        if (v instanceof Number || v instanceof String || v instanceof Boolean) { parts.push(JSON.stringify(v)); return false; }
        if (stack.length >= MAX_LEVELS) throw new RangeError('value nested too deeply to serialize (cyclic?)');
        const isArray = Array.isArray(v);
        parts.push(isArray ? '[' : '{');
        const keys = isArray ? undefined : Object.keys(v);
        if (keys && opts.sortKeys) keys.sort();
        stack.push({ value: v as Frame['value'], keys, next: 0, wrote: false });
        return true;
      }
      default: // undefined, function, symbol
        if (inArray || opts.undefinedAsNull) { parts.push('null'); return false; }
        return undefined;
    }
  };
  if (open(value, '', false) === undefined) return undefined as unknown as string;
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.keys === undefined) {
      const arr = f.value as unknown[];
      if (f.next >= arr.length) { parts.push(']'); stack.pop(); continue; }
      const i = f.next++;
      if (i > 0) parts.push(',');
      open(arr[i], String(i), true);
    } else {
      if (f.next >= f.keys.length) { parts.push('}'); stack.pop(); continue; }
      const k = f.keys[f.next++];
      const v = (f.value as Record<string, unknown>)[k];
      // a dropped member must not leave its key and comma behind: write them only once it is kept
      const at = parts.length;
      parts.push(f.wrote ? ',' : '', JSON.stringify(k), ':');
      if (open(v, k, false) === undefined) parts.length = at;
      else f.wrote = true;
    }
  }
  return parts.join('');
}
