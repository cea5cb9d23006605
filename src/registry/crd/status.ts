/**
 * The status kube's CRD controllers (naming + establishing) give an accepted CRD: NamesAccepted and
 * Established True, acceptedNames = spec.names, the storage version recorded in storedVersions.
 * Conflict detection against other CRDs is the server's job; this is the no-conflict outcome.
 */
import { rfc3339 } from '../../apis/time.js';
import { defaultCRD } from './defaults.js';
import type { CRDCondition, CRDStatus, CustomResourceDefinition } from './types.js';
import { cloneValue } from '../../machinery/objects.js';

export function crdStatusEstablished(crd: CustomResourceDefinition, now: Date = new Date()): CRDStatus {
  const spec = defaultCRD(cloneValue(crd)).spec!;
  const old = crd.status ?? {};
  const ts = rfc3339(now);
  const condition = (type: string, reason: string, message: string): CRDCondition => {
    const prev = old.conditions?.find((c) => c.type === type);
    return { type, status: 'True', lastTransitionTime: prev?.status === 'True' && prev.lastTransitionTime ? prev.lastTransitionTime : ts, reason, message };
  };
  const stored = new Set(old.storedVersions ?? []);
  for (const v of spec.versions ?? []) if (v.storage && v.name) stored.add(v.name);
  const others = (old.conditions ?? []).filter((c) => c.type !== 'NamesAccepted' && c.type !== 'Established');
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
      ...others,
    ],
    acceptedNames: cloneValue(spec.names ?? {}),
    storedVersions: [...stored],
  };
}

/** Whether a CRD's status says Established=True (what serving its resources waits for). */
export function isCRDEstablished(crd: CustomResourceDefinition): boolean {
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
}
