/**
 * The review kinds, answered at once and never stored (kube's registry/authorization and
 * registry/authentication): SelfSubjectAccessReview, SubjectAccessReview and
 * LocalSubjectAccessReview ask the same RBAC evaluation that guards requests; SelfSubjectRulesReview
 * lists the rules a user holds in a namespace; SelfSubjectReview says who the caller is.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, invalid, methodNotAllowed, type FieldError } from '../errors/status.js';
import { AUTHENTICATION_GROUP } from '../registry/builtin/authz.js';
import type { UserInfo } from '../registry/hooks.js';
import type { ResourceDef } from '../registry/types.js';
import type { Attributes, PolicyRule } from '../security/rbac-rules.js';
import { GROUP_MASTERS } from '../security/user.js';
import { decodeBody, readBody, requireObject } from './body.js';
import type { ApiContext } from './context.js';
import type { RequestInfo } from './request-info.js';
import { writeJSON } from './responses.js';

type Obj = Record<string, any>;

/** Reviews a user asks about themself: kube's `system:basic-user` lets every authenticated user create them. */
const SELF_REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']);

export function isSelfReview(def: ResourceDef): boolean {
  return SELF_REVIEWS.has(def.resource);
}

/**
 * What every authenticated user holds without any binding, as kube's bootstrap roles
 * `system:basic-user` and `system:discovery` grant (here discovery needs no RBAC at all).
 */
const BASIC_USER_RULES: PolicyRule[] = [
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
];
/** system:masters may do anything (kube binds it to cluster-admin). */
const MASTERS_RULES: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export async function handleReview(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, info: RequestInfo,
  def: ResourceDef, user: UserInfo): Promise<void> {
  if (info.verb !== 'create' || info.name || info.subresource) {
    throw methodNotAllowed(`the server does not allow this method on the requested resource (${req.method ?? ''} ${def.resource}.${def.group})`);
  }
  const body = requireObject(await decodeBody(await readBody(req), req.headers['content-type']));
  const apiVersion = `${def.group}/${def.version}`;
  if ((body.kind && body.kind !== def.kind) || (body.apiVersion && body.apiVersion !== apiVersion)) {
    throw badRequest(`the body of the request was of kind ${body.apiVersion ?? ''}/${body.kind ?? ''}, expected ${apiVersion}, Kind=${def.kind}`);
  }
  const metadata: Obj = { ...(isObj(body.metadata) ? body.metadata : {}), creationTimestamp: null };
  const reply = (extra: Obj) => writeJSON(res, 201, { kind: def.kind, apiVersion, metadata, ...extra });

  if (def.group === AUTHENTICATION_GROUP) {
    const userInfo: Obj = { username: user.name };
    if (user.uid) userInfo.uid = user.uid;
    userInfo.groups = user.groups;
    if (user.extra && Object.keys(user.extra).length) userInfo.extra = user.extra;
    return reply({ status: { userInfo } });
  }

  const spec: Obj = isObj(body.spec) ? body.spec : {};
  const fail = (errs: FieldError[]) => invalid(def.kind, def.group, '', errs);
  const access = ctx.access;
  switch (def.resource) {
    case 'selfsubjectrulesreviews': {
      const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
      if (!namespace) throw badRequest('no namespace on request');
      const rules = !access || user.groups.includes(GROUP_MASTERS)
        ? [...MASTERS_RULES, ...BASIC_USER_RULES]
        : [...await access.rules(user, info.cluster, namespace), ...BASIC_USER_RULES];
      return reply({ spec, status: rulesStatus(rules) });
    }
    case 'selfsubjectaccessreviews': {
      const errs = attributeErrors(spec);
      if (errs.length) throw fail(errs);
      return reply({ spec, status: await decide(ctx, user, info.cluster, spec) });
    }
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews': {
      const errs = attributeErrors(spec);
      const subject = subjectOf(spec);
      if (!subject.name && subject.groups.length === 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.user', value: '', detail: 'at least one of user or group must be specified' });
      if (def.resource === 'localsubjectaccessreviews') {
        if (isObj(spec.nonResourceAttributes)) errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', value: 'object', detail: 'disallowed on this kind of request' });
        const ns = spec.resourceAttributes?.namespace ?? '';
        if (isObj(spec.resourceAttributes) && ns !== info.namespace) {
          errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', value: ns, detail: 'must match metadata.namespace' });
        }
      }
      if (errs.length) throw fail(errs);
      return reply({ spec, status: await decide(ctx, subject, info.cluster, spec) });
    }
    default:
      throw methodNotAllowed(`the server does not allow this method on the requested resource (${def.resource})`);
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kube's ValidateSubjectAccessReviewSpec: exactly one of the two attribute sets. */
function attributeErrors(spec: Obj): FieldError[] {
  const res = isObj(spec.resourceAttributes);
  const non = isObj(spec.nonResourceAttributes);
  if (res && non) return [{ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', value: 'object', detail: 'cannot be specified in combination with resourceAttributes' }];
  if (!res && !non) return [{ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', value: 'null', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }];
  return [];
}

function subjectOf(spec: Obj): UserInfo {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const u: UserInfo = { name: typeof spec.user === 'string' ? spec.user : '', groups: strings(spec.groups) };
  if (typeof spec.uid === 'string' && spec.uid) u.uid = spec.uid;
  if (isObj(spec.extra)) u.extra = Object.fromEntries(Object.entries(spec.extra).map(([k, v]) => [k, strings(v)]));
  return u;
}

async function decide(ctx: ApiContext, user: UserInfo, cluster: string, spec: Obj): Promise<Obj> {
  if (!ctx.access) return { allowed: true };
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const r = spec.resourceAttributes;
  const attrs: Omit<Attributes, 'user' | 'groups'> = isObj(r)
    ? { cluster, verb: str(r.verb), apiGroup: str(r.group), resource: str(r.resource), subresource: str(r.subresource), name: str(r.name), namespace: str(r.namespace), resourceRequest: true }
    : { cluster, verb: str(spec.nonResourceAttributes.verb), path: str(spec.nonResourceAttributes.path), resourceRequest: false };
  const d = await ctx.access.review(user, attrs);
  const status: Obj = { allowed: d.allowed };
  if (d.reason) status.reason = d.reason;
  return status;
}

/** kube's rules → SubjectRulesReviewStatus split: resource rules and non-resource rules. */
function rulesStatus(rules: PolicyRule[]): Obj {
  const resourceRules: Obj[] = [];
  const nonResourceRules: Obj[] = [];
  for (const r of rules) {
    if (r.resources?.length) {
      const rr: Obj = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources };
      if (r.resourceNames?.length) rr.resourceNames = r.resourceNames;
      resourceRules.push(rr);
    }
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
  }
  return { resourceRules, nonResourceRules, incomplete: false };
}
