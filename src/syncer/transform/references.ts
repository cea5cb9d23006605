/**
 * ConfigMaps and Secrets a pod template needs, so they travel with the workload: volumes
 * (configMap, secret, projected sources), envFrom, env valueFrom, and imagePullSecrets, over
 * containers, initContainers and ephemeralContainers.
 */
import type { KubeObject } from '../../client/types.js';

export interface Reference {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** Every use is `optional: true`: a missing object is not an error. */
  optional: boolean;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? v as Json : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function podTemplateOf(workload: KubeObject, path: readonly string[]): Json | undefined {
  let cur: unknown = workload;
  for (const p of path) cur = obj(cur)?.[p];
  return obj(cur);
}

/** Sorted, deduplicated references; a name used both optionally and not counts as required. */
export function referencedObjects(podTemplate: Json | undefined): Reference[] {
  const found = new Map<string, Reference>();
  const add = (kind: Reference['kind'], name: string | undefined, optional: unknown): void => {
    if (!name) return;
    const key = `${kind}/${name}`;
    const prev = found.get(key);
    found.set(key, { kind, name, optional: (prev ? prev.optional : true) && optional === true });
  };
  const spec = obj(podTemplate?.spec);
  if (!spec) return [];

  for (const v of arr(spec.volumes).map(obj)) {
    const cm = obj(v?.configMap);
    add('ConfigMap', str(cm?.name), cm?.optional);
    const secret = obj(v?.secret);
    add('Secret', str(secret?.secretName), secret?.optional);
    for (const s of arr(obj(v?.projected)?.sources).map(obj)) {
      const pcm = obj(s?.configMap);
      add('ConfigMap', str(pcm?.name), pcm?.optional);
      const ps = obj(s?.secret);
      add('Secret', str(ps?.name), ps?.optional);
    }
  }
  const containers = [...arr(spec.containers), ...arr(spec.initContainers), ...arr(spec.ephemeralContainers)].map(obj);
  for (const c of containers) {
    for (const from of arr(c?.envFrom).map(obj)) {
      const cm = obj(from?.configMapRef);
      add('ConfigMap', str(cm?.name), cm?.optional);
      const secret = obj(from?.secretRef);
      add('Secret', str(secret?.name), secret?.optional);
    }
    for (const e of arr(c?.env).map(obj)) {
      const valueFrom = obj(e?.valueFrom);
      const cm = obj(valueFrom?.configMapKeyRef);
      add('ConfigMap', str(cm?.name), cm?.optional);
      const secret = obj(valueFrom?.secretKeyRef);
      add('Secret', str(secret?.name), secret?.optional);
    }
  }
  for (const s of arr(spec.imagePullSecrets).map(obj)) add('Secret', str(s?.name), false);

  return [...found.values()].sort((a, b) => (a.kind + a.name).localeCompare(b.kind + b.name));
}
