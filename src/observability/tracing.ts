/**
 * OpenTelemetry tracing (@opentelemetry/api; Node SDK + OTLP/HTTP exporter). Off unless
 * `--tracing-endpoint` or the standard OTEL_EXPORTER_OTLP_ENDPOINT /
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT variable is set (and OTEL_SDK_DISABLED is not `true`); while
 * off, every helper here works on the API's no-op tracer and costs next to nothing.
 *
 * Sampling: parent-based, with a root ratio from `--tracing-sampling-ratio` or
 * OTEL_TRACES_SAMPLER_ARG (default 1). Context travels in W3C `traceparent`: on HTTP requests
 * (the client injects it, the API server extracts it) and, across the asynchronous hops (API
 * request → placement controller → syncer → physical cluster), in the annotation
 * `tmc.kcp.io/trace-context` the API server stamps on written objects (TRACE_CONTEXT_ANNOTATION).
 */
import {
  ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace,
  type Attributes, type Context, type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import type { Logger } from './logger.js';

export { SpanKind };

/** On a written object: the W3C traceparent of the write, for whoever acts on it next. */
export const TRACE_CONTEXT_ANNOTATION = 'tmc.kcp.io/trace-context';

export interface TracingOptions {
  /** OTLP/HTTP traces URL, e.g. http://collector:4318/v1/traces. @default from OTEL_* */
  endpoint?: string;
  /** Fraction of root traces sampled (children follow their parent). @default OTEL_TRACES_SAMPLER_ARG or 1 */
  samplingRatio?: number;
  /** service.name. @default OTEL_SERVICE_NAME or `tmc-server` */
  serviceName?: string;
  logger?: Logger;
}

export interface Tracing { shutdown(): Promise<void> }

let active: NodeTracerProvider | undefined;

/** The endpoint tracing would export to, or undefined when it stays off. */
export function tracingEndpoint(flag?: string): string | undefined {
  if (process.env.OTEL_SDK_DISABLED === 'true') return undefined;
  if (flag) return flag;
  const traces = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  const base = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

/** Starts the SDK once per process (a second call while running returns the running one). */
export function startTracing(opts: TracingOptions = {}): Tracing | undefined {
  const url = tracingEndpoint(opts.endpoint);
  if (!url) return undefined;
  if (active) return { shutdown: async () => undefined };
  const ratio = opts.samplingRatio ?? envRatio() ?? 1;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName ?? process.env.OTEL_SERVICE_NAME ?? 'tmc-server' }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), {
      scheduledDelayMillis: Number(process.env.OTEL_BSP_SCHEDULE_DELAY) || 1000,
    })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  active = provider;
  opts.logger?.info({ endpoint: url, samplingRatio: ratio }, 'tracing on: exporting spans over OTLP/HTTP');
  return {
    shutdown: async () => {
      if (active !== provider) return;
      active = undefined;
      await provider.shutdown().catch((err: unknown) => opts.logger?.warn({ err }, 'tracing shutdown failed'));
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

function envRatio(): number | undefined {
  const v = Number(process.env.OTEL_TRACES_SAMPLER_ARG);
  return process.env.OTEL_TRACES_SAMPLER_ARG !== undefined && Number.isFinite(v) && v >= 0 && v <= 1 ? v : undefined;
}

/** True while the SDK runs in this process. */
export function isTracing(): boolean {
  return active !== undefined;
}

export function tracer() {
  return trace.getTracer('tmc');
}

/** Runs `fn` in a new active span (a child of `parent`, else of the active context); records a throw. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>,
  opts: { parent?: Context; kind?: SpanKind } = {}): Promise<T> {
  return tracer().startActiveSpan(name, { attributes, kind: opts.kind ?? SpanKind.INTERNAL }, opts.parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span's traceparent, when it is being recorded (sampled). */
export function currentTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The active context with `span` as its current span. */
export function contextWithSpan(span: Span): Context {
  return trace.setSpan(context.active(), span);
}

/** A context whose parent is the traceparent stored on an object (undefined: none, or malformed). */
export function contextFromTraceparent(traceparent: string | undefined): Context | undefined {
  if (!traceparent) return undefined;
  const ctx = propagation.extract(ROOT_CONTEXT, { traceparent });
  return trace.getSpanContext(ctx) ? ctx : undefined;
}

/** The parent context an object's trace annotation names. */
export function contextOfObject(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): Context | undefined {
  return contextFromTraceparent(obj?.metadata?.annotations?.[TRACE_CONTEXT_ANNOTATION]);
}

/** Adds the active context's `traceparent` to outgoing request headers. */
export function injectTraceHeaders(headers: Record<string, string | string[] | number | undefined>): void {
  propagation.inject(context.active(), headers, {
    set: (carrier, key, value) => { (carrier as Record<string, string>)[key] = value; },
  });
}

/** The context of an incoming request's `traceparent` header (ROOT when none). */
export function extractTraceHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

export { context as otelContext, SpanStatusCode };
