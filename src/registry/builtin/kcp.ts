/**
 * kcp's types, data only (their behaviour lives in tenancy/): tenancy.kcp.io/v1alpha1 workspaces and
 * workspacetypes, core.kcp.io/v1alpha1 logicalclusters, apis.kcp.io/v1alpha1 apiresourceschemas,
 * apiexports, apibindings, all cluster-scoped, shaped as in
 * kcp's sdk (reference/kcp-tmc.md §2).
 */
import { dns1123LabelErrors } from '../../machinery/names.js';
import type { JSONSchemaProps, ResourceDef } from '../types.js';
import {
  ageColumn, atomicList, bool, builtinDef, col, computed, enumStr, list, obj, opaque, partial, str, stringList,
} from './build.js';
import { crdNamesSchema, crdVersionSchema } from './apiextensions.js';
import { conditionsSchema, labelSelectorSchema, rootSchema } from './meta.js';

export function workspaceDef(): ResourceDef {
  return builtinDef({
    group: 'tenancy.kcp.io', version: 'v1alpha1', resource: 'workspaces', kind: 'Workspace', namespaced: false, shortNames: ['ws'],
    categories: ['kcp'],
    schema: rootSchema('Workspace defines a generic Kubernetes-cluster-like endpoint, with its own API resources, RBAC and objects; a child logical cluster of the workspace it lives in.', {
      spec: partial('WorkspaceSpec holds the desired state of the Workspace.', {
        type: workspaceTypeReference('type defines properties of the workspace both on creation (e.g. initial resources and initially installed APIs) and during runtime (e.g. permissions). If no type is provided, the default type for the workspace in which this workspace is nesting will be used.'),
        location: obj('location constraints where this workspace can be scheduled to.', {
          selector: labelSelectorSchema('selector is a label selector that filters workspace scheduling targets.'),
        }),
        cluster: str('cluster is the name of the logical cluster this workspace is stored under. Set by the system; immutable.'),
        URL: str('URL is the address under which the Kubernetes-cluster-like endpoint can be found. This URL can be used to access the workspace with standard Kubernetes client libraries and command line tools. Set by the system.'),
        mount: opaque('Mount is a reference to an object implementing a mounting feature.'),
      }),
      status: partial('WorkspaceStatus communicates the observed state of the Workspace.', {
        phase: enumStr('Phase of the workspace (Scheduling, Initializing, Ready, Unavailable, Terminating).', ['Initializing', 'Ready', 'Scheduling', 'Terminating', 'Unavailable']),
        url: str('Deprecated: use spec.URL. The address of the workspace, kept for clients of earlier releases.'),
        conditions: conditionsSchema('Current processing state of the Workspace.'),
        initializers: stringList('initializers must be cleared by a controller before the workspace is ready and can be used.'),
        terminators: stringList('terminators must be cleared by a controller before the workspace is deleted.'),
      }),
    }),
    printerColumns: [
      col('Type', 'string', '.spec.type.name', { description: 'Type of the workspace' }),
      col('Region', 'string', ".metadata.labels['region']", { description: 'The region this workspace is in' }),
      col('Phase', 'string', '.status.phase', { description: 'The current phase (e.g. Scheduling, Initializing, Ready, Deleting)' }),
      col('URL', 'string', '.spec.URL', { description: 'URL to access the workspace' }),
      ageColumn,
    ],
    subresources: { status: true },
    strategy: { validateName: dns1123LabelErrors },
  });
}

const workspaceTypeReference = (description: string) => obj(description, {
  name: str('name is the name of the WorkspaceType'),
  path: str('path is an absolute reference to the workspace that owns this type, e.g. root:org:ws.'),
}, { required: ['name'] });

const workspaceTypeSelector = (description: string) => obj(description, {
  none: bool('none means that no type matches.'),
  types: atomicList('types is a list of WorkspaceTypes that match.', workspaceTypeReference('WorkspaceTypeReference is a globally unique, fully qualified reference to a workspace type.')),
});

