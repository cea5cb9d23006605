/**
 * The operator endpoints on an express app: /healthz and /livez (liveness), /readyz (readiness),
 * each also as /<name>/<check>, and /metrics (Prometheus text). Every entry point that serves
 * health mounts them from here, so they answer the same everywhere.
 */
import type { Express, Request, Response } from 'express';
import { HealthRegistry, Unavailable } from './health.js';
import { metricsContentType, metricsText } from './metrics.js';

export interface HealthEndpoints {
  livez: HealthRegistry;
  readyz: HealthRegistry;
}

/** A fresh pair of registries: liveness has only `ping`; readiness adds what the caller registers. */
export function healthEndpoints(): HealthEndpoints {
  return { livez: new HealthRegistry({ name: 'livez' }), readyz: new HealthRegistry({ name: 'readyz' }) };
}

export function mountHealthRoutes(app: Express, h: HealthEndpoints): void {
  const answer = (reg: HealthRegistry) => async (req: Request, res: Response) => {
    const one = req.params.check;
    const r = one ? await reg.handleOne(String(one)) : await reg.handle(new URLSearchParams(req.url.split('?')[1] ?? ''));
    res.status(r.status).type('text/plain').send(r.body);
  };
  app.get(['/healthz', '/livez'], answer(h.livez));
  app.get(['/healthz/:check', '/livez/:check'], answer(h.livez));
  app.get('/readyz', answer(h.readyz));
  app.get('/readyz/:check', answer(h.readyz));
}

export function mountMetricsRoute(app: Express): void {
  app.get('/metrics', async (_req, res) => {
    res.type(metricsContentType).send(await metricsText());
  });
}

/**
 * The readyz `storage` check. The store's 503 (etcd without quorum or unreachable) becomes a public
 * reason without the store's internals (member URLs): what an operator behind a load balancer needs.
 */
export function storageProbe(store: { currentResourceVersion(): Promise<string> }): () => Promise<void> {
  return async () => {
    try {
      await store.currentResourceVersion();
    } catch (err) {
      if ((err as { code?: unknown }).code === 503) {
        throw new Unavailable(/etcd/.test(String((err as Error).message))
          ? 'storage is unavailable: etcd did not answer in time (a majority of etcd members must be up and reachable); API requests answer 503 until it does'
          : 'storage is unavailable');
      }
      throw err;
    }
  };
}
