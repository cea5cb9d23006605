/**
 * Typed CEL errors. Every failure the CEL layer reports is one of these four, so callers
 * (CRD validation, admission policies, placement rules) can map them to the right kube wording
 * and HTTP status without parsing engine messages:
 *
 * - `CelCompileError` — the text does not parse (or breaks a structural limit); carries position.
 * - `CelTypeError`    — it parses but does not type-check in the environment (e.g. `'a' + 1`).
 * - `CelRuntimeError` — evaluation failed (no such key, division by zero, bad quantity, …).
 * - `CelCostError`    — evaluation ran out of its cost budget, or the expression is too large.
 */

export type CelErrorKind = 'compile' | 'type' | 'runtime' | 'cost';

export interface CelErrorPosition {
  /** 0-based character offset into the expression. */
  offset: number;
  /** 1-based line and column, as kube prints them. */
  line: number;
  column: number;
}

export abstract class CelError extends Error {
  abstract readonly kind: CelErrorKind;
  /** A stable machine-readable code (the engine's code where it has one, e.g. `no_such_key`). */
  readonly code: string;
  /** The one-line message without source highlighting. */
  readonly summary: string;
  readonly expression?: string;
  readonly position?: CelErrorPosition;

  constructor(summary: string, opts: { code: string; expression?: string; offset?: number; cause?: unknown }) {
    super(formatMessage(summary, opts.expression, opts.offset), opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.code = opts.code;
    this.summary = summary;
    this.expression = opts.expression;
    if (opts.expression !== undefined && opts.offset !== undefined) {
      this.position = positionOf(opts.expression, opts.offset);
    }
  }
}

export class CelCompileError extends CelError {
  readonly kind = 'compile' as const;
  override readonly name = 'CelCompileError';
}

export class CelTypeError extends CelError {
  readonly kind = 'type' as const;
  override readonly name = 'CelTypeError';
}

export class CelRuntimeError extends CelError {
  readonly kind = 'runtime' as const;
  override readonly name = 'CelRuntimeError';
}

export class CelCostError extends CelError {
  readonly kind = 'cost' as const;
  override readonly name = 'CelCostError';
}

export function isCelError(e: unknown): e is CelError {
  return e instanceof CelError;
}

/** Kube's runtime wording for budget exhaustion (cel-go `interpreter.CostLimitExceeded`). */
export const COST_LIMIT_MESSAGE = 'operation cancelled: actual cost limit exceeded';

function positionOf(expr: string, offset: number): CelErrorPosition {
  const clamped = Math.max(0, Math.min(offset, expr.length));
  const before = expr.slice(0, clamped);
  const line = before.split('\n').length;
  const column = clamped - (before.lastIndexOf('\n') + 1) + 1;
  return { offset: clamped, line, column };
}

/**
 * cel-go style: `ERROR: <input>:1:5: message\n | a + + b\n | ....^` — kube echoes exactly this
 * in "compilation failed" field errors.
 */
function formatMessage(summary: string, expr: string | undefined, offset: number | undefined): string {
  if (expr === undefined || offset === undefined) return summary;
  const p = positionOf(expr, offset);
  const lineText = expr.split('\n')[p.line - 1] ?? '';
  return `ERROR: <input>:${p.line}:${p.column}: ${summary}\n | ${lineText}\n | ${'.'.repeat(p.column - 1)}^`;
}

/**
 * The text kube puts in field errors and denial messages for a failed CEL expression:
 * compile/type errors read "compilation failed: …", cost errors use the cel-go wording,
 * runtime errors are the evaluation message.
 */
export function celErrorMessage(err: unknown): string {
  if (err instanceof CelCostError) return err.summary;
  if (err instanceof CelCompileError || err instanceof CelTypeError) return `compilation failed: ${err.message}`;
  if (err instanceof CelRuntimeError) return err.summary;
  if (err instanceof Error) return err.message;
  return String(err);
}
