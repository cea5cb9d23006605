/**
 * A SERVER span per API request (while tracing is on), a child of the caller's `traceparent`
 * when it sent one. Named and attributed as kube-apiserver's request spans (otelhttp's
 * `http.request.method`, `url.path`, `http.response.status_code`, `user_agent.original`, plus the
 * request info: verb, resource, namespace, name, and kcp's logical cluster). The handler runs in
 * the span's context, so admission, storage writes and the trace annotation stamped on the object
 * belong to this request's trace. Health and metrics scrapes are not traced.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  SpanKind, SpanStatusCode, contextWithSpan, extractTraceHeaders, isTracing, otelContext, tracer,
} from '../observability/tracing.js';
import type { RequestWithInfo } from './router.js';

const UNTRACED = /^\/(healthz|readyz|livez|metrics)(\/|$|\?)/;

export function runTraced(req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  if (!isTracing() || UNTRACED.test(req.url ?? '/')) return handle();
  const method = req.method ?? 'GET';
  const span = tracer().startSpan(`HTTP ${method}`, {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': method, 'url.path': (req.url ?? '/').split('?')[0],
      'user_agent.original': String(req.headers['user-agent'] ?? ''),
    },
  }, extractTraceHeaders(req.headers));
  res.once('finish', () => {
    const info = (req as RequestWithInfo).requestInfo;
    if (info) {
      span.updateName(`${info.verb} ${info.resource || info.path}`);
      span.setAttributes({
        'k8s.verb': info.verb, 'k8s.resource': info.resource, 'k8s.group': info.group,
        'k8s.namespace': info.namespace, 'k8s.name': info.name, 'kcp.cluster': info.cluster,
      });
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  otelContext.with(contextWithSpan(span), handle);
}
