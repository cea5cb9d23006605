/**
 * One YAML parse with kube's bounds and its failures classified, shared by the main thread
 * (yaml-body.ts) and the worker (yaml-worker.ts) so that both answer alike. Imports nothing of
 * theirs, so neither side's module pulls in the other's.
 */
import { CORE_SCHEMA, load as loadYAML } from 'js-yaml';
import { badRequest, type StatusError } from '../errors/status.js';
import { MAX_NESTING_DEPTH, tooDeeplyNested } from './limits.js';

/** What js-yaml made of a text, with failures classified so that both threads answer alike. */
export type YamlParse =
  | { value: unknown }
  | { failure: 'too-deep' | 'stack' | 'syntax'; message: string };

export function parseYaml(text: string): YamlParse {
  try {
    // js-yaml rather than the yaml package: its duplicate-key check is a hash lookup, where yaml's
    // uniqueKeys compares each key with every earlier one (a 50 000-key map took minutes), and it
    // parses several times faster (yaml also recurses, and overflows sooner). The core schema, as
    // YAML 1.2 and kube: no timestamps. js-yaml refuses more than 100 levels unless told otherwise,
    // and counts two nodes more than collections (the leaf scalar and one more): with this bound it
    // reads exactly kube's 10 000 levels of objects and arrays, and assertNestingDepth is exact.
    return { value: loadYAML(text, { schema: CORE_SCHEMA, maxDepth: MAX_NESTING_DEPTH + 2 }) };
  } catch (e) {
    const message = (e as Error).message;
    if (/exceeded maxDepth/.test(message)) return { failure: 'too-deep', message };
    if (e instanceof RangeError || /call stack/.test(message)) return { failure: 'stack', message };
    return { failure: 'syntax', message: message.split('\n')[0] };
  }
}

/** The Status for a failed parse (a stack overflow can only be "too deep" for the caller). */
export function yamlFailure(parsed: { failure: string; message: string }): StatusError {
  if (parsed.failure === 'syntax') return badRequest(`error decoding YAML: ${parsed.message}`);
  return tooDeeplyNested();
}
