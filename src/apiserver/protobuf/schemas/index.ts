/**
 * All schema tables, merged. The per-package files are generated (tools/generate-schemas.ts);
 * this file is the only hand-written one here.
 */
import type { MessageTable } from '../schema.js';
import { messages as appsV1 } from './apps-v1.js';
import { messages as authenticationV1 } from './authentication-v1.js';
import { messages as authorizationV1 } from './authorization-v1.js';
import { messages as autoscalingV1 } from './autoscaling-v1.js';
import { messages as autoscalingV2 } from './autoscaling-v2.js';
import { messages as batchV1 } from './batch-v1.js';
import { messages as coreV1 } from './core-v1.js';
import { messages as metaV1 } from './meta-v1.js';
import { messages as networkingV1 } from './networking-v1.js';
import { messages as policyV1 } from './policy-v1.js';
import { messages as rbacV1 } from './rbac-v1.js';
import { messages as schedulingV1 } from './scheduling-v1.js';

export const MESSAGES: MessageTable = {
  ...appsV1, ...authenticationV1, ...authorizationV1, ...autoscalingV1, ...autoscalingV2, ...batchV1, ...coreV1,
  ...metaV1, ...networkingV1, ...policyV1, ...rbacV1, ...schedulingV1,
};
