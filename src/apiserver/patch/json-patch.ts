/**
 * RFC 6902 JSON patch. Written here rather than taken from fast-json-patch so that failures carry
 * the exact text kube's json-patch library gives (`testing value /spec/replicas failed: test
 * failed`) and so that the input is never mutated.
 */
import type { KubeObject } from '../../storage/types.js';
import { deepClone, isObject, jsonEqual, setOwn } from './json-value.js';
import { malformedPatch, MAX_JSON_PATCH_OPERATIONS, patchNotApplicable, tooManyPatchOperations } from './patch-errors.js';
import { CopyBudget, exceedsDepth, MAX_NESTING_DEPTH, tooDeeplyNested } from '../limits.js';

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** Checks the decoded body is a list of operations (400 otherwise) and not too long (413). */
export function decodeJsonPatch(body: unknown): JsonPatchOperation[] {
  if (!Array.isArray(body)) {
    throw malformedPatch(`json: cannot unmarshal ${isObject(body) ? 'object' : typeof body} into Go value of type jsonpatch.Patch`);
  }
  if (body.length > MAX_JSON_PATCH_OPERATIONS) throw tooManyPatchOperations(body.length);
  for (const op of body) {
    if (!isObject(op)) throw malformedPatch('json: cannot unmarshal non-object into Go value of type jsonpatch.Operation');
  }
  return body as JsonPatchOperation[];
}

class PatchFailure extends Error {}
const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

function parsePointer(p: unknown, what: string): string[] {
  if (typeof p !== 'string') throw new PatchFailure(`${what}: ${MISSING}`);
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchFailure(`${what}: ${MISSING}`);
  return p.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** The container holding the last token of `tokens`, or undefined when a step is missing. */
function findParent(doc: unknown, tokens: string[]): Container | undefined {
  let cur: unknown = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (Array.isArray(cur)) {
      const idx = arrayIndex(t);
      if (idx === undefined || idx >= cur.length) return undefined;
      cur = cur[idx];
    } else if (isObject(cur)) {
      if (!Object.prototype.hasOwnProperty.call(cur, t)) return undefined;
      cur = cur[t];
    } else {
      return undefined;
    }
  }
  return Array.isArray(cur) || isObject(cur) ? cur : undefined;
}

function arrayIndex(t: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(t) ? Number(t) : undefined;
}

function getIn(c: Container, key: string, path: string): unknown {
  if (Array.isArray(c)) {
    const idx = arrayIndex(key);
    if (idx === undefined || idx >= c.length) throw new PatchFailure(`Unable to access invalid index: ${key}: ${INVALID_INDEX}`);
    return c[idx];
  }
  if (!Object.prototype.hasOwnProperty.call(c, key)) return undefined;
  void path;
  return c[key];
}

