/**
 * The WorkspaceType resource's system-set status, as kcp's workspacetype controller sets it: a type
 * with `spec.initializer: true` lists the URL of its initializing virtual workspace in
 * `status.virtualWorkspaces` (`<server>/services/initializingworkspaces/<initializer>`), which is
 * how an initializer's controller finds where to connect.
 */
import type { Strategy, StrategyContext } from '../registry/types.js';
import type { KubeObject } from '../storage/types.js';

export const INITIALIZING_VW_PATH = '/services/initializingworkspaces/';

export interface WorkspaceTypeStrategyDeps {
  externalURL: () => string;
  /** The logical cluster name of a workspace path (kcp names initializers with it). */
  clusterName: (path: string) => string;
}

export function workspaceTypeStrategy(base: Strategy | undefined, d: WorkspaceTypeStrategyDeps): Strategy {
  const setStatus = (obj: KubeObject, ctx: StrategyContext) => {
    const initializer = `${d.clusterName(ctx.cluster)}:${obj.metadata.name}`;
    const virtualWorkspaces = obj.spec?.initializer === true ? [{ url: `${d.externalURL()}${INITIALIZING_VW_PATH}${initializer}`, type: 'Initializing' }] : [];
    const { virtualWorkspaces: _old, ...rest } = obj.status ?? {};
    obj.status = virtualWorkspaces.length ? { ...rest, virtualWorkspaces } : rest;
  };
  return {
    ...base,
    prepareForCreate(obj, ctx) { base?.prepareForCreate?.(obj, ctx); setStatus(obj, ctx); },
    prepareForUpdate(obj, old, ctx) { base?.prepareForUpdate?.(obj, old, ctx); setStatus(obj, ctx); },
  };
}
