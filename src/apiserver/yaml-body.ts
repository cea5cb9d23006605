/**
 * YAML request bodies (`application/yaml`, apply patches): js-yaml with kube's bounds, on whichever
 * thread has the stack for the document.
 *
 * js-yaml spends several JavaScript calls per level of nesting, so the main thread's stack holds
 * about 1 500 levels where kube reads 10 000. A linear pre-scan bounds how deep a body can nest;
 * bodies it finds shallow (every real manifest) parse here as they always did, deeper ones parse in
 * a worker thread with a larger stack (yaml-worker-client.ts), with the same parser and options, so
 * both give the same value or the same error. Should the pre-scan be fooled (it is a cheap
 * estimate, not a YAML lexer), the overflow here sends the body to the worker all the same.
 */
import { assertNestingDepth, jsonSizeAtLeast, MAX_OBJECT_BYTES, objectTooLarge } from './limits.js';
import { stringifyJSON } from '../machinery/json-text.js';
import { decodeYamlInWorker } from './yaml-worker-client.js';
import { parseYaml, yamlFailure } from './yaml-parse.js';

export { parseYaml, yamlFailure, type YamlParse } from './yaml-parse.js';

/** Documents the pre-scan bounds at or under this parse on the main thread. */
export const MAIN_THREAD_YAML_DEPTH = 1_000;

/**
 * Aliases share subtrees: a few lines can stand for gigabytes once expanded (CVE-2019-11253).
 * Measures the expansion (a walk that stops at the limit) before anything else walks the value.
 */
export function assertExpansionBounded(value: unknown): void {
  const size = jsonSizeAtLeast(value, MAX_OBJECT_BYTES);
  if (size > MAX_OBJECT_BYTES) throw objectTooLarge(size);
}

/** Decodes on this thread: documents past what its stack holds are refused as too deep. */
export function decodeYamlBody(text: string): unknown {
  const parsed = parseYaml(text);
  if ('failure' in parsed) throw yamlFailure(parsed);
  return finish(parsed.value, text);
}

/** Decodes any document kube would read, deep ones in the worker. */
export async function decodeYamlBodyAsync(text: string): Promise<unknown> {
  if (yamlNestingBound(text) <= MAIN_THREAD_YAML_DEPTH) {
    const parsed = parseYaml(text);
    if (!('failure' in parsed)) return finish(parsed.value, text);
    if (parsed.failure !== 'stack') throw yamlFailure(parsed);
  }
  return decodeYamlInWorker(text);
}

function finish(value: unknown, text: string): unknown {
  assertExpansionBounded(value);
  assertNestingDepth(value);
  // unshare aliased subtrees, so that editing one place never edits another
  return text.includes('*') ? JSON.parse(stringifyJSON(value)) : value;
}

/**
 * An estimate, from above for any document a person or a serializer writes, of how deeply a YAML
 * text nests, in one pass: flow brackets open at this point, plus twice what the line's indentation
 * and its indicators (`-`, `?`, `:`) could each open (a block sequence may sit at its parent
 * mapping's indentation). Brackets inside quoted scalars count too; it is only an estimate.
 */
export function yamlNestingBound(text: string): number {
  let max = 0, flow = 0, indent = 0, indicators = 0, atIndent = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) { indent = 0; indicators = 0; atIndent = true; continue; }
    if (atIndent) {
      if (c === 0x20) { indent++; continue; }
      atIndent = false;
    }
    if (c === 0x5b || c === 0x7b) flow++;                               // [ {
    else if (c === 0x5d || c === 0x7d) { if (flow > 0) flow--; }        // ] }
    else if (c === 0x2d || c === 0x3f || c === 0x3a) indicators++;      // - ? :
    else continue;
    const bound = flow + 2 * (indent + indicators) + 1;
    if (bound > max) max = bound;
  }
  return Math.max(max, 2 * indent + 1);
}
