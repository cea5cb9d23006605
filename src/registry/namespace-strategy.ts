/** The behaviour namespaces add to the generic store: the `kubernetes` finalizer and phase Terminating. */
import type { Strategy } from './types.js';

/** Held in `spec.finalizers` until namespace lifecycle has emptied the namespace. */
export const NAMESPACE_FINALIZER = 'kubernetes';

export function namespaceStrategy(base?: Strategy): Strategy {
  return {
    ...base,
    prepareForCreate(obj, ctx) {
      base?.prepareForCreate?.(obj, ctx);
      obj.spec = { ...(obj.spec ?? {}), finalizers: obj.spec?.finalizers ?? [NAMESPACE_FINALIZER] };
      obj.status = { phase: 'Active' };
    },
    extraFinalizers: (obj) => (obj.spec?.finalizers as string[] | undefined) ?? [],
    prepareForDelete(obj) {
      obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    },
  };
}
