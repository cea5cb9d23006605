/**
 * The per-cluster RFC 6902 patch written to `spec-diff.tmc.kcp.io/<key>` (DESIGN.md §5): the
 * cluster's replica share (Divided), then each matching override in spec order — its jsonPatch,
 * its image rewrite (every container and init container of the pod template), its labels and
 * annotations. The syncer strips TMC's own labels and annotations and then applies this patch to
 * the downstream copy, so the patch is rooted at the object.
 */
import type { JSONPatchOperation, Override } from '../../apis/tmc/index.js';
import { overrideImage } from './image.js';
import type { WorkloadObject } from './types.js';

export type PatchOp = JSONPatchOperation;

/** Labels/annotations the syncer removes before patching; they do not count as "present". */
const STRIPPED_PREFIXES = ['state.tmc.kcp.io/', 'deletion.tmc.kcp.io/', 'spec-diff.tmc.kcp.io/', 'status.tmc.kcp.io/', 'failover.tmc.kcp.io/', 'tmc.kcp.io/', 'kcp.io/'];

export function specDiff(w: WorkloadObject, replicas: number | undefined, overrides: readonly Override[]): PatchOp[] {
  const ops: PatchOp[] = [];
  if (replicas !== undefined) ops.push({ op: 'replace', path: '/spec/replicas', value: replicas });
  for (const o of overrides) {
    if (o.jsonPatch) ops.push(...o.jsonPatch);
    if (o.image) ops.push(...imageOps(w, o.image));
    if (o.labels) ops.push(...mapOps(w.metadata.labels, '/metadata/labels', o.labels));
    if (o.annotations) ops.push(...mapOps(w.metadata.annotations, '/metadata/annotations', o.annotations));
  }
  return ops;
}

function imageOps(w: WorkloadObject, image: NonNullable<Override['image']>): PatchOp[] {
  const pod = ((w.spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec) ?? {};
  const ops: PatchOp[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    const containers = Array.isArray(pod[list]) ? pod[list] as Array<{ image?: string }> : [];
    containers.forEach((c, i) => {
      if (typeof c.image === 'string') ops.push({ op: 'replace', path: `/spec/template/spec/${list}/${i}/image`, value: overrideImage(c.image, image) });
    });
  }
  return ops;
}

/**
 * One `add` per key when the downstream object will still have the map; otherwise the whole map
 * (adding a member to a missing object fails in RFC 6902).
 */
function mapOps(current: Record<string, string> | undefined, path: string, values: Record<string, string>): PatchOp[] {
  const survives = Object.keys(current ?? {}).some((k) => !STRIPPED_PREFIXES.some((p) => k.startsWith(p)));
  if (!survives) return [{ op: 'add', path, value: { ...values } }];
  return Object.entries(values).map(([k, v]) => ({ op: 'add' as const, path: `${path}/${escapePointer(k)}`, value: v }));
}

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The replicas the patch gives the cluster (`replace /spec/replicas`), if any: the previous share. */
export function replicasFromSpecDiff(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  try {
    const ops = JSON.parse(raw) as PatchOp[];
    if (!Array.isArray(ops)) return undefined;
    // The share is the first op (specDiff writes it before any override's own /spec/replicas).
    const first = ops[0];
    return first && first.path === '/spec/replicas' && typeof first.value === 'number' ? first.value : undefined;
  } catch {
    return undefined;
  }
}
