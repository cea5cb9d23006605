/**
 * CRD defaulting (apiextensions v1 SetDefaults_CustomResourceDefinition): listKind = Kind+"List",
 * singular = lower-cased kind, conversion strategy None, webhook service port 443.
 */
import type { CustomResourceDefinition } from './types.js';

/** Fills kube's defaults in place and returns the same object. */
export function defaultCRD<T extends CustomResourceDefinition>(crd: T): T {
  const spec = (crd.spec ??= {});
  const names = (spec.names ??= {});
  if (names.kind) {
    names.listKind ||= `${names.kind}List`;
    names.singular ||= names.kind.toLowerCase();
  }
  spec.conversion ??= { strategy: 'None' };
  spec.conversion.strategy ||= 'None';
  const svc = spec.conversion.webhook?.clientConfig?.service;
  if (svc && svc.port === undefined) svc.port = 443;
  return crd;
}
