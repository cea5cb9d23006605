/**
 * authorization.k8s.io/v1 access reviews and authentication.k8s.io/v1 SelfSubjectReview: kinds
 * that are only ever created, answered at once and never stored (`kubectl auth can-i`,
 * `kubectl auth can-i --list`, `kubectl auth whoami`). The wire layer answers them
 * (apiserver/reviews.ts); these defs give them discovery, OpenAPI and `kubectl explain`.
 */
import type { JSONSchemaProps, ResourceDef } from '../types.js';
import { atomicList, bool, builtinDef, obj, str, stringList } from './build.js';
import { rootSchema } from './meta.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

const selectorRequirement = obj('A requirement: a key, an operator and values.', {
  key: str('key is the key the selector applies to.'),
  operator: str('operator represents a key\'s relationship to a set of values.'),
  values: stringList('values is an array of string values.'),
}, { required: ['key', 'operator'] });

const resourceAttributes = obj('ResourceAttributes includes the authorization attributes available for resource requests to the Authorizer interface', {
  namespace: str('Namespace is the namespace of the action being requested. "" (empty) is defaulted for LocalSubjectAccessReviews and means "all" for cluster-scoped or namespaced resources in SubjectAccessReviews and SelfSubjectAccessReviews.'),
  verb: str('Verb is a kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy.  "*" means all.'),
  group: str('Group is the API Group of the Resource.  "*" means all.'),
  version: str('Version is the API Version of the Resource.  "*" means all.'),
  resource: str('Resource is one of the existing resource types.  "*" means all.'),
  subresource: str('Subresource is one of the existing resource types.  "" means none.'),
  name: str('Name is the name of the resource being requested for a "get" or deleted for a "delete". "" (empty) means all.'),
  fieldSelector: obj('fieldSelector describes the limitation on access based on field. It can only limit access, not broaden it.', {
    rawSelector: str('rawSelector is the serialization of a field selector that would be included in a query parameter.'),
    requirements: atomicList('requirements is the parsed interpretation of a field selector.', selectorRequirement),
  }),
  labelSelector: obj('labelSelector describes the limitation on access based on labels. It can only limit access, not broaden it.', {
    rawSelector: str('rawSelector is the serialization of a label selector that would be included in a query parameter.'),
    requirements: atomicList('requirements is the parsed interpretation of a label selector.', selectorRequirement),
  }),
});

const nonResourceAttributes = obj('NonResourceAttributes includes the authorization attributes available for non-resource requests to the Authorizer interface', {
  path: str('Path is the URL path of the request'),
  verb: str('Verb is the standard HTTP verb'),
});

const extra = (description: string): JSONSchemaProps =>
  ({ type: 'object', description, additionalProperties: { type: 'array', items: { type: 'string' } } });

const accessStatus = obj('SubjectAccessReviewStatus', {
  allowed: bool('Allowed is required. True if the action would be allowed, false otherwise.'),
  denied: bool('Denied is optional. True if the action would be denied, otherwise false. If both allowed is false and denied is false, then the authorizer has no opinion on whether to authorize the action.'),
  reason: str('Reason is optional.  It indicates why a request was allowed or denied.'),
  evaluationError: str('EvaluationError is an indication that some error occurred during the authorization check.'),
}, { required: ['allowed'] });

const subjectSpec = (what: string) => obj(`${what} is a description of the access request.  Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set`, {
  resourceAttributes, nonResourceAttributes,
  user: str('User is the user you\'re testing for. If you specify "User" but not "Groups", then is it interpreted as "What if User were not a member of any groups'),
  groups: stringList('Groups is the groups you\'re testing for.'),
  extra: extra('Extra corresponds to the user.Info.GetExtra() method from the authenticator.'),
  uid: str('UID information about the requesting user.'),
});

function reviewDef(group: string, resource: string, kind: string, namespaced: boolean, description: string, props: Record<string, JSONSchemaProps>, required: string[]): ResourceDef {
  const schema = rootSchema(description, props);
  schema.required = [...(schema.required ?? []), ...required];
  return builtinDef({ group, version: 'v1', resource, kind, namespaced, schema, printerColumns: [], verbs: ['create'] });
}