function addIn(c: Container, key: string, value: unknown, path: string): void {
  if (Array.isArray(c)) {
    if (key === '-') { c.push(value); return; }
    const idx = arrayIndex(key);
    if (idx === undefined) throw new PatchFailure(`value was not a proper array index: '${key}': ${MISSING}`);
    if (idx > c.length) throw new PatchFailure(`error in add for path: '${path}': Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    c.splice(idx, 0, value);
    return;
  }
  setOwn(c, key, value);
}

function removeIn(c: Container, key: string, path: string): unknown {
  if (Array.isArray(c)) {
    const idx = arrayIndex(key);
    if (idx === undefined || idx >= c.length) {
      throw new PatchFailure(`error in remove for path: '${path}': Unable to access invalid index: ${key}: ${INVALID_INDEX}`);
    }
    return c.splice(idx, 1)[0];
  }
  if (!Object.prototype.hasOwnProperty.call(c, key)) {
    throw new PatchFailure(`error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: ${MISSING}`);
  }
  const v = c[key];
  delete c[key];
  return v;
}

/** Applies one operation to `root` (mutating it); returns the new root (it changes when path is ""). */
function applyOp(root: unknown, op: JsonPatchOperation, budget: CopyBudget): unknown {
  const kind = op.op;
  const path = typeof op.path === 'string' ? op.path : '';
  switch (kind) {
    case 'add': {
      if (!('value' in op)) throw new PatchFailure(`add operation failed to decode value: ${MISSING}`);
      const t = parsePointer(op.path, 'add operation failed to decode path');
      if (!t.length) return deepClone(op.value);
      const c = findParent(root, t);
      if (!c) throw new PatchFailure(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      addIn(c, t[t.length - 1], deepClone(op.value), path);
      return root;
    }
    case 'remove': {
      const t = parsePointer(op.path, 'remove operation failed to decode path');
      const c = t.length ? findParent(root, t) : undefined;
      if (!c) throw new PatchFailure(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      removeIn(c, t[t.length - 1], path);
      return root;
    }
    case 'replace': {
      if (!('value' in op)) throw new PatchFailure(`replace operation failed to decode value: ${MISSING}`);
      const t = parsePointer(op.path, 'replace operation failed to decode path');
      if (!t.length) return deepClone(op.value);
      const c = findParent(root, t);
      if (!c) throw new PatchFailure(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      const key = t[t.length - 1];
      const exists = Array.isArray(c) ? arrayIndex(key) !== undefined && arrayIndex(key)! < c.length : Object.prototype.hasOwnProperty.call(c, key);
      if (!exists) throw new PatchFailure(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      if (Array.isArray(c)) c[arrayIndex(key)!] = deepClone(op.value);
      else setOwn(c, key, deepClone(op.value));
      return root;
    }
    case 'move':
    case 'copy': {
      const from = typeof op.from === 'string' ? op.from : '';
      const ft = parsePointer(op.from, `${kind} operation failed to decode from`);
      const fc = ft.length ? findParent(root, ft) : undefined;
      if (!fc) throw new PatchFailure(`${kind} operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      const fkey = ft[ft.length - 1];
      let value: unknown;
      if (kind === 'move') {
        value = removeIn(fc, fkey, from);
      } else {
        value = getIn(fc, fkey, from);
        if (value === undefined) throw new PatchFailure(`error in copy for from: '${from}': ${MISSING}`);
        const over = budget.charge(value);
        if (over !== undefined) throw new PatchFailure(over);
      }
      const t = parsePointer(op.path, `${kind} operation failed to decode path`);
      if (kind === 'copy') {
        // copying a subtree below a deep path multiplies depth; refuse before the recursive clone
        if (exceedsDepth(value, MAX_NESTING_DEPTH - t.length)) throw tooDeeplyNested('the patched object');
        value = deepClone(value);
      }
      if (!t.length) return value;
      const c = findParent(root, t);
      if (!c) throw new PatchFailure(`${kind} operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      addIn(c, t[t.length - 1], value, path);
      return root;
    }
    case 'test': {
      const t = parsePointer(op.path, 'test operation failed to decode path');
      let actual: unknown;
      if (!t.length) {
        actual = root;
      } else {
        const c = findParent(root, t);
        if (!c) throw new PatchFailure(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
        actual = getIn(c, t[t.length - 1], path);
      }
      const expected = 'value' in op ? op.value : undefined;
      const same = actual === undefined ? expected === null || expected === undefined : jsonEqual(actual, expected);
      if (!same) throw new PatchFailure(`testing value ${path} failed: test failed`);
      return root;
    }
    default:
      throw new PatchFailure(`Unexpected kind: ${String(kind)}`);
  }
}

/**
 * Applies an RFC 6902 patch to a copy of `obj`. A body that is not a list of operations is 400, more
 * than 10000 operations 413, and an operation that does not apply (failed test, missing path) 422
 * with the library's reason as the cause, as kube answers.
 */
export function applyJsonPatch(obj: KubeObject, ops: unknown): KubeObject {
  const list = decodeJsonPatch(ops);
  let doc: unknown = deepClone(obj);
  const budget = new CopyBudget();
  try {
    for (const op of list) doc = applyOp(doc, op, budget);
  } catch (e) {
    if (e instanceof PatchFailure) throw patchNotApplicable(e.message);
    // moves can still stack subtrees deeper than any walk's stack
    if (e instanceof RangeError) throw tooDeeplyNested('the patched object');
    throw e;
  }
  if (!isObject(doc)) throw patchNotApplicable('the patched document is not a JSON object');
  return doc as KubeObject;
}
