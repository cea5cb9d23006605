/**
 * Where an APIExport's virtual workspace is, found the way current kcp controllers find it: the
 * APIExportEndpointSlice (`apis.kcp.io/v1alpha1`, `status.endpoints[].url`) in the export's
 * workspace. Older kcp releases without endpoint slices published the URL in the deprecated
 * `APIExport.status.virtualWorkspaces[].url`; that is read only when the slice resource itself is
 * not served. The slice, or its first endpoint, may appear after the controller starts (the
 * export created later, a shard still starting): it is polled until then.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { API_EXPORT_ENDPOINT_SLICES, API_EXPORTS } from '../apis/gvr.js';
import { isNotFound } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import type { KubeClient } from './kube-client.js';
import type { GroupVersionResource } from './resource-path.js';
import type { KubeObject } from './types.js';

export { API_EXPORT_ENDPOINT_SLICES, API_EXPORTS };

export interface ExportEndpointOptions {
  /** The slice's name. @default the export's name (kcp's default slice) */
  sliceName?: string;
  /** Give up after this long with an error naming what is missing. @default 60000 */
  timeoutMs?: number;
  /** @default 1000 */
  intervalMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

type Endpoints = { status?: { endpoints?: Array<{ url?: string }>; virtualWorkspaces?: Array<{ url?: string }> } };

const firstURL = (list: Array<{ url?: string }> | undefined): string | undefined => list?.find((e) => e.url)?.url;

/** One look: the URL, or why there is none yet. */
async function lookOnce(workspace: KubeClient, exportName: string, sliceName: string): Promise<{ url?: string; missing: string }> {
  try {
    const slice = await workspace.get<KubeObject & Endpoints>(API_EXPORT_ENDPOINT_SLICES, undefined, sliceName);
    return { url: firstURL(slice.status?.endpoints), missing: `APIExportEndpointSlice ${sliceName} has no status.endpoints yet` };
  } catch (err) {
    if (!isNotFound(err)) throw err;
    // NotFound of the object (the export not created yet) or of the resource (an older kcp)
    const exp = await workspace.get<KubeObject & Endpoints>(API_EXPORTS, undefined, exportName).catch((e: unknown) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    const legacy = firstURL(exp?.status?.virtualWorkspaces);
    return { url: legacy, missing: exp ? `APIExportEndpointSlice ${sliceName} does not exist` : `APIExport ${exportName} does not exist` };
  }
}

/**
 * The virtual workspace URL of `exportName`, read through `workspace` (a client for the export's
 * workspace, `/clusters/<path>`).
 */
export async function exportVirtualWorkspaceURL(workspace: KubeClient, exportName: string, opts: ExportEndpointOptions = {}): Promise<string> {
  const sliceName = opts.sliceName ?? exportName;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let lastReason = '';
  for (;;) {
    let reason: string;
    try {
      const found = await lookOnce(workspace, exportName, sliceName);
      if (found.url) return found.url;
      reason = found.missing;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    if (reason !== lastReason) opts.logger?.info({ reason }, 'waiting for the APIExport virtual workspace URL');
    lastReason = reason;
    if (Date.now() >= deadline) {
      throw new Error(`no virtual workspace URL for APIExport ${exportName} in ${workspace.pathPrefix || 'the kubeconfig\'s workspace'}: ${reason}`);
    }
    await sleep(opts.intervalMs ?? 1000, undefined, { signal: opts.signal });
  }
}