export function workspaceTypeDef(): ResourceDef {
  return builtinDef({
    group: 'tenancy.kcp.io', version: 'v1alpha1', resource: 'workspacetypes', kind: 'WorkspaceType', namespaced: false, categories: ['kcp'],
    schema: rootSchema('WorkspaceType specifies behaviour of workspaces of this type: which types may be nested in it and in which it may be nested, the default type of its children, and the APIs bound in new workspaces.', {
      spec: partial('WorkspaceTypeSpec holds the desired state of the WorkspaceType.', {
        initializer: bool('initializer determines if this WorkspaceType has an associated initializing controller.'),
        terminator: bool('terminator determines if this WorkspaceType has an associated terminating controller.'),
        extend: obj('extend is a list of other WorkspaceTypes whose initializers and limitAllowedChildren and limitAllowedParents this WorkspaceType is inheriting.', {
          with: atomicList('with are WorkspaceTypes whose initializers are added to the list for the owning type, and for whom the owning type becomes an alias, as long as all of their required types are not mentioned in without.', workspaceTypeReference('WorkspaceTypeReference is a reference to a workspace type.')),
        }),
        additionalWorkspaceLabels: { type: 'object', description: 'additionalWorkspaceLabels are a set of labels that will be added to a Workspace on creation.', additionalProperties: { type: 'string' } },
        defaultChildWorkspaceType: workspaceTypeReference('defaultChildWorkspaceType is the WorkspaceType that will be used by default if another, nested Workspace is created in a workspace of this type. When this field is unset, root:universal is used.'),
        limitAllowedChildren: workspaceTypeSelector('limitAllowedChildren specifies constraints for sub-workspaces created in workspaces of this type. These are in addition to child constraints of types this one extends.'),
        limitAllowedParents: workspaceTypeSelector('limitAllowedParents specifies constraints for the parent workspace that workspaces of this type are created in. These are in addition to parent constraints of types this one extends.'),
        defaultAPIBindings: atomicList('defaultAPIBindings are the APIs to bind during initialization of workspaces created from this type.', obj('APIExportReference provides the fields necessary to resolve an APIExport.', {
          path: str('path is the fully-qualified path to the workspace containing the APIExport. If it is empty, the current workspace is assumed.'),
          export: str('export is the name of the APIExport.'),
        }, { required: ['export'] })),
        defaultAPIBindingLifecycle: str('defaultAPIBindingLifecycle specifies how default API bindings are maintained: InitializeOnly or Maintain.'),
        authenticationConfigurations: opaque('authenticationConfigurations are additional authentication options for workspaces of this type.'),
        initializerPermissions: opaque('initializerPermissions are policy rules granted to the initializer of this type.'),
        terminatorPermissions: opaque('terminatorPermissions are policy rules granted to the terminator of this type.'),
      }),
      status: partial('WorkspaceTypeStatus defines the observed state of WorkspaceType.', {
        conditions: conditionsSchema('conditions is a list of conditions that apply to the APIExport.'),
        virtualWorkspaces: atomicList('virtualWorkspaces contains all virtual workspace URLs.', obj('VirtualWorkspace is a URL of a virtual workspace of the type.', {
          url: str('url is a virtual workspace URL.'),
          type: str('type is the kind of virtual workspace (Initializing, Terminating).'),
        }, { required: ['url'] })),
      }),
    }),
    printerColumns: [ageColumn],
    subresources: { status: true },
  });
}

