/** rbac.authorization.k8s.io/v1 and coordination.k8s.io/v1 leases. */
import type { ResourceDef } from '../types.js';
import { invalid } from '../schema/errors.js';
import { deepEqual } from '../schema/values.js';
import { pathSegmentNameErrors } from '../../machinery/names.js';
import {
  ageColumn, atomicList, builtinDef, col, computed, createdAtColumn, int32, obj, str, stringList, time,
} from './build.js';
import { labelSelectorSchema, rootSchema } from './meta.js';

const G = 'rbac.authorization.k8s.io';

const policyRule = obj('PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.', {
  apiGroups: stringList('APIGroups is the name of the APIGroup that contains the resources. If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.'),
  resources: stringList("Resources is a list of resources this rule applies to. '*' represents all resources."),
  resourceNames: stringList('ResourceNames is an optional white list of names that the rule applies to. An empty set means that everything is allowed.'),
  verbs: stringList("Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."),
  nonResourceURLs: stringList('NonResourceURLs is a set of partial urls that a user should have access to. *s are allowed, but only as the full, final step in the path.'),
}, { required: ['verbs'] });

const rules = atomicList('Rules holds all the PolicyRules for this Role', policyRule);

const roleRef = obj('RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. This field is immutable.', {
  apiGroup: str('APIGroup is the group for the resource being referenced'),
  kind: str('Kind is the type of resource being referenced'),
  name: str('Name is the name of resource being referenced'),
}, { required: ['apiGroup', 'kind', 'name'], 'x-kubernetes-map-type': 'atomic' });

const subjects = atomicList('Subjects holds references to the objects the role applies to.', obj(
  'Subject contains a reference to the object or user identities a role binding applies to.', {
    kind: str('Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount".'),
    apiGroup: str('APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.'),
    name: str('Name of the object being referenced.'),
    namespace: str('Namespace of the referenced object. If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Validator should report an error.'),
  }, { required: ['kind', 'name'], 'x-kubernetes-map-type': 'atomic' }));

type Subject = { kind?: string; name?: string; namespace?: string };
const subjectsOf = (o: Record<string, unknown>, kind: string) =>
  ((o.subjects as Subject[] | undefined) ?? []).filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name)).join(', ');

const bindingColumns = [
  computed('Role', 'string', (o) => `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`),
  ageColumn,
  computed('Users', 'string', (o) => subjectsOf(o, 'User'), { priority: 1 }),
  computed('Groups', 'string', (o) => subjectsOf(o, 'Group'), { priority: 1 }),
  computed('ServiceAccounts', 'string', (o) => subjectsOf(o, 'ServiceAccount'), { priority: 1 }),
];

/**
 * RBAC object names need only be valid path segments (kube's ValidateRBACName), so the
 * colon-separated names kube and kcp use (`system:kcp:apiexport:tenancy:bind`) are accepted.
 */
const rbacNames = { validateName: pathSegmentNameErrors };

/** roleRef is immutable (ValidateRoleBindingUpdate). */
const bindingStrategy = {
  ...rbacNames,
  validateUpdate(obj: Record<string, unknown>, old: Record<string, unknown>) {
    return deepEqual(obj.roleRef, old.roleRef) ? [] : [invalid('roleRef', obj.roleRef, 'cannot change roleRef')];
  },
};

export function roleDef(): ResourceDef {
  return builtinDef({
    group: G, version: 'v1', resource: 'roles', kind: 'Role', namespaced: true,
    schema: rootSchema('Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.', { rules }),
    printerColumns: [createdAtColumn], strategy: rbacNames,
  });
}

export function clusterRoleDef(): ResourceDef {
  return builtinDef({
    group: G, version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false,
    schema: rootSchema('ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.', {
      rules,
      aggregationRule: obj('AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.', {
        clusterRoleSelectors: atomicList('ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules.',
          labelSelectorSchema('A label selector is a label query over a set of resources.')),
      }),
    }),
    printerColumns: [createdAtColumn], strategy: rbacNames,
  });
}

export function roleBindingDef(): ResourceDef {
  return builtinDef({
    group: G, version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true,
    schema: rootSchema('RoleBinding references a role, but does not contain it. It can reference a Role in the same namespace or a ClusterRole in the global namespace.',
      { subjects, roleRef }, { required: ['roleRef'] }),
    printerColumns: bindingColumns, strategy: bindingStrategy,
  });
}

export function clusterRoleBindingDef(): ResourceDef {
  return builtinDef({
    group: G, version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false,
    schema: rootSchema('ClusterRoleBinding references a ClusterRole, but not contain it. It can reference a ClusterRole in the global namespace, and adds who information via Subject.',
      { subjects, roleRef }, { required: ['roleRef'] }),
    printerColumns: bindingColumns, strategy: bindingStrategy,
  });
}

export function leaseDef(): ResourceDef {
  return builtinDef({
    group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true,
    schema: rootSchema('Lease defines a lease concept.', {
      spec: obj('spec contains the specification of the Lease.', {
        holderIdentity: str('holderIdentity contains the identity of the holder of a current lease.'),
        leaseDurationSeconds: int32('leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.'),
        acquireTime: time('acquireTime is a time when the current lease was acquired.'),
        renewTime: time('renewTime is a time when the current holder of a lease has last updated the lease.'),
        leaseTransitions: int32('leaseTransitions is the number of transitions of a lease between holders.'),
        strategy: str('Strategy indicates the strategy for picking the leader for coordinated leader election.'),
        preferredHolder: str('PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up.'),
      }),
    }),
    printerColumns: [col('Holder', 'string', '.spec.holderIdentity'), ageColumn],
  });
}
