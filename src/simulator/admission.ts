/**
 * The simulated cluster's admission hook. Its one job is misbehaviour on request: with
 * `--refuse-writes deployments,configmaps`, every create/update/patch/delete of those resources
 * (subresources included) fails with 503 ServiceUnavailable, as an overloaded or broken API server
 * would, so tests can watch TMC's sync path surface the failure. Names match `deployments`,
 * `deployments.apps`, or `*` for everything. The simulator's own writes are exempt: the cluster's
 * "controllers" keep working while it refuses its clients.
 *
 * Service cluster IPs need nothing here: the services strategy allocates them at create.
 */
import { serviceUnavailable } from '../errors/status.js';
import type { AdmissionAttributes, AdmissionHook } from '../registry/hooks.js';
import { SIMULATOR_USER, type SimulatorOptions } from './types.js';

/** A refusal set that tests (or a future control endpoint) may change at run time. */
export class RefuseWrites {
  private names: Set<string>;

  constructor(names: string[] = []) { this.names = new Set(names.map((n) => n.trim()).filter(Boolean)); }

  set(names: string[]): void { this.names = new Set(names.map((n) => n.trim()).filter(Boolean)); }

  /** The name it was refused under, if refused. */
  match(group: string, resource: string): string | undefined {
    if (this.names.has('*')) return resource;
    if (this.names.has(resource)) return resource;
    const qualified = group ? `${resource}.${group}` : resource;
    return this.names.has(qualified) ? qualified : undefined;
  }
}

export function refusedMessage(resource: string): string {
  return `the simulated cluster refuses writes to ${resource} (--refuse-writes)`;
}

export function refuseWritesHook(refuse: RefuseWrites): AdmissionHook {
  const check = (a: AdmissionAttributes) => {
    if (a.user.name === SIMULATOR_USER.name) return;
    const name = refuse.match(a.def.group, a.def.resource);
    if (name !== undefined) throw serviceUnavailable(refusedMessage(name));
  };
  return {
    // refusing in mutate too fails a write before defaulting and validation run, like a dead server
    async mutate(a) { check(a); },
    async validate(a) { check(a); },
  };
}

/** StartHooks.admission for cluster mode: `(deps) => AdmissionHook`. */
export function simulatorAdmission(deps: { opts: Pick<SimulatorOptions, 'refuseWrites'> }): AdmissionHook {
  return refuseWritesHook(new RefuseWrites(deps.opts.refuseWrites));
}
