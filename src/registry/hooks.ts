/**
 * Extension points the generic store calls during a write, implemented by layers above it
 * (admission chain, CEL schema rules, field management) and injected at wiring time, so the
 * registry never imports them.
 */
import type { FieldError } from '../errors/status.js';
import type { KubeObject } from '../storage/types.js';
import type { Operation, ResourceDef } from './types.js';

export interface UserInfo { name: string; groups: string[]; uid?: string; extra?: Record<string, string[]> }

export interface AdmissionAttributes {
  def: ResourceDef;
  operation: Operation;
  cluster: string;
  namespace: string;
  name: string;
  subresource: string;
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
  user: UserInfo;
  dryRun: boolean;
  /** Warnings to return in `Warning` headers. */
  warnings: string[];
}

/** The admission chain: mutating plugins may change `attrs.object`; any plugin may throw a StatusError. */
export interface AdmissionHook {
  mutate(attrs: AdmissionAttributes): Promise<void>;
  validate(attrs: AdmissionAttributes): Promise<void>;
}

/**
 * Evaluates x-kubernetes-validations of a def's schema (CEL); returns field errors to add to the
 * schema's (`prior`), which decide whether the rules run at all (kube skips them when the object
 * has the wrong shape, and says so).
 */
export type SchemaRuleValidator = (def: ResourceDef, obj: KubeObject, old: KubeObject | undefined, prior?: readonly FieldError[]) => FieldError[];

/** Maintains metadata.managedFields for non-apply writes. */
export type ManagedFieldsUpdater = (args: {
  def: ResourceDef; oldObj: KubeObject | undefined; newObj: KubeObject; manager: string;
  subresource: string; now: Date;
}) => KubeObject['metadata']['managedFields'];
