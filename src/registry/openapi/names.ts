/**
 * Names kube's OpenAPI uses: component schema names (`io.k8s.api.core.v1.ConfigMap`,
 * `com.example.v1.Widget`), operation ids (`listAppsV1NamespacedDeployment`), tags (`apps_v1`) and
 * the `api/v1` / `apis/g/v` document paths.
 */
import type { GroupVersionKind } from '../types.js';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const OBJECT_META = `${META}.ObjectMeta`;
export const LIST_META = `${META}.ListMeta`;
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;
export const PATCH = `${META}.Patch`;
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The prefix of a GV's component names. Built-in groups follow kube's Go package paths. */
export function componentPrefix(group: string, version: string, builtin: boolean): string {
  if (builtin) {
    if (group === '') return `io.k8s.api.core.${version}`;
    if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
    if (group.endsWith('.k8s.io')) return `io.k8s.api.${group.split('.')[0]}.${version}`;
    if (!group.includes('.')) return `io.k8s.api.${group}.${version}`;
  }
  return `${group.split('.').reverse().join('.')}.${version}`;
}

export function componentName(gvk: GroupVersionKind, builtin: boolean): string {
  return `${componentPrefix(gvk.group, gvk.version, builtin)}.${gvk.kind}`;
}

/** `api/v1` for the core group, `apis/<g>/<v>` otherwise (the keys of /openapi/v3). */
export function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const camel = (s: string) => s.split(/[.\-]/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');

/** `Core`, `Apps`, `RbacAuthorization`, `ExampleCom` — kube drops the `.k8s.io` suffix. */
export function groupCamel(group: string): string {
  return group === '' ? 'Core' : camel(group.replace(/\.k8s\.io$/, ''));
}

export function tagOf(group: string, version: string): string {
  return `${group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').replace(/\./g, '')}_${version}`;
}

export function operationId(verb: string, group: string, version: string, kind: string, opts: { namespaced?: boolean; allNamespaces?: boolean; suffix?: string } = {}): string {
  const scope = opts.allNamespaces ? '' : opts.namespaced ? 'Namespaced' : '';
  const tail = opts.allNamespaces ? 'ForAllNamespaces' : '';
  return `${verb}${groupCamel(group)}${camel(version)}${scope}${kind}${opts.suffix ?? ''}${tail}`;
}