export function reviewDefs(): ResourceDef[] {
  const G = AUTHORIZATION_GROUP;
  return [
    reviewDef(G, 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false,
      'SelfSubjectAccessReview checks whether or the current user can perform an action.  Not filling in a spec.namespace means "in all namespaces".  Self is a special case, because users should always be able to check whether they can perform an action',
      {
        spec: obj('SelfSubjectAccessReviewSpec is a description of the access request.  Exactly one of ResourceAuthorizationAttributes and NonResourceAuthorizationAttributes must be set', { resourceAttributes, nonResourceAttributes }),
        status: accessStatus,
      }, ['spec']),
    reviewDef(G, 'subjectaccessreviews', 'SubjectAccessReview', false,
      'SubjectAccessReview checks whether or not a user or group can perform an action.',
      { spec: subjectSpec('SubjectAccessReviewSpec'), status: accessStatus }, ['spec']),
    reviewDef(G, 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true,
      'LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given namespace. Having a namespace scoped resource makes it much easier to grant namespace scoped policy that includes permissions checking.',
      { spec: subjectSpec('SubjectAccessReviewSpec'), status: accessStatus }, ['spec']),
    reviewDef(G, 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false,
      'SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace. The returned list of actions may be incomplete depending on the server\'s authorization mode, and any errors experienced during the evaluation.',
      {
        spec: obj('SelfSubjectRulesReviewSpec defines the specification for SelfSubjectRulesReview.', { namespace: str('Namespace to evaluate rules for. Required.') }),
        status: obj('SubjectRulesReviewStatus contains the result of a rules check.', {
          resourceRules: atomicList('ResourceRules is the list of actions the subject is allowed to perform on resources.', obj('ResourceRule is the list of actions the subject is allowed to perform on resources.', {
            verbs: stringList('Verb is a list of kubernetes resource API verbs, like: get, list, watch, create, update, delete, proxy.  "*" means all.'),
            apiGroups: stringList('APIGroups is the name of the APIGroup that contains the resources.  "*" means all.'),
            resources: stringList('Resources is a list of resources this rule applies to.  "*" means all in the specified apiGroups.'),
            resourceNames: stringList('ResourceNames is an optional white list of names that the rule applies to.  "*" means all.'),
          }, { required: ['verbs'] })),
          nonResourceRules: atomicList('NonResourceRules is the list of actions the subject is allowed to perform on non-resources.', obj('NonResourceRule holds information that describes a rule for the non-resource', {
            verbs: stringList('Verb is a list of kubernetes non-resource API verbs, like: get, post, put, delete, patch, head, options.  "*" means all.'),
            nonResourceURLs: stringList('NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path.  "*" means all.'),
          }, { required: ['verbs'] })),
          incomplete: bool('Incomplete is true when the rules returned by this call are incomplete.'),
          evaluationError: str('EvaluationError can appear in combination with Rules.'),
        }, { required: ['resourceRules', 'nonResourceRules', 'incomplete'] }),
      }, ['spec']),
    reviewDef(AUTHENTICATION_GROUP, 'selfsubjectreviews', 'SelfSubjectReview', false,
      'SelfSubjectReview contains the user information that the kube-apiserver has about the user making this request.',
      {
        status: obj('SelfSubjectReviewStatus is filled by the kube-apiserver and sent back to a user.', {
          userInfo: obj('UserInfo holds the information about the user needed to implement the user.Info interface.', {
            username: str('The name that uniquely identifies this user among all active users.'),
            uid: str('A unique value that identifies this user across time.'),
            groups: stringList('The names of groups this user is a part of.'),
            extra: extra('Any additional information provided by the authenticator.'),
          }),
        }),
      }, []),
  ];
}

/** Whether a def is one of the create-only review kinds above. */
export function isReviewDef(def: Pick<ResourceDef, 'group'>): boolean {
  return def.group === AUTHORIZATION_GROUP || def.group === AUTHENTICATION_GROUP;
}
