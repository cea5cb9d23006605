/**
 * Which table message a request body's envelope (apiVersion + kind) names. Only top-level kinds
 * (an ObjectMeta in field 1, or a meta/v1 options kind) are accepted: `kind: PodSpec` is not an
 * object anyone can POST.
 */
import { MESSAGES } from './schemas/index.js';

/** API group → proto package prefix (`k8s.io.api.<prefix>.<version>`). */
const GROUP_PACKAGES: Readonly<Record<string, string>> = {
  '': 'core',
  'apps': 'apps',
  'batch': 'batch',
  'rbac.authorization.k8s.io': 'rbac',
  'autoscaling': 'autoscaling',
  'networking.k8s.io': 'networking',
  'policy': 'policy',
  'scheduling.k8s.io': 'scheduling',
  'authentication.k8s.io': 'authentication',
  'authorization.k8s.io': 'authorization',
};

/** meta/v1 kinds every group version registers (kube's AddToGroupVersion). */
const META_KINDS = new Set(['DeleteOptions']);

export function messageForKind(apiVersion: string, kind: string): string | undefined {
  if (META_KINDS.has(kind)) return `meta.v1.${kind}`;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const pkg = GROUP_PACKAGES[group];
  if (!pkg || !/^v\d+((alpha|beta)\d+)?$/.test(version) || !/^[A-Z]\w*$/.test(kind)) return undefined;
  const name = `${pkg}.${version}.${kind}`;
  const schema = MESSAGES[name];
  return schema?.[1]?.[1] === 'meta.v1.ObjectMeta' ? name : undefined;
}
