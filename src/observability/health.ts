/**
 * Health checks for /healthz, /livez and /readyz, answering as kube's apiserver does
 * (staging/src/k8s.io/apiserver/pkg/server/healthz):
 *
 *   all pass, plain      200 `ok`
 *   all pass, ?verbose   200 `[+]ping ok\n[+]storage ok\nreadyz check passed\n`
 *   any fails            500 `[+]ping ok\n[-]storage failed: reason withheld\nreadyz check failed`
 *   /readyz/<name>       200 `ok` or 500 `internal server error: <error>`
 *
 * Failure details stay out of the response body (kube withholds them too: they may reveal
 * internals) and go to the log via `onFailure`. `?exclude=<name>` skips a check.
 *
 * One exception, for load balancers and operators: a check that fails with `Unavailable` (a
 * dependency is down, e.g. etcd without quorum) makes the answer 503 and shows its message, which
 * is written for the public: `[-]storage failed: etcd is unavailable: …`.
 */

/** Passes by returning (anything but `false`), fails by throwing or returning `false`. */
export type HealthCheck = () => unknown | Promise<unknown>;

export interface HealthResponse { status: 200 | 404 | 500 | 503; body: string }

/** A check's failure meaning "a dependency is unavailable"; its message is shown (see the header). */
export class Unavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Unavailable';
  }
}

export interface HealthRegistryOptions {
  /** `healthz`, `livez` or `readyz`: used in the summary line. */
  name: string;
  /** A check that has not settled after this long fails (default 5 s). */
  timeoutMs?: number;
  onFailure?: (check: string, err: unknown) => void;
}

export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  readonly name: string;
  private readonly timeoutMs: number;
  private readonly onFailure?: (check: string, err: unknown) => void;

  constructor(opts: HealthRegistryOptions) {
    this.name = opts.name;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.onFailure = opts.onFailure;
    this.add('ping', () => true);
  }

  add(name: string, check: HealthCheck): this {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw new Error(`invalid health check name "${name}"`);
    this.checks.set(name, check);
    return this;
  }

  remove(name: string): boolean {
    return this.checks.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Runs all checks (in parallel). `query` is the URL's search params. */
  async handle(query: URLSearchParams = new URLSearchParams()): Promise<HealthResponse> {
    const excluded = new Set(query.getAll('exclude'));
    const verbose = query.has('verbose');
    const lines: string[] = [];
    let failed = false;
    let unavailable = false;
    const results = await Promise.all([...this.checks].map(async ([name, check]) =>
      excluded.has(name) ? { name, excluded: true, err: undefined } : { name, excluded: false, err: await this.run(name, check) }));
    for (const r of results) {
      if (r.excluded) lines.push(`[+]${r.name} excluded: ok`);
      else if (r.err === undefined) lines.push(`[+]${r.name} ok`);
      else if (r.err instanceof Unavailable) { failed = unavailable = true; lines.push(`[-]${r.name} failed: ${r.err.message}`); }
      else { failed = true; lines.push(`[-]${r.name} failed: reason withheld`); }
    }
    if (failed) return { status: unavailable ? 503 : 500, body: `${lines.join('\n')}\n${this.name} check failed` };
    if (!verbose) return { status: 200, body: 'ok' };
    return { status: 200, body: `${lines.join('\n')}\n${this.name} check passed\n` };
  }

  /** /<name>/<check>: one check alone. */
  async handleOne(checkName: string): Promise<HealthResponse> {
    const check = this.checks.get(checkName);
    if (!check) return { status: 404, body: `404 page not found` };
    const err = await this.run(checkName, check);
    if (err === undefined) return { status: 200, body: 'ok' };
    if (err instanceof Unavailable) return { status: 503, body: `service unavailable: ${err.message}` };
    return { status: 500, body: `internal server error: ${errorText(err)}` };
  }

  /** undefined when the check passed, else the failure. */
  private async run(name: string, check: HealthCheck): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        // Not unref'd: the caller awaits this answer; `finally` always clears it.
        timer = setTimeout(() => reject(new Error(`check timed out after ${this.timeoutMs}ms`)), this.timeoutMs);
      });
      const v = await Promise.race([Promise.resolve().then(check), timeout]);
      if (v === false) throw new Error('check returned false');
      return undefined;
    } catch (e) {
      this.onFailure?.(name, e);
      return e ?? new Error('check failed');
    } finally {
      clearTimeout(timer);
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
