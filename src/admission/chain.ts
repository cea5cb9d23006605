/**
 * The admission chain: every mutating plugin in order, then (after schema validation in the
 * generic store) every validating plugin in order. A plugin refuses by throwing a StatusError;
 * anything else it throws is a bug, reported as kube's 500 `Internal error occurred: admission
 * plugin "<name>" failed: …` — the request fails cleanly and the server keeps running.
 */
import { internalError, isStatusError } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import { isTracing, withSpan } from '../observability/tracing.js';
import type { AdmissionAttributes, AdmissionHook } from '../registry/hooks.js';
import type { AdmissionPlugin } from './plugin.js';

export class AdmissionChain implements AdmissionHook {
  constructor(readonly plugins: readonly AdmissionPlugin[], private readonly log?: Logger) {}

  async mutate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.mutate) await this.run(p, 'mutate', attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await this.run(p, 'validate', attrs);
  }

  private async run(p: AdmissionPlugin, phase: 'mutate' | 'validate', attrs: AdmissionAttributes): Promise<void> {
    try {
      if (!isTracing()) await p[phase]!(attrs);
      else {
        await withSpan(`admission ${phase} ${p.name}`, {
          'admission.plugin': p.name, 'admission.phase': phase, 'k8s.operation': attrs.operation, 'k8s.resource': attrs.def.resource,
        }, async () => { await p[phase]!(attrs); });
      }
    } catch (e) {
      if (isStatusError(e)) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      this.log?.error({ err: e, plugin: p.name, phase }, 'admission plugin failed');
      throw internalError(`admission plugin "${p.name}" failed: ${msg}`);
    }
  }
}
