/**
 * admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding,
 * served in every workspace. Their strategies refuse expressions that do not compile, as kube's
 * policy validation does, so a broken policy never reaches enforcement.
 */
import type { ResourceDef } from '../../registry/types.js';
import {
  ageColumn, atomicList, builtinDef, computed, enumStr, obj, opaque, partial, str, stringList,
} from '../../registry/builtin/build.js';
import { labelSelectorSchema, rootSchema } from '../../registry/builtin/meta.js';
import { validatePolicySpec, validateBindingSpec } from './validate-spec.js';

const G = 'admissionregistration.k8s.io';

const ruleWithOperations = obj('NamedRuleWithOperations is a tuple of Operations and Resources with ResourceNames.', {
  apiGroups: stringList('APIGroups is the API groups the resources belong to. \'*\' is all groups.'),
  apiVersions: stringList('APIVersions is the API versions the resources belong to. \'*\' is all versions.'),
  operations: stringList('Operations is the operations the admission hook cares about - CREATE, UPDATE, DELETE, CONNECT or * for all of those operations.'),
  resources: stringList('Resources is a list of resources this rule applies to. \'*\' means all resources; \'pods/*\' means all subresources of pods.'),
  resourceNames: stringList('ResourceNames is an optional white list of names that the rule applies to.'),
  scope: enumStr('scope specifies the scope of this rule.', ['Cluster', 'Namespaced', '*']),
}, { 'x-kubernetes-map-type': 'atomic' });

const matchResources = (description: string) => obj(description, {
  namespaceSelector: labelSelectorSchema('NamespaceSelector decides whether to run the admission control policy on an object based on whether the namespace for that object matches the selector.'),
  objectSelector: labelSelectorSchema('ObjectSelector decides whether to run the validation based on if the object has matching labels.'),
  resourceRules: atomicList('ResourceRules describes what operations on what resources/subresources the ValidatingAdmissionPolicy matches.', ruleWithOperations),
  excludeResourceRules: atomicList('ExcludeResourceRules describes what operations on what resources/subresources the ValidatingAdmissionPolicy should not care about.', ruleWithOperations),
  matchPolicy: enumStr('matchPolicy defines how the "MatchResources" list is used to match incoming requests.', ['Exact', 'Equivalent']),
}, { 'x-kubernetes-map-type': 'atomic' });

const namedExpression = (description: string) => atomicList(description, obj('An expression with a name.', {
  name: str('Name is the identifier.'),
  expression: str('Expression is the CEL expression.'),
}, { required: ['name', 'expression'] }));

const conditionsList = opaque('The conditions represent the latest available observations of a policy\'s current state.');

export function validatingAdmissionPolicyDef(): ResourceDef {
  return builtinDef({
    group: G, version: 'v1', resource: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', namespaced: false,
    categories: ['api-extensions'],
    schema: rootSchema('ValidatingAdmissionPolicy describes the definition of an admission validation policy that accepts or rejects an object without changing it.', {
      spec: obj('Specification of the desired behavior of the ValidatingAdmissionPolicy.', {
        paramKind: obj('ParamKind specifies the kind of resources used to parameterize this policy.', {
          apiVersion: str('APIVersion is the API group version the resources belong to.'),
          kind: str('Kind is the API kind the resources belong to.'),
        }, { 'x-kubernetes-map-type': 'atomic' }),
        matchConstraints: matchResources('MatchConstraints specifies what resources this policy is designed to validate.'),
        validations: atomicList('Validations contain CEL expressions which is used to apply the validation.', obj('Validation specifies the CEL expression which is used to apply the validation.', {
          expression: str('Expression represents the expression which will be evaluated by CEL.'),
          message: str('Message represents the message displayed when validation fails.'),
          reason: str('Reason represents a machine-readable description of why this validation failed.'),
          messageExpression: str('messageExpression declares a CEL expression that evaluates to the validation failure message.'),
        }, { required: ['expression'] })),
        failurePolicy: enumStr('failurePolicy defines how to handle failures for the admission policy.', ['Fail', 'Ignore']),
        auditAnnotations: atomicList('auditAnnotations contains CEL expressions which are used to produce audit annotations.', partial('AuditAnnotation describes how to produce an audit annotation for an API request.', {
          key: str('key specifies the audit annotation key.'),
          valueExpression: str('valueExpression represents the expression which is evaluated by CEL to produce an audit annotation value.'),
        })),
        matchConditions: namedExpression('MatchConditions is a list of conditions that must be met for a request to be validated.'),
        variables: namedExpression('Variables contain definitions of variables that can be used in composition of other expressions.'),
      }),
      status: partial('The status of the ValidatingAdmissionPolicy.', {
        observedGeneration: { type: 'integer', format: 'int64', description: 'The generation observed by the controller.' },
        typeChecking: opaque('The results of type checking for each expression.'),
        conditions: conditionsList,
      }),
    }),
    printerColumns: [
      computed('Validations', 'integer', (o) => (o.spec?.validations ?? []).length),
      computed('ParamKind', 'string', (o) => (o.spec?.paramKind ? `${o.spec.paramKind.apiVersion}/${o.spec.paramKind.kind}` : '<unset>')),
      ageColumn,
    ],
    subresources: { status: true },
    strategy: {
      validate: (o) => validatePolicySpec(o),
      validateUpdate: (o) => validatePolicySpec(o),
    },
  });
}

export function validatingAdmissionPolicyBindingDef(): ResourceDef {
  return builtinDef({
    group: G, version: 'v1', resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false,
    categories: ['api-extensions'],
    schema: rootSchema('ValidatingAdmissionPolicyBinding binds the ValidatingAdmissionPolicy with paramerized resources.', {
      spec: obj('Specification of the desired behavior of the ValidatingAdmissionPolicyBinding.', {
        policyName: str('PolicyName references a ValidatingAdmissionPolicy name which the ValidatingAdmissionPolicyBinding binds to.'),
        paramRef: obj('paramRef specifies the parameter resource used to configure the admission control policy.', {
          name: str('name is the name of the resource being referenced.'),
          namespace: str('namespace is the namespace of the referenced resource.'),
          selector: labelSelectorSchema('selector can be used to match multiple param objects based on their labels.'),
          parameterNotFoundAction: enumStr('parameterNotFoundAction controls the behavior of the binding when the resource exists, and name or selector is valid, but there are no parameters matched by the binding.', ['Allow', 'Deny']),
        }, { 'x-kubernetes-map-type': 'atomic' }),
        matchResources: matchResources('MatchResources declares what resources match this binding and will be validated by it.'),
        validationActions: stringList('validationActions declares how Validations of the referenced ValidatingAdmissionPolicy are enforced.'),
      }),
    }),
    printerColumns: [
      computed('PolicyName', 'string', (o) => o.spec?.policyName ?? ''),
      computed('ParamRef', 'string', (o) => {
        const r = o.spec?.paramRef;
        if (!r) return '<unset>';
        return r.name ? (r.namespace ? `${r.namespace}/${r.name}` : `*/${r.name}`) : '<selector>';
      }),
      ageColumn,
    ],
    strategy: {
      validate: (o) => validateBindingSpec(o),
      validateUpdate: (o) => validateBindingSpec(o),
    },
  });
}

/** Both defs, for the served built-ins of every workspace. */
export function validatingAdmissionPolicyDefs(): ResourceDef[] {
  return [validatingAdmissionPolicyDef(), validatingAdmissionPolicyBindingDef()];
}
