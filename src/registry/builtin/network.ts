/** core/v1 services and networking.k8s.io/v1 ingresses. */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../../storage/types.js';
import type { ResourceDef } from '../types.js';
import {
  ageColumn, atomicList, builtinDef, col, computed, enumStr, int32, intOrString, mapList, obj, opaque, partial, str, stringList, stringMap, closed,
} from './build.js';
import { conditionsSchema, rootSchema } from './meta.js';
import { mapString, orNone } from './print.js';
import { defaultService, defaultServiceIPFamilies } from './defaults.js';

const loadBalancerStatus = obj('LoadBalancer contains the current status of the load-balancer, if one is present.', {
  ingress: atomicList('Ingress is a list containing ingress points for the load-balancer.', partial('LoadBalancerIngress represents the status of a load-balancer ingress point.', {
    ip: str('IP is set for load-balancer ingress points that are IP based (typically GCE or OpenStack load-balancers)'),
    hostname: str('Hostname is set for load-balancer ingress points that are DNS based (typically AWS load-balancers)'),
  })),
});

const servicePort = closed("ServicePort contains information on service's port.", {
  name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.'),
  protocol: enumStr('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.', ['SCTP', 'TCP', 'UDP'], { default: 'TCP' }),
  appProtocol: str('The application protocol for this port.'),
  port: int32('The port that will be exposed by this service.', { minimum: 1, maximum: 65535 }),
  targetPort: intOrString("Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. Defaults to the value of the 'port' field."),
  nodePort: int32('The port on each node on which this service is exposed when type is NodePort or LoadBalancer.'),
}, [], { required: ['port'] });

type Svc = { spec?: { type?: string; clusterIP?: string; externalIPs?: string[]; externalName?: string; ports?: Array<{ port?: number; nodePort?: number; protocol?: string }> }; status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } };

