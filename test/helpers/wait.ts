/**
 * The one polling helper of the tests: calls `fn` until it yields a value (anything but
 * undefined, null or false) and returns that value. A throw counts as "not yet": just-created
 * objects may 404 and servers may still be starting; the last error is in the timeout message so
 * a test that never gets there says why.
 */
export interface WaitOptions {
  /** How long to keep trying; default 20 s. */
  timeoutMs?: number;
  /** Pause between tries; default 50 ms. */
  everyMs?: number;
}

type Pending = undefined | null | false;

export async function waitFor<T>(what: string, fn: () => T | Pending | Promise<T | Pending>, opts: WaitOptions = {}): Promise<Exclude<T, Pending>> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const everyMs = opts.everyMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v as Exclude<T, Pending>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = lastError === undefined ? '' : `: last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
