/** apiextensions.k8s.io/v1 CustomResourceDefinition: validated and defaulted by ../crd. */
import type { ResourceDef } from '../types.js';
import { defaultCRD } from '../crd/defaults.js';
import { validateCRD } from '../crd/validate.js';
import {
  atomicList, bool, builtinDef, createdAtColumn, enumStr, int32, list, obj, opaque, partial, str, stringList,
} from './build.js';
import { conditionsSchema, rootSchema } from './meta.js';

const names = (description: string) => obj(description, {
  plural: str('plural is the plural name of the resource to serve. The custom resources are served under `/apis/<group>/<version>/.../<plural>`. Must be all lowercase.'),
  singular: str('singular is the singular name of the resource. It must be all lowercase. Defaults to lowercased `kind`.'),
  kind: str('kind is the serialized kind of the resource. It is normally CamelCase and singular.'),
  listKind: str('listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".'),
  shortNames: stringList('shortNames are short names for the resource, exposed in API discovery documents, and used by clients to support invocations like `kubectl get <shortname>`. It must be all lowercase.'),
  categories: stringList('categories is a list of grouped resources this custom resource belongs to (e.g. \'all\').'),
}, { required: ['plural', 'kind'] });

const printerColumn = obj('CustomResourceColumnDefinition specifies a column for server side printing.', {
  name: str('name is a human readable name for the column.'),
  type: str('type is an OpenAPI type definition for this column.'),
  format: str('format is an optional OpenAPI type definition for this column.'),
  description: str('description is a human readable description of this column.'),
  priority: int32('priority is an integer defining the relative importance of this column compared to others. Lower numbers are considered higher priority.'),
  jsonPath: str('jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column.'),
}, { required: ['name', 'type', 'jsonPath'] });

/** A CRD version, also used by kcp's APIResourceSchema. */
export const crdVersionSchema = obj('CustomResourceDefinitionVersion describes a version for CRD.', {
  name: str('name is the version name, e.g. “v1”, “v2beta1”, etc.'),
  served: bool('served is a flag enabling/disabling this version from being served via REST APIs'),
  storage: bool('storage indicates this version should be used when persisting custom resources to storage. There must be exactly one version with storage=true.'),
  deprecated: bool('deprecated indicates this version of the custom resource API is deprecated.'),
  deprecationWarning: str('deprecationWarning overrides the default warning returned to API clients.'),
  schema: obj('schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.', {
    openAPIV3Schema: opaque('openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.'),
  }),
  subresources: obj('subresources specify what subresources this version of the defined custom resource have.', {
    status: opaque('status indicates the custom resource should serve a `/status` subresource.'),
    scale: obj('scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object.', {
      specReplicasPath: str('specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`.'),
      statusReplicasPath: str('statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`.'),
      labelSelectorPath: str('labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`.'),
    }),
  }),
  additionalPrinterColumns: atomicList('additionalPrinterColumns specifies additional columns returned in Table output.', printerColumn),
  selectableFields: atomicList('selectableFields specifies paths to fields that may be used as field selectors.', obj('SelectableField specifies the JSON path of a field that may be used with field selectors.', {
    jsonPath: str('jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value.'),
  })),
}, { required: ['name', 'served', 'storage'] });

export const crdNamesSchema = names;

export function customResourceDefinitionDef(): ResourceDef {
  return builtinDef({
    group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition',
    namespaced: false, shortNames: ['crd', 'crds'], categories: ['api-extensions'],
    schema: rootSchema('CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.', {
      spec: obj('spec describes how the user wants the resources to appear', {
        group: str('group is the API group of the defined custom resource. The custom resources are served under `/apis/<group>/...`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`).'),
        names: names('names specify the resource and kind names for the custom resource.'),
        scope: enumStr('scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.', ['Cluster', 'Namespaced']),
        versions: list('versions is the list of all API versions of the defined custom resource.', crdVersionSchema, { 'x-kubernetes-list-type': 'atomic' }),
        conversion: partial('conversion defines conversion settings for the CRD.', {
          strategy: str('strategy specifies how custom resources are converted between versions. Allowed values are: - `"None"`: The converter only change the apiVersion and would not touch any other field in the custom resource. - `"Webhook"`: API Server will call to an external webhook to do the conversion.'),
          webhook: opaque('webhook describes how to call the conversion webhook. Required when `strategy` is set to `"Webhook"`.'),
        }),
        preserveUnknownFields: bool('preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage.'),
      }, { required: ['group', 'names', 'scope', 'versions'] }),
      status: obj('status indicates the actual state of the CustomResourceDefinition', {
        conditions: conditionsSchema('conditions indicate state for particular aspects of a CustomResourceDefinition'),
        acceptedNames: names('acceptedNames are the names that are actually being used to serve discovery. They may be different than the names in spec.'),
        storedVersions: stringList('storedVersions lists all versions of CustomResources that were ever persisted.'),
      }),
    }, { required: ['spec'] }),
    printerColumns: [createdAtColumn],
    subresources: { status: true },
    strategy: {
      prepareForCreate(obj) { defaultCRD(obj); },
      prepareForUpdate(obj) { defaultCRD(obj); },
      validate(obj) { return validateCRD(obj); },
      validateUpdate(obj) { return validateCRD(obj); },
    },
  });
}