function externalIP(o: KubeObject): string {
  const s = o as Svc;
  const ext = s.spec?.externalIPs ?? [];
  switch (s.spec?.type ?? 'ClusterIP') {
    case 'ExternalName': return orNone(s.spec?.externalName);
    case 'LoadBalancer': {
      const lb = (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
      const all = [...lb, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    default: return ext.length ? ext.join(',') : '<none>';
  }
}

function portsString(o: KubeObject): string {
  const ports = (o as Svc).spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/**
 * A stable virtual IP from 10.96.0.0/12 for services without one, derived from namespace/name,
 * so `kubectl get svc` shows a CLUSTER-IP as on a real cluster. Headless (`None`) is respected.
 */
export function clusterIPFor(namespace: string, name: string): string {
  const h = createHash('sha256').update(`${namespace}/${name}`).digest();
  const n = (h.readUInt32BE(0) % ((1 << 20) - 2)) + 1;
  return `10.${96 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

export function serviceDef(): ResourceDef {
  return builtinDef({
    group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'],
    schema: rootSchema('Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.', {
      spec: closed('Spec defines the behavior of a service.', {
        type: enumStr('type determines how the Service is exposed. Defaults to ClusterIP.', ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'], { default: 'ClusterIP' }),
        selector: stringMap('Route service traffic to pods with label keys and values matching this selector.', { 'x-kubernetes-map-type': 'atomic' }),
        ports: mapList('The list of ports that are exposed by this service.', servicePort, ['port', 'protocol'], { mergeKey: 'port' }),
        clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly. "None" makes a headless service.'),
        clusterIPs: stringList('ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.'),
        externalIPs: stringList('externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
        externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).'),
        sessionAffinity: enumStr('Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.', ['ClientIP', 'None'], { default: 'None' }),
        loadBalancerIP: str('Only applies to Service Type: LoadBalancer. Deprecated.'),
        externalTrafficPolicy: enumStr('externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses.', ['Cluster', 'Local']),
        internalTrafficPolicy: enumStr('InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.', ['Cluster', 'Local']),
        ipFamilies: stringList('IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.'),
        ipFamilyPolicy: str('IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.'),
      }, ['loadBalancerSourceRanges', 'healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'trafficDistribution']),
      status: obj('Most recently observed status of the service.', {
        loadBalancer: loadBalancerStatus,
        conditions: conditionsSchema('Current service state'),
      }),
    }),
    printerColumns: [
      col('Type', 'string', '.spec.type', { description: 'The type of the service.' }),
      computed('Cluster-IP', 'string', (o) => orNone((o as Svc).spec?.clusterIP), { description: 'The IP address of the service.' }),
      computed('External-IP', 'string', externalIP, { description: 'The external IP address of the service.' }),
      computed('Port(s)', 'string', portsString, { description: 'The ports exposed by the service.' }),
      ageColumn,
      computed('Selector', 'string', (o) => mapString(o.spec?.selector), { priority: 1 }),
    ],
    subresources: { status: true },
    strategy: {
      returnDeletedObject: true,
      defaults: defaultService,
      prepareForCreate(o) {
        const spec = (o.spec ??= {});
        if ((spec.type ?? 'ClusterIP') !== 'ExternalName' && !spec.clusterIP) {
          spec.clusterIP = clusterIPFor(o.metadata.namespace ?? '', o.metadata.name ?? o.metadata.generateName ?? '');
          spec.clusterIPs ??= [spec.clusterIP];
        }
        defaultServiceIPFamilies(o);
      },
      prepareForUpdate(o, old) {
        // allocated once: keep what an update omits (kubectl apply never sends them)
        if (!o.spec) return;
        if (!o.spec.clusterIP && old.spec?.clusterIP) { o.spec.clusterIP = old.spec.clusterIP; o.spec.clusterIPs ??= old.spec.clusterIPs; }
        if (o.spec.ipFamilies === undefined && old.spec?.ipFamilies) o.spec.ipFamilies = old.spec.ipFamilies;
        if (o.spec.ipFamilyPolicy === undefined && old.spec?.ipFamilyPolicy) o.spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
      },
    },
  });
}

const backend = partial('IngressBackend describes all endpoints for a given service and port.', {
  service: obj('service references a service as a backend.', {
    name: str('name is the referenced service. The service must exist in the same namespace as the Ingress object.'),
    port: obj('port of the referenced service. A port name or port number is required for a IngressServiceBackend.', {
      name: str('name is the name of the port on the Service.'),
      number: int32('number is the numerical port number (e.g. 80) on the Service.'),
    }),
  }, { required: ['name'] }),
  resource: opaque('resource is an ObjectRef to another Kubernetes resource in the namespace of the Ingress object.'),
});

type Ing = { spec?: { ingressClassName?: string; tls?: unknown[]; rules?: Array<{ host?: string }> }; status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } };

export function ingressDef(): ResourceDef {
  return builtinDef({
    group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'],
    schema: rootSchema('Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.', {
      spec: partial('spec is the desired state of the Ingress.', {
        ingressClassName: str('ingressClassName is the name of an IngressClass cluster resource.'),
        defaultBackend: backend,
        tls: atomicList('tls represents the TLS configuration.', obj('IngressTLS describes the transport layer security associated with an ingress.', {
          hosts: stringList('hosts is a list of hosts included in the TLS certificate.'),
          secretName: str('secretName is the name of the secret used to terminate TLS traffic on port 443.'),
        })),
        rules: atomicList('rules is a list of host rules used to configure the Ingress.', partial('IngressRule represents the rules mapping the paths under a specified host to the related backend services.', {
          host: str('host is the fully qualified domain name of a network host, as defined by RFC 3986.'),
          http: obj('HTTPIngressRuleValue is a list of http selectors pointing to backends.', {
            paths: atomicList('paths is a collection of paths that map requests to backends.', obj('HTTPIngressPath associates a path with a backend.', {
              path: str('path is matched against the path of an incoming request.'),
              pathType: enumStr('pathType determines the interpretation of the path matching.', ['Exact', 'ImplementationSpecific', 'Prefix']),
              backend,
            }, { required: ['pathType', 'backend'] })),
          }, { required: ['paths'] }),
        })),
      }),
      status: obj('status is the current state of the Ingress.', { loadBalancer: loadBalancerStatus }),
    }),
    printerColumns: [
      computed('Class', 'string', (o) => orNone((o as Ing).spec?.ingressClassName)),
      computed('Hosts', 'string', (o) => { const h = ((o as Ing).spec?.rules ?? []).map((r) => r.host || '*'); return h.length ? h.join(',') : '*'; }),
      computed('Address', 'string', (o) => ((o as Ing).status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).join(',')),
      computed('Ports', 'string', (o) => ((o as Ing).spec?.tls?.length ? '80, 443' : '80')),
      ageColumn,
    ],
    subresources: { status: true },
  });
}
