/**
 * Which built-in resources each server mode serves. Server mode (kcp workspaces) serves what kcp
 * builds into every workspace plus the kcp types; workload types arrive through the compute
 * APIExport binding, as in kcp. Cluster mode (a simulated physical cluster) serves what a plain
 * Kubernetes cluster serves to the syncer.
 */
import { clusterDefs, coreDefs, kcpDefs, workloadDefs } from './builtin/index.js';
import { crdStatusEstablished } from './crd/index.js';
import type { ResourceDef } from './types.js';

/** CRDs become Established as they are stored: serving them needs no asynchronous step here. */
function establishOnWrite(defs: ResourceDef[]): ResourceDef[] {
  return defs.map((d) => {
    if (d.group !== 'apiextensions.k8s.io' || d.resource !== 'customresourcedefinitions') return d;
    const base = d.strategy ?? {};
    return {
      ...d,
      strategy: {
        ...base,
        prepareForCreate(obj, ctx) {
          base.prepareForCreate?.(obj, ctx);
          obj.status = crdStatusEstablished(obj);
        },
        prepareForUpdate(obj, old, ctx) {
          base.prepareForUpdate?.(obj, old, ctx);
          if (!ctx.subresource) obj.status = crdStatusEstablished(obj);
        },
      },
    };
  });
}

export function serverModeDefs(): ResourceDef[] {
  return establishOnWrite([...coreDefs(), ...kcpDefs()]);
}

export function clusterModeDefs(): ResourceDef[] {
  return establishOnWrite([...coreDefs(), ...workloadDefs(), ...clusterDefs()]);
}
