/**
 * The structured logger (pino). One root logger per process; components take a child with
 * `component` set. Secrets never reach a log line: the redact paths below cover the places a
 * credential can sit in what we log (headers, kubeconfigs, Secret data).
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'bearerToken',
  '*.token', '*.data', 'data', 'kubeconfig', '*.kubeconfig', 'key', '*.key', 'privateKey',
  'req.headers.cookie', 'headers.cookie', 'password', '*.password', 'keyPem', '*.keyPem',
  'clientKeyPem', '*.clientKeyPem', 'stringData', '*.stringData',
];

export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.TMC_LOG_LEVEL ?? 'info';
  return pino({
    name: opts.name ?? 'tmc',
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  }, opts.destination as pino.DestinationStream | undefined);
}

/** A logger that drops everything; tests and benchmarks use it to keep output clean. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
