/** Shared bits of the simulator tests: a cluster-mode server with the simulator, and raw REST on it. */
import { request, type Creds } from '../helpers/http.js';
import { startServer, type RunningServer, type Teardown } from '../helpers/tmc.js';
import type { ServerOptions } from '../../src/cmd/server-options.js';
import { simulatorAdmission, simulatorComponent } from '../../src/simulator/index.js';
import { waitFor } from '../helpers/wait.js';

export interface SimCluster {
  srv: RunningServer;
  creds: Creds;
  get(path: string): Promise<any>;
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  /** Polls `path` until `cond` holds for its body; returns that body. */
  until(path: string, cond: (o: any) => boolean, what: string): Promise<any>;
}

export async function startSimCluster(t: Teardown, overrides: Partial<ServerOptions> = {}): Promise<SimCluster> {
  const srv = await startServer(t, { mode: 'cluster', nodes: 2, nodeCpu: '2', nodeMemory: '8Gi', readyDelayMs: 100, ...overrides },
    { components: [simulatorComponent], admission: simulatorAdmission });
  const creds: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const send = async (method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const r = await request(srv.url, creds, method, path, body, headers);
    return { status: r.status, json: r.json };
  };
  const get = async (path: string) => {
    const r = await send('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };
  const until = async (path: string, cond: (o: any) => boolean, what: string) => {
    let last: any;
    try {
      await waitFor(what, async () => { last = await get(path); return cond(last); });
    } catch (e) {
      throw new Error(`${(e as Error).message}; last status: ${JSON.stringify(last?.status)}`);
    }
    return last;
  };
  return { srv, creds, get, send, until };
}

export function deployment(name: string, replicas: number, requests?: Record<string, string>): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: {
      replicas, selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx', ...(requests ? { resources: { requests } } : {}) }] },
      },
    },
  };
}

export const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

export function cond(o: any, type: string): any {
  return (o?.status?.conditions ?? []).find((c: any) => c.type === type);
}