/** core.kcp.io/v1alpha1 LogicalCluster: the one object named `cluster` in every workspace, describing it. */
export function logicalClusterDef(): ResourceDef {
  return builtinDef({
    group: 'core.kcp.io', version: 'v1alpha1', resource: 'logicalclusters', kind: 'LogicalCluster', namespaced: false, categories: ['kcp'],
    schema: rootSchema('LogicalCluster describes the current logical cluster. It is created by the system when a workspace is created, is named `cluster`, and is deleted with its workspace.', {
      spec: partial('LogicalClusterSpec is the specification of the LogicalCluster resource.', {
        directlyDeletable: bool('DirectlyDeletable indicates that this logical cluster can be directly deleted by the user from within by deleting the LogicalCluster object.'),
        owner: partial('owner is a reference to a resource controlling the life-cycle of this logical cluster.', {
          apiVersion: str('apiVersion is the group and API version of the owner.'),
          resource: str('resource is API resource to access the owner.'),
          name: str('name is the name of the owner.'),
          namespace: str('namespace is the optional namespace of the owner.'),
          cluster: str('cluster is the logical cluster in which the owner is located.'),
          uid: str('UID is the UID of the owner.'),
        }),
        initializers: stringList('initializers are set on creation by the system and must be cleared by a controller before the workspace can be used.'),
        terminators: stringList('terminators are set on creation by the system and must be cleared by a controller before the workspace can be deleted.'),
      }),
      status: partial('LogicalClusterStatus communicates the observed state of the Workspace.', {
        URL: str('url is the address under which the Kubernetes-cluster-like endpoint can be found.'),
        phase: enumStr('Phase of the logical cluster (Initializing, Ready, Unavailable).', ['Initializing', 'Ready', 'Scheduling', 'Terminating', 'Unavailable']),
        conditions: conditionsSchema('Current processing state of the LogicalCluster.'),
        initializers: stringList('initializers are set on creation by the system and must be cleared by a controller before the workspace can be used.'),
        terminators: stringList('terminators are set on creation by the system and must be cleared by a controller before the workspace can be deleted.'),
      }),
    }),
    printerColumns: [
      col('Phase', 'string', '.status.phase', { description: 'The current phase (e.g. Scheduling, Initializing, Ready, Deleting)' }),
      col('URL', 'string', '.status.URL', { description: 'URL to access the logical cluster' }),
      ageColumn,
    ],
    subresources: { status: true },
    strategy: { validateName: (n) => (n === 'cluster' ? [] : ['the name of a LogicalCluster must be "cluster"']) },
  });
}

/**
 * kcp's APIResourceVersion: a CRD version whose `schema` IS the OpenAPI v3 schema (a RawExtension in
 * kcp), not CRD's `{openAPIV3Schema: …}` wrapper, so kcp's own APIResourceSchema files apply as they are.
 */
const apiResourceVersionSchema: JSONSchemaProps = {
  ...crdVersionSchema,
  description: 'APIResourceVersion describes one API version of a resource.',
  properties: {
    ...crdVersionSchema.properties,
    schema: { ...opaque('schema describes the structural schema used for validation, pruning, and defaulting of this version of the custom resource.'), 'x-kubernetes-map-type': 'atomic' },
  },
  required: ['name', 'served', 'storage', 'schema'],
};

export function apiResourceSchemaDef(): ResourceDef {
  return builtinDef({
    group: 'apis.kcp.io', version: 'v1alpha1', resource: 'apiresourceschemas', kind: 'APIResourceSchema', namespaced: false,
    categories: ['kcp'],
    schema: rootSchema('APIResourceSchema describes a resource, identified by (group, version, resource, schema). It is immutable; a new schema gets a new name (`<prefix>.<plural>.<group>`).', {
      spec: obj('Spec holds the desired state.', {
        group: str('group is the API group of the defined custom resource. Empty string means the core API group.'),
        names: crdNamesSchema('names specify the resource and kind names for the custom resource.'),
        scope: enumStr('scope indicates whether the defined custom resource is cluster- or namespace-scoped.', ['Cluster', 'Namespaced']),
        versions: list('versions is the API version of the defined custom resource.', apiResourceVersionSchema, { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }),
        nameValidation: enumStr('nameValidation can be used to configure name validation for bound APIs. Defaults to DNS1123Subdomain, matching the behaviour of CRDs.', ['DNS1123Subdomain', 'PathSegmentName']),
        conversion: partial('conversion defines conversion settings for the defined custom resource.', {
          strategy: enumStr('strategy specifies how custom resources are converted between versions.', ['None', 'Webhook']),
          webhook: opaque('webhook describes how to call the conversion webhook. Required when `strategy` is set to `"Webhook"`.'),
        }),
      }, { required: ['group', 'names', 'scope', 'versions'] }),
    }, { required: ['spec'] }),
    printerColumns: [ageColumn],
  });
}

