/**
 * `/admission/validate` and `/admission/mutate`: AdmissionReview v1 endpoints that run this
 * server's admission chain for an external API server (kcp, a physical cluster). The reviewed
 * object is admitted in the workspace its `kcp.io/cluster` annotation names (or the default).
 * A review that is not an AdmissionReview gets a 400 Status; a denial is a 200 review with
 * `allowed: false` and a Status (code ≥ 400), as webhooks answer.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import jsonpatch from 'fast-json-patch';
import { badRequest, internalError, isStatusError, StatusError } from '../../errors/status.js';
import { deepCopy, deepEqual } from '../../machinery/objects.js';
import type { ResourceDef } from '../../registry/types.js';
import { createAdmission, type AdmissionDeps } from '../setup.js';
import { parseReview, reviewAttributes, reviewCluster, reviewDef, reviewResponse } from './review.js';
import { stringifyJSON } from '../../machinery/json-text.js';

export interface AdmissionRouteDeps extends AdmissionDeps {
  catalog: AdmissionDeps['catalog'] & { resolve(cluster: string, group: string, version: string, resource: string): ResourceDef | undefined };
}

/** The StartHooks `auxRoutes` hook: `auxRoutes: (app, deps) => registerAdmissionRoutes(app, deps)`. */
export function registerAdmissionRoutes(app: Express, deps: AdmissionRouteDeps): void {
  const admission = createAdmission(deps);
  const body = express.json({ limit: '3mb', type: () => true, strict: false });
  for (const phase of ['validate', 'mutate'] as const) {
    app.post(`/admission/${phase}`, body, (req: Request, res: Response) => {
      void review(phase, req.body).then((out) => res.status(200).json(out), (err) => sendStatus(res, err));
    });
  }
  // body parse failures (bad JSON, too large) as Status, never an HTML page
  app.use('/admission', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) { next(); return; }
    const e = err as { type?: string; status?: number; message?: string };
    sendStatus(res, e.type === 'entity.too.large' ? new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728')
      : badRequest(`invalid AdmissionReview body: ${e.message ?? 'unreadable'}`));
  });

  async function review(phase: 'validate' | 'mutate', raw: unknown): Promise<Record<string, unknown>> {
    const req = parseReview(raw);
    const cluster = reviewCluster(req, admission.defaultCluster);
    const g = req.resource?.group ?? '';
    const def = reviewDef(req, deps.catalog.resolve(cluster, g, req.resource?.version ?? '', req.resource?.resource ?? ''));
    const original = req.object ?? undefined;
    const attrs = reviewAttributes(req, def, cluster, original ? deepCopy(original) : undefined);
    try {
      if (phase === 'mutate') {
        await admission.chain.mutate(attrs);
        const ops = original && attrs.object ? patchBetween(original, attrs.object) : [];
        const patch = ops.length ? Buffer.from(stringifyJSON(ops)).toString('base64') : undefined;
        return reviewResponse({ uid: req.uid, allowed: true, patch, warnings: attrs.warnings });
      }
      await admission.chain.validate(attrs);
      return reviewResponse({ uid: req.uid, allowed: true, warnings: attrs.warnings });
    } catch (err) {
      const se = isStatusError(err) ? err : internalError(err instanceof Error ? err.message : String(err));
      const status = se.toStatus();
      if (status.code < 400) status.code = 400;
      return reviewResponse({ uid: req.uid, allowed: false, status, warnings: attrs.warnings });
    }
  }
}

function sendStatus(res: Response, err: unknown): void {
  const se = isStatusError(err) ? err : internalError(err instanceof Error ? err.message : String(err));
  res.status(se.code).json(se.toStatus());
}

/**
 * The JSON patch a mutating review answers with. fast-json-patch's diff recurses per level and
 * overflows on deep objects (an API server sends up to 10 000 levels); then the patch replaces
 * each changed top-level field whole, which is coarser but the same result.
 */
function patchBetween(before: Record<string, unknown>, after: Record<string, unknown>): jsonpatch.Operation[] {
  try {
    return jsonpatch.compare(before, after);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const ops: jsonpatch.Operation[] = [];
    const pointer = (k: string) => `/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    for (const k of Object.keys(before)) if (!Object.hasOwn(after, k) || after[k] === undefined) ops.push({ op: 'remove', path: pointer(k) });
    for (const k of Object.keys(after)) {
      if (after[k] === undefined || (Object.hasOwn(before, k) && deepEqual(before[k], after[k]))) continue;
      ops.push({ op: 'add', path: pointer(k), value: after[k] });
    }
    return ops;
  }
}
