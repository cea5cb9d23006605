/**
 * The ValidatingAdmissionPolicy admission plugin: for every binding in the policy workspace whose
 * policy matches the request, resolve params, evaluate, and act on failures per the binding's
 * validationActions — Deny refuses with kube's message and the validation's reason, Warn adds a
 * `Warning` header, Audit logs.
 *
 * Which workspaces' policies apply: the request's own, and for a resource the request's workspace
 * has bound from an APIExport, first the export's workspace too, so a provider's policies govern
 * its API wherever it is bound, as in kcp (pkg/admission/validatingadmissionpolicy). kcp consults
 * the export's workspace alone for such a resource; keeping the consumer's own policies as well
 * lets a workspace still tighten its own Deployments (bound from root:compute), and anything kcp
 * refuses is refused here too.
 */
import { randomUUID } from 'node:crypto';
import { StatusError, forbidden } from '../../errors/status.js';
import type { Logger } from '../../observability/logger.js';
import type { AdmissionAttributes } from '../../registry/hooks.js';
import type { CelSchema } from '../../cel/index.js';
import type { Store } from '../../storage/types.js';
import type { AdmissionPlugin } from '../plugin.js';
import type { WatchCache } from '../watch-cache.js';
import { compilePolicy } from './compile.js';
import { evaluatePolicy, type Failure } from './evaluate.js';
import { matchResources, type MatchRequest } from './match.js';
import { resolveParams, type KindResolver, type ParamRef } from './params.js';

export const POLICIES_RESOURCE = 'admissionregistration.k8s.io/validatingadmissionpolicies';
export const BINDINGS_RESOURCE = 'admissionregistration.k8s.io/validatingadmissionpolicybindings';

export interface ValidatingPolicyOptions {
  policies: WatchCache;
  bindings: WatchCache;
  store: Store;
  resolveKind: KindResolver;
  /**
   * The APIExport's workspace when `cluster` binds group/resource from one (its policies admit the
   * request too); anything else (or `cluster`) when it does not.
   */
  policyCluster?: (cluster: string, group: string, resource: string) => string | undefined;
  /** Resolves before policyCluster answers from a synced view. */
  policyClusterReady?: () => Promise<void>;
  log?: Logger;
}

const CODES: Record<string, number> = { Unauthorized: 401, Forbidden: 403, Invalid: 422, RequestEntityTooLarge: 413 };

export class ValidatingPolicyPlugin implements AdmissionPlugin {
  readonly name = 'ValidatingAdmissionPolicy';
  constructor(private readonly o: ValidatingPolicyOptions) {}

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const { def } = attrs;
    await Promise.all([this.o.policies.ready(), this.o.bindings.ready()]);
    // only resources served through an APIBinding can have another policy workspace
    const bound = def.source?.startsWith('binding:') ?? false;
    if (bound) await this.o.policyClusterReady?.();
    const exportCluster = bound ? this.o.policyCluster?.(attrs.cluster, def.group, def.resource) : undefined;
    const bindings = (exportCluster && exportCluster !== attrs.cluster ? [exportCluster, attrs.cluster] : [attrs.cluster])
      .flatMap((policyCluster) => this.o.bindings.list(policyCluster).map((binding) => ({ policyCluster, binding })));
    if (!bindings.length) return;
    const nsName = def.namespaced ? attrs.namespace : (def.group === '' && def.resource === 'namespaces' ? attrs.name : '');
    const nsObj = nsName ? (await this.o.store.get({ cluster: attrs.cluster, resource: 'namespaces', namespace: '', name: nsName })) ?? null : null;
    const q: MatchRequest = {
      group: def.group, version: def.version, resource: def.resource, subresource: attrs.subresource,
      operation: attrs.operation, name: attrs.name, namespace: attrs.namespace, namespaced: def.namespaced,
      labels: attrs.object?.metadata?.labels, oldLabels: attrs.oldObject?.metadata?.labels,
      namespaceLabels: def.resource === 'namespaces' && def.group === '' ? attrs.object?.metadata?.labels : nsObj?.metadata?.labels,
      isNamespace: def.group === '' && def.resource === 'namespaces',
    };
    const request = requestVariable(attrs);
    let denial: StatusError | undefined;
    for (const { policyCluster, binding } of bindings) {
      const spec = (binding.spec ?? {}) as { policyName?: string; paramRef?: ParamRef; matchResources?: never; validationActions?: string[] };
      const policyObj = spec.policyName ? this.o.policies.get(policyCluster, '', spec.policyName) : undefined;
      if (!policyObj) continue;
      const policy = compilePolicy(policyObj);
      if (!matchResources(policy.matchConstraints, q, true) || !matchResources(spec.matchResources, q, false)) continue;
      const pName = policy.name;
      const bName = binding.metadata.name ?? '';
      // params live beside the policy (kcp's delegate reads them with the policy workspace's client)
      const params = await resolveParams(this.o.store, this.o.resolveKind, policy, spec.paramRef, policyCluster, attrs.namespace);
      if ('allow' in params) continue;
      if ('configError' in params) {
        if (policy.failurePolicy === 'Fail') denial ??= forbidden(def, attrs.name, `failed to configure binding: ${params.configError}`);
        continue;
      }
      const actions = spec.validationActions ?? ['Deny'];
      for (const param of params.params) {
        const out = evaluatePolicy(policy, {
          object: attrs.operation === 'DELETE' ? null : attrs.object, oldObject: attrs.oldObject ?? null,
          request, params: param, namespaceObject: nsObj, schema: def.schema as CelSchema | undefined,
        });
        if (out.skipped) continue;
        for (const f of out.failures) denial ??= this.act(attrs, actions, pName, bName, f);
      }
    }
    if (denial) throw denial;
  }

  /** Applies the binding's actions to one failure; returns the error when one of them is Deny. */
  private act(attrs: AdmissionAttributes, actions: string[], policy: string, binding: string, f: Failure): StatusError | undefined {
    if (actions.includes('Warn')) attrs.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${policy}' with binding '${binding}': ${f.message}`);
    if (actions.includes('Audit')) this.o.log?.info({ policy, binding, cluster: attrs.cluster, message: f.message }, 'validating admission policy audit');
    if (!actions.includes('Deny')) return undefined;
    const message = `ValidatingAdmissionPolicy '${policy}' with binding '${binding}' denied request: ${f.message}`;
    const base = forbidden(attrs.def, attrs.name, message);
    const reason = f.reason && CODES[f.reason] ? f.reason : 'Invalid';
    return new StatusError(CODES[reason], reason as 'Invalid', base.message, { ...base.details, causes: [{ message }] });
  }
}

/** The `request` variable (admission.k8s.io AdmissionRequest as CEL sees it). */
function requestVariable(a: AdmissionAttributes): Record<string, unknown> {
  const kind = { group: a.def.group, version: a.def.version, kind: a.def.kind };
  const resource = { group: a.def.group, version: a.def.version, resource: a.def.resource };
  return {
    uid: randomUUID(), kind, resource, subResource: a.subresource, requestKind: kind, requestResource: resource,
    requestSubResource: a.subresource, name: a.name, namespace: a.namespace, operation: a.operation,
    userInfo: { username: a.user.name, uid: a.user.uid ?? '', groups: a.user.groups, extra: a.user.extra ?? {} },
    dryRun: a.dryRun, options: {},
  };
}