const permissionClaim = partial('PermissionClaim identifies an object by GR and identity hash. Its purpose is to determine the added permissions that a service provider may request and that a consumer may accept and allow the service provider access to.', {
  group: str('group is the name of an API group. For core groups this is the empty string.'),
  resource: str('resource is the name of the resource. Note: it is worth noting that you can not ask for permissions for resource provided by a CRD not provided by an api export.'),
  all: bool('all claims all resources for the given group/resource. This is mutually exclusive with resourceSelector.'),
  resourceSelector: atomicList('resourceSelector is a list of claimed resource selectors.', obj('ResourceSelector identifies the objects to be included within a PermissionClaim either by name or namespace.', {
    name: str('name of an object within a claimed group/resource.'),
    namespace: str('namespace containing the named object.'),
  })),
  identityHash: str('This is the identity for a given APIExport that the APIResourceSchema belongs to.'),
}, { required: ['resource'] });

const exportReference = obj('ExportBindingReference is a reference to an APIExport by cluster and name.', {
  path: str('path is a logical cluster path where the APIExport is defined. If the path is unset, the logical cluster of the APIBinding is used.'),
  name: str('name is the name of the APIExport that describes the API.'),
}, { required: ['name'] });

export function apiExportDef(): ResourceDef {
  return builtinDef({
    group: 'apis.kcp.io', version: 'v1alpha1', resource: 'apiexports', kind: 'APIExport', namespaced: false, categories: ['kcp'],
    schema: rootSchema('APIExport registers an API and implementation to allow consumption by others through APIBindings.', {
      spec: partial('Spec holds the desired state.', {
        latestResourceSchemas: list('latestResourceSchemas records the latest APIResourceSchemas that are exposed with this APIExport.', { type: 'string' }, { 'x-kubernetes-list-type': 'set' }),
        identity: obj('identity points to a secret that contains the API identity in the \'key\' file.', {
          secretRef: obj('secretRef is a reference to a secret that contains the API identity in the \'key\' file.', {
            name: str('name is unique within a namespace to reference a secret resource.'),
            namespace: str('namespace defines the space within which the secret name must be unique.'),
          }, { 'x-kubernetes-map-type': 'atomic' }),
        }),
        maximalPermissionPolicy: obj('maximalPermissionPolicy will allow for a service provider to set an upper bound on what is allowed for a consumer of this API.', {
          local: opaque('local is the policy that is defined in same workspace as the API Export.'),
        }),
        permissionClaims: atomicList('permissionClaims make resources available in APIExport\'s virtual workspace that are not part of the actual APIExport resources.', permissionClaim),
      }),
      status: partial('Status communicates the observed state.', {
        identityHash: str('identityHash is the hash of the API identity that this APIExport represents.'),
        conditions: conditionsSchema('conditions is a list of conditions that apply to the APIExport.'),
        virtualWorkspaces: atomicList('virtualWorkspaces contains all APIExport virtual workspace URLs.', obj('VirtualWorkspace is a URL of an APIExport virtual workspace.', {
          url: str('url is an APIExport virtual workspace URL.'),
        }, { required: ['url'] })),
      }),
    }),
    printerColumns: [ageColumn],
    subresources: { status: true },
  });
}

type Binding = { status?: { phase?: string; conditions?: Array<{ type?: string; status?: string }> } };

