/** The shape of one admission plugin the chain runs. */
import type { AdmissionAttributes } from '../registry/hooks.js';

export interface AdmissionPlugin {
  /** Named in errors: `admission plugin "<name>" failed: …`. */
  readonly name: string;
  /** May change `attrs.object`. Plugins with side effects must skip them when `attrs.dryRun`. */
  mutate?(attrs: AdmissionAttributes): Promise<void> | void;
  /** May only refuse (throw a StatusError) or add warnings. */
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}
