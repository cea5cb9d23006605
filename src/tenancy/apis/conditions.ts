/**
 * metav1.Condition helpers: set a condition keeping lastTransitionTime when the status does not
 * change (so status writes stay idempotent and diff-free).
 */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export function setCondition(list: Condition[] | undefined, c: Condition, now: string): Condition[] {
  const out = [...(list ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? out[i] : undefined;
  const next: Condition = { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
  if (!next.reason) delete next.reason;
  if (!next.message) delete next.message;
  if (i >= 0) out[i] = next; else out.push(next);
  return out;
}

export function nowRFC3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
