/**
 * AdmissionReview v1 in and out: checks a review (kind, apiVersion, uid), turns its request into
 * AdmissionAttributes, and builds the response (uid echoed, base64 JSONPatch for mutations,
 * warnings, a Status with code ≥ 400 for denials).
 */
import { clusterOf } from '../../apis/contract.js';
import { badRequest, type Status } from '../../errors/status.js';
import type { AdmissionAttributes } from '../../registry/hooks.js';
import type { Operation, ResourceDef } from '../../registry/types.js';
import type { KubeObject } from '../../storage/types.js';

export const REVIEW_API_VERSION = 'admission.k8s.io/v1';

export interface AdmissionRequest {
  uid: string;
  kind?: { group?: string; version?: string; kind?: string };
  resource?: { group?: string; version?: string; resource?: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation?: string;
  userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: Status;
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

/** Returns the request of a well-formed review; throws a 400 StatusError otherwise. */
export function parseReview(body: unknown): AdmissionRequest {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be an AdmissionReview object');
  const r = body as Record<string, any>;
  if (r.kind !== 'AdmissionReview' || r.apiVersion !== REVIEW_API_VERSION)
    throw badRequest(`expected ${REVIEW_API_VERSION} AdmissionReview, got ${String(r.apiVersion ?? '')} ${String(r.kind ?? '')}`.trimEnd());
  const req = r.request;
  if (!req || typeof req !== 'object') throw badRequest('AdmissionReview has no request');
  if (typeof req.uid !== 'string' || !req.uid) throw badRequest('AdmissionReview request.uid is required');
  const op = req.operation;
  if (!['CREATE', 'UPDATE', 'DELETE', 'CONNECT'].includes(op)) throw badRequest(`AdmissionReview request.operation must be CREATE, UPDATE, DELETE or CONNECT, got "${String(op ?? '')}"`);
  for (const f of ['object', 'oldObject'] as const) {
    const o = req[f];
    if (o !== undefined && o !== null && (typeof o !== 'object' || Array.isArray(o))) throw badRequest(`AdmissionReview request.${f} must be an object`);
  }
  return req as AdmissionRequest;
}

/** The workspace a reviewed object lives in: its `kcp.io/cluster` annotation, else the default. */
export function reviewCluster(req: AdmissionRequest, fallback: string): string {
  const o = req.object ?? req.oldObject;
  return clusterOf(o, fallback);
}

/** A def for the reviewed resource: the served one when known, else one made from the review. */
export function reviewDef(req: AdmissionRequest, served: ResourceDef | undefined): ResourceDef {
  if (served) return served;
  const kind = req.kind?.kind ?? req.object?.kind ?? '';
  return {
    group: req.resource?.group ?? req.kind?.group ?? '', version: req.resource?.version ?? req.kind?.version ?? '',
    resource: req.resource?.resource ?? '', kind, listKind: `${kind}List`, singular: kind.toLowerCase(),
    namespaced: !!req.namespace, verbs: [], subresources: {}, printerColumns: [], builtin: false, source: 'admission-review',
  };
}

export function reviewAttributes(req: AdmissionRequest, def: ResourceDef, cluster: string, object: KubeObject | undefined): AdmissionAttributes {
  const u = req.userInfo ?? {};
  return {
    def, operation: (req.operation === 'CONNECT' ? 'UPDATE' : req.operation) as Operation, cluster,
    namespace: req.namespace ?? '', name: req.name ?? req.object?.metadata?.name ?? '', subresource: req.subResource ?? '',
    object, oldObject: req.oldObject ?? undefined,
    user: { name: u.username ?? '', groups: u.groups ?? [], ...(u.uid ? { uid: u.uid } : {}), ...(u.extra ? { extra: u.extra } : {}) },
    dryRun: !!req.dryRun, warnings: [],
  };
}

export function reviewResponse(res: AdmissionResponse): Record<string, unknown> {
  const out: AdmissionResponse = { uid: res.uid, allowed: res.allowed };
  if (res.status) out.status = res.status;
  if (res.patch) { out.patch = res.patch; out.patchType = 'JSONPatch'; }
  if (res.warnings?.length) out.warnings = res.warnings;
  return { apiVersion: REVIEW_API_VERSION, kind: 'AdmissionReview', response: out };
}