export function apiBindingDef(): ResourceDef {
  return builtinDef({
    group: 'apis.kcp.io', version: 'v1alpha1', resource: 'apibindings', kind: 'APIBinding', namespaced: false, categories: ['kcp'],
    schema: rootSchema('APIBinding enables a set of resources and their behaviour through an external service provider in this workspace.', {
      spec: partial('Spec holds the desired state.', {
        reference: obj('reference uniquely identifies an API to bind to.', { export: exportReference }, { required: ['export'] }),
        permissionClaims: atomicList('permissionClaims records decisions about permission claims requested by the API service provider.', partial('AcceptablePermissionClaim is a PermissionClaim that records if the user accepts or rejects it.', {
          ...permissionClaim.properties,
          state: enumStr('state indicates if the claim is accepted or rejected.', ['Accepted', 'Rejected']),
        }, { required: ['resource', 'state'] })),
      }, { required: ['reference'] }),
      status: partial('Status communicates the observed state.', {
        apiExportClusterName: str('APIExportClusterName records the name (not path) of the logical cluster that contains the APIExport.'),
        boundResources: atomicList('boundResources records the state of bound APIs.', partial('BoundAPIResource describes a bound GroupVersionResource through an APIResourceSchema of an APIExport.', {
          group: str('group is the group of the bound API. Empty string for the core API group.'),
          resource: str('resource is the resource of the bound API.'),
          schema: obj('Schema references the APIResourceSchema that is bound to this API.', {
            name: str('name is the bound APIResourceSchema name.'),
            UID: str('UID is the UID of the APIResourceSchema that is bound to this API.'),
            identityHash: str('identityHash is the hash of the API identity that this schema is bound to.'),
          }, { required: ['name', 'UID', 'identityHash'] }),
          storageVersions: stringList('storageVersions lists all versions of a resource that were ever persisted.'),
        }, { required: ['resource', 'schema'] })),
        phase: enumStr('phase is the current phase of the APIBinding.', ['Binding', 'Bound']),
        conditions: conditionsSchema('conditions is a list of conditions that apply to the APIBinding.'),
        appliedPermissionClaims: atomicList('appliedPermissionClaims is a list of the permission claims the system has seen and applied.', permissionClaim),
        exportPermissionClaims: atomicList('exportPermissionClaims records the permissions that the export provider is asking for the binding to grant.', permissionClaim),
      }),
    }, { required: ['spec'] }),
    printerColumns: [
      ageColumn,
      computed('Ready', 'string', (o) => (o as Binding).status?.conditions?.find((c) => c.type === 'Ready')?.status ?? ((o as Binding).status?.phase === 'Bound' ? 'True' : '')),
    ],
    subresources: { status: true },
  });
}

// ---- apis.kcp.io/v1alpha2: kcp's current shapes, stored as v1alpha1 (tenancy/apis/v1alpha2-conversion.ts)

const permissionClaimV2 = partial('PermissionClaim identifies an object by GR and identity hash, and the verbs the provider asks for.', {
  group: str('group is the name of an API group. For core groups this is the empty string.'),
  resource: str('resource is the name of the resource.'),
  identityHash: str('This is the identity for a given APIExport that the APIResourceSchema belongs to.'),
  verbs: stringList('verbs is a list of supported API operation types (this includes but is not limited to get, list, watch, create, update, patch, delete, deletecollection, and proxy).'),
}, { required: ['resource', 'verbs'] });

const claimSelector = partial('selector is a resource selector that selects objects of a GVR.', {
  matchAll: bool('matchAll matches all objects of the claimed resource.'),
  matchLabels: opaque('matchLabels selects objects by their labels.'),
  matchExpressions: opaque('matchExpressions selects objects by label expressions.'),
});

/** The storage key v1alpha2 objects are reached by; the wrapper maps it onto v1alpha1's. */
export const V1ALPHA2_STORAGE = { apiexports: 'apis.kcp.io/apiexports@v1alpha2', apibindings: 'apis.kcp.io/apibindings@v1alpha2' } as const;

