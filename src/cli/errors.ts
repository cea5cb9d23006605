/**
 * The two ways a tmcctl command fails: a usage error (wrong flags or arguments; exit 2, as kubectl
 * and commander do) and a run-time error (the server said no, a wait timed out; exit 1). Both carry
 * a message that says what to do next.
 */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export class CliError extends Error {
  readonly exitCode = 1;
}

/** The exit code for anything a command threw. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof UsageError) return 2;
  return 1;
}
