/**
 * The structured logger (pino). One root logger per process; components take a child with
 * `component` set. Secrets never reach a log line: the redact paths below cover the places a
 * credential can sit in what we log (headers, kubeconfigs, Secret data).
 *
 * Format: `json` (one object a line, for collectors) or `text` (pino-pretty: one readable line
 * per entry, for a person at a terminal); by default text when stdout is a terminal, else json.
 * A key is written once per line: a child binding or a log field equal to one already bound is
 * dropped (pino would repeat it). Errors go out as `{type, message, reason, code}` — the stable
 * Kubernetes reason of a Status error (or a sync failure's reason) — with a stack only for
 * errors that are not such expected outcomes.
 */
import { pino, stdSerializers, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'text' | 'json';

const REDACT = [
  'req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'bearerToken',
  '*.token', '*.data', 'data', 'kubeconfig', '*.kubeconfig', 'key', '*.key', 'privateKey',
  'req.headers.cookie', 'headers.cookie', 'password', '*.password', 'keyPem', '*.keyPem',
  'clientKeyPem', '*.clientKeyPem', 'stringData', '*.stringData',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  /** @default text on a terminal, else json */
  format?: LogFormat;
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.TMC_LOG_LEVEL ?? 'info';
  const format = opts.format ?? (opts.destination === undefined && process.stdout.isTTY ? 'text' : 'json');
  const destination = format === 'text'
    ? PinoPretty({
      destination: opts.destination ?? 1, sync: true, colorize: opts.destination === undefined && !!process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name', singleLine: true,
    })
    : opts.destination as pino.DestinationStream | undefined;
  const root = pino({
    name: opts.name ?? 'tmc',
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
    hooks: {
      logMethod(args, method) {
        const first = args[0];
        if (first && typeof first === 'object' && !(first instanceof Error)) {
          const bound = this.bindings();
          const fields = first as Record<string, unknown>;
          if (Object.keys(fields).some((k) => k in bound && bound[k] === fields[k])) {
            args[0] = Object.fromEntries(Object.entries(fields).filter(([k, v]) => !(k in bound && bound[k] === v)));
          }
        }
        return method.apply(this, args as Parameters<typeof method>);
      },
    },
  }, destination);
  return withDedupedChildren(root, root.child as unknown as ChildFn);
}

/** Children drop bindings their parent already has with the same value. */
type ChildFn = (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;

function withDedupedChildren(logger: Logger, pinoChild: ChildFn): Logger {
  const child = function (bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
    const bound = logger.bindings();
    const fresh = Object.fromEntries(Object.entries(bindings).filter(([k, v]) => !(k in bound && bound[k] === v)));
    return withDedupedChildren(pinoChild.call(logger, fresh, options), pinoChild);
  };
  Object.defineProperty(logger, 'child', { value: child, configurable: true, writable: true });
  return logger;
}

/** Expected outcomes (a Status error such as Conflict or NotFound; a sync failure) need no stack. */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { reason?: unknown; code?: unknown; cause?: unknown };
  const reason = typeof e.reason === 'string' ? e.reason : undefined;
  const out: Record<string, unknown> = { type: e.name, message: e.message };
  if (reason) out.reason = reason;
  if (typeof e.code === 'number' || typeof e.code === 'string') out.code = e.code;
  if (!reason) out.stack = stdSerializers.err(err).stack;
  if (e.cause instanceof Error) out.cause = serializeError(e.cause);
  return out;
}

/** A logger that drops everything; tests and benchmarks use it to keep output clean. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