export function apiExportV1alpha2Def(): ResourceDef {
  const v1 = apiExportDef();
  const status = v1.schema!.properties!.status!;
  return {
    ...builtinDef({
      group: 'apis.kcp.io', version: 'v1alpha2', resource: 'apiexports', kind: 'APIExport', namespaced: false, categories: ['kcp'],
      schema: rootSchema('APIExport registers an API and implementation to allow consumption by others through APIBindings.', {
        spec: partial('Spec holds the desired state.', {
          resources: list('Resources are the resources to be exported.', partial('ResourceSchema defines the resource to be exported.', {
            name: str('Name is the name of the resource.'),
            group: str('Group is the API group of the resource. Empty string represents the core group.'),
            schema: str('Schema is the name of the APIResourceSchema that defines the resource.'),
            storage: partial('Storage defines how the resource is stored.', {
              crd: partial('CRD storage defines that this APIResourceSchema is exposed as CustomResourceDefinitions inside the workspaces that bind to the APIExport.', {}),
              virtual: opaque('Virtual storage defines that this APIResourceSchema is exposed as a projection of the referenced resource (not served here).'),
            }),
          }, { required: ['name', 'schema', 'storage'] }), { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['group', 'name'] }),
          identity: v1.schema!.properties!.spec!.properties!.identity!,
          maximalPermissionPolicy: v1.schema!.properties!.spec!.properties!.maximalPermissionPolicy!,
          permissionClaims: atomicList('permissionClaims make resources available in APIExport\'s virtual workspace that are not part of the actual APIExport resources.', permissionClaimV2),
        }),
        status,
      }),
      printerColumns: [ageColumn],
      subresources: { status: true },
    }),
    storedAs: V1ALPHA2_STORAGE.apiexports,
  };
}

export function apiBindingV1alpha2Def(): ResourceDef {
  const v1 = apiBindingDef();
  const v1status = v1.schema!.properties!.status!;
  return {
    ...builtinDef({
      group: 'apis.kcp.io', version: 'v1alpha2', resource: 'apibindings', kind: 'APIBinding', namespaced: false, categories: ['kcp'],
      schema: rootSchema('APIBinding enables a set of resources and their behaviour through an external service provider in this workspace.', {
        spec: partial('Spec holds the desired state.', {
          reference: v1.schema!.properties!.spec!.properties!.reference!,
          permissionClaims: atomicList('permissionClaims records decisions about permission claims requested by the API service provider.', partial('AcceptablePermissionClaim is a PermissionClaim that records if the user accepts or rejects it.', {
            ...permissionClaimV2.properties,
            selector: claimSelector,
            state: enumStr('state indicates if the claim is accepted or rejected.', ['Accepted', 'Rejected']),
          }, { required: ['resource', 'verbs', 'state'] })),
        }, { required: ['reference'] }),
        status: {
          ...v1status,
          properties: {
            ...v1status.properties,
            appliedPermissionClaims: atomicList('appliedPermissionClaims is a list of the permission claims the system has seen and applied.', partial('ScopedPermissionClaim is a permission claim with its selector.', { ...permissionClaimV2.properties, selector: claimSelector })),
            exportPermissionClaims: atomicList('exportPermissionClaims records the permissions that the export provider is asking for the binding to grant.', permissionClaimV2),
          },
        },
      }, { required: ['spec'] }),
      printerColumns: v1.printerColumns,
      subresources: { status: true },
    }),
    storedAs: V1ALPHA2_STORAGE.apibindings,
  };
}

export function apiExportEndpointSliceDef(): ResourceDef {
  return builtinDef({
    group: 'apis.kcp.io', version: 'v1alpha1', resource: 'apiexportendpointslices', kind: 'APIExportEndpointSlice', namespaced: false, categories: ['kcp'],
    schema: rootSchema('APIExportEndpointSlice is a sink for the endpoints of an APIExport: the URLs of its virtual workspace, through which a provider\'s controllers reach the bound workspaces.', {
      spec: partial('Spec holds the desired state.', {
        export: exportReference,
        partition: str('partition (optional) points to a partition that is used for filtering the endpoints of the APIExport part of the slice.'),
      }, { required: ['export'] }),
      status: partial('Status communicates the observed state.', {
        conditions: conditionsSchema('conditions is a list of conditions that apply to the APIExportEndpointSlice.'),
        endpoints: atomicList('endpoints contains all the URLs of the APIExport service.', obj('APIExportEndpoint contains the endpoint information of an APIExport service for a specific shard.', {
          url: str('url is an APIExport virtual workspace URL.'),
        }, { required: ['url'] })),
        shardSelector: str('shardSelector is the selector used to filter the shards.'),
      }),
    }, { required: ['spec'] }),
    printerColumns: [
      col('Export', 'string', '.spec.export.name'),
      col('Partition', 'string', '.spec.partition'),
      ageColumn,
    ],
    subresources: { status: true },
  });
}
