/**
 * The request scope of the server's own components writing through the generic store: a
 * `system:tmc:<component>` user in `system:masters` (no RBAC lookup), no dry run, unknown fields
 * ignored, the component as field manager.
 */
import type { RequestScope } from './generic-store.js';

export function systemScope(component: string, cluster: string, namespace = '', fieldManager = component): RequestScope {
  return {
    cluster, namespace, user: { name: `system:tmc:${component}`, groups: ['system:masters'] },
    dryRun: false, fieldValidation: 'Ignore', warnings: [], fieldManager,
  };
}
