/**
 * Registers every Kubernetes CEL library on a cel-js Environment, in kube 1.33's base order.
 * Each file documents its kube source; `util.ts` holds the shared error/cost helpers.
 */

import { registerFormat } from './format.js';
import { registerIP } from './ip.js';
import { registerLists } from './lists.js';
import { registerQuantity } from './quantity.js';
import { registerRegex } from './regex.js';
import { registerSemver } from './semver.js';
import { registerSets } from './sets.js';
import { registerStrings } from './strings.js';
import { registerURLs } from './urls.js';
import type { Registrar } from './util.js';

export function registerKubeLibraries(env: Registrar): void {
  registerLists(env);
  registerRegex(env);
  registerURLs(env);
  registerQuantity(env);
  registerStrings(env);
  registerSets(env);
  registerIP(env);
  registerFormat(env);
  registerSemver(env);
}
