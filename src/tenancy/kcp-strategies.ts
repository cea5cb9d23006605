/**
 * The behaviour kcp gives its own resources, attached to their built-in definitions (which are data
 * only, in registry/builtin/kcp.ts).
 */
import type { ResourceDef } from '../registry/types.js';
import type { KubeObject } from '../storage/types.js';
import { apiResourceSchemaStrategy } from './apis/api-resource-schema-strategy.js';
import { logicalClusterStrategy } from './logical-cluster-strategy.js';
import { clusterNameOf, workspaceStrategy } from './workspace-strategy.js';
import { workspaceTypeStrategy } from './workspace-type-strategy.js';
import type { WorkspaceTypes } from './workspaces/workspace-types.js';

export interface KcpStrategyDeps {
  externalURL: () => string;
  types?: WorkspaceTypes;
  workspaceOf?: (cluster: string) => KubeObject | undefined;
}

export function withKcpStrategy(def: ResourceDef, d: KcpStrategyDeps): ResourceDef {
  if (def.group === 'tenancy.kcp.io' && def.resource === 'workspaces') return { ...def, strategy: workspaceStrategy(d) };
  if (def.group === 'tenancy.kcp.io' && def.resource === 'workspacetypes') {
    return { ...def, strategy: workspaceTypeStrategy(def.strategy, { externalURL: d.externalURL, clusterName: (path) => clusterNameOf(path, d.workspaceOf) }) };
  }
  if (def.group === 'core.kcp.io' && def.resource === 'logicalclusters') return { ...def, strategy: logicalClusterStrategy(def.strategy) };
  if (def.group === 'apis.kcp.io' && def.resource === 'apiresourceschemas') return { ...def, strategy: apiResourceSchemaStrategy(def.strategy) };
  return def;
}
