/**
 * Recursive walks over user documents without recursion on the call stack. Kubernetes accepts
 * documents 10 000 levels deep; a JavaScript call per level overflows the stack at a few thousand.
 *
 * A walk is written as a generator that `yield`s a sub-walk where it would have called itself, and
 * receives the sub-walk's result as the value of the `yield`:
 *
 *   function* size(v: unknown): Walk<number> {
 *     if (typeof v !== 'object' || v === null) return 1;
 *     let n = 1;
 *     for (const x of Object.values(v)) n += yield size(x);
 *     return n;
 *   }
 *   runWalk(size(doc));
 *
 * `runWalk` keeps the chain of pending walks in an array, so depth costs heap, not stack. A throw in
 * a sub-walk reaches the caller's `try` like an exception from a call would.
 */

// `any` as what a `yield` evaluates to: each call site knows its sub-walk's result type
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Walk<R> = Generator<Walk<unknown>, R, any>;

export function runWalk<R>(walk: Walk<R>): R {
  const pending: Array<Walk<unknown>> = [walk];
  let input: unknown;
  let failed = false;
  let error: unknown;
  for (;;) {
    const top = pending[pending.length - 1];
    let step: IteratorResult<Walk<unknown>, unknown>;
    try {
      step = failed ? top.throw(error) : top.next(input);
    } catch (e) {
      pending.pop();
      if (pending.length === 0) throw e;
      failed = true;
      error = e;
      continue;
    }
    failed = false;
    if (step.done) {
      pending.pop();
      if (pending.length === 0) return step.value as R;
      input = step.value;
    } else {
      pending.push(step.value);
      input = undefined;
    }
  }
}
