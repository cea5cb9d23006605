/**
 * Binds the pure patch machinery (patch/) to the handler contracts: the Patcher the PATCH handler
 * calls and the ManagedFieldsUpdater the generic store calls after every non-apply write.
 */
import type { ManagedFieldsUpdater } from '../registry/hooks.js';
import type { ResourceDef } from '../registry/types.js';
import { defaultObject } from '../registry/schema-pipeline.js';
import type { KubeObject } from '../storage/types.js';
import type { Patcher } from './context.js';
import { applyPatch, decodePatchBody, resetFieldsFor, updateManagedFields } from './patch/index.js';
import { assertPatchResultBounds, jsonTextExceedsDepth, tooDeeplyNested } from './limits.js';

const apiVersionOf = (def: ResourceDef) => (def.group ? `${def.group}/${def.version}` : def.version);

export function createPatcher(): Patcher {
  return {
    patch(type, def, live, body) {
      const text = body.toString('utf8');
      if (jsonTextExceedsDepth(text)) throw tooDeeplyNested('the patch');
      const decoded = decodePatchBody(type, text);
      const object = applyPatch(type, live, decoded, { schema: def.schema, builtin: def.builtin }).object;
      assertPatchResultBounds(object);
      return object;
    },
    apply(def, live, applied, manager, force, now) {
      const r = applyPatch('apply', live, applied, {
        schema: def.schema, builtin: def.builtin, manager, force, apiVersion: apiVersionOf(def), now,
        resetFields: resetFieldsFor('', Boolean(def.subresources.status)),
        defaults: (obj) => defaultObject(def, obj),
      });
      r.object.metadata.managedFields = r.managedFields as unknown as KubeObject["metadata"]["managedFields"];
      assertPatchResultBounds(r.object);
      return r.object as KubeObject;
    },
  };
}

export const managedFieldsUpdater: ManagedFieldsUpdater = ({ def, oldObj, newObj, manager, subresource, now }) =>
  updateManagedFields({
    oldObj, newObj, manager, apiVersion: apiVersionOf(def), subresource, schema: def.schema, now,
    resetFields: resetFieldsFor(subresource, Boolean(def.subresources.status)),
  }) as unknown as KubeObject["metadata"]["managedFields"];
