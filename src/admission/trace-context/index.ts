/**
 * Carries a write's trace across the asynchronous hops: on CREATE and UPDATE of an object (not a
 * subresource), the traceparent of the request's span goes into the annotation
 * `tmc.kcp.io/trace-context`, so the placement controller and the syncers that act on the object
 * later continue the same trace. Only while tracing is on and the request's span is sampled;
 * otherwise objects are left as they are.
 */
import { TRACE_CONTEXT_ANNOTATION, currentTraceparent, isTracing } from '../../observability/tracing.js';
import type { AdmissionAttributes } from '../../registry/hooks.js';
import type { AdmissionPlugin } from '../plugin.js';

/** Bookkeeping objects written constantly (leases, events): no trace to carry. */
const UNSTAMPED = new Set(['coordination.k8s.io', 'events.k8s.io']);

export class TraceContextPlugin implements AdmissionPlugin {
  readonly name = 'TraceContext';

  mutate(attrs: AdmissionAttributes): void {
    if (!isTracing() || attrs.subresource || !attrs.object || (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE')) return;
    if (UNSTAMPED.has(attrs.def.group) || (attrs.def.group === '' && attrs.def.resource === 'events')) return;
    const traceparent = currentTraceparent();
    if (!traceparent) return;
    const meta = attrs.object.metadata ?? (attrs.object.metadata = {});
    meta.annotations = { ...meta.annotations, [TRACE_CONTEXT_ANNOTATION]: traceparent };
  }
}
