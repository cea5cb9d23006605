/**
 * The Workspace resource's behaviour: a new Workspace is Ready at once (its logical cluster exists
 * as soon as the object does), with `status.url` pointing at `/clusters/<parent>:<name>` and a
 * default type, as kcp's `universal` type.
 */
import type { KubeObject } from '../storage/types.js';
import type { Strategy, StrategyContext } from '../registry/types.js';
import { dns1123LabelErrors } from '../machinery/names.js';

export function workspaceStrategy(externalURL: () => string): Strategy {
  return {
    validateName: (name) => dns1123LabelErrors(name),
    prepareForCreate(obj: KubeObject, ctx: StrategyContext) {
      obj.spec ??= {};
      obj.spec.type ??= { name: 'universal', path: 'root' };
      obj.status = {
        phase: 'Ready',
        url: `${externalURL()}/clusters/${ctx.cluster}:${obj.metadata.name}`,
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') }],
      };
    },
  };
}
