/**
 * kube's SetDefaults_* for the built-in workload types (k8s.io/kubernetes pkg/apis/{apps,batch,
 * core}/v1/defaults.go): the defaults a schema `default:` cannot express because they depend on
 * other fields (an update strategy's rolling parameters only for RollingUpdate, imagePullPolicy
 * from the image tag, a Service port's targetPort from its port). They run on every write, after
 * the schema defaults, so `kubectl get -o yaml` reads like real kube and `kubectl rollout status`
 * finds the fields it waits on.
 */
import type { KubeObject } from '../../storage/types.js';

type Obj = Record<string, any>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `o[k]` as an object, created when absent (a non-object value is left alone and undefined returned). */
function sub(o: Obj, k: string): Obj | undefined {
  if (o[k] === undefined || o[k] === null) o[k] = {};
  return isObj(o[k]) ? o[k] : undefined;
}

function setDefault(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

/** SetDefaults_Probe, for liveness/readiness/startup probes. */
function defaultProbe(p: unknown): void {
  if (!isObj(p)) return;
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  if (isObj(p.httpGet)) {
    setDefault(p.httpGet, 'path', '/');
    setDefault(p.httpGet, 'scheme', 'HTTP');
  }
  if (isObj(p.grpc)) setDefault(p.grpc, 'service', '');
}

/** Always for `:latest` or an untagged image, IfNotPresent otherwise (digests count as tagged). */
function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  const tag = colon >= 0 ? last.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_Container plus the defaults of what it holds (ports, env, probes). */
function defaultContainer(c: unknown): void {
  if (!isObj(c)) return;
  if (typeof c.image === 'string' && c.image) setDefault(c, 'imagePullPolicy', pullPolicyFor(c.image));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObj(p)) setDefault(p, 'protocol', 'TCP');
  if (Array.isArray(c.env)) {
    for (const e of c.env) {
      const fr = isObj(e) && isObj(e.valueFrom) ? e.valueFrom.fieldRef : undefined;
      if (isObj(fr)) setDefault(fr, 'apiVersion', 'v1');
    }
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

/** SetDefaults_Volume and its sources' modes (0644 for secrets, configMaps, projections). */
function defaultVolume(v: unknown): void {
  if (!isObj(v)) return;
  const sources = ['hostPath', 'emptyDir', 'secret', 'configMap', 'persistentVolumeClaim', 'projected', 'downwardAPI', 'nfs', 'csi', 'ephemeral'];
  if (!sources.some((s) => v[s] !== undefined)) v.emptyDir = {};
  if (isObj(v.secret)) setDefault(v.secret, 'defaultMode', 420);
  if (isObj(v.configMap)) setDefault(v.configMap, 'defaultMode', 420);
  if (isObj(v.projected)) setDefault(v.projected, 'defaultMode', 420);
  if (isObj(v.downwardAPI)) setDefault(v.downwardAPI, 'defaultMode', 420);
  if (isObj(v.hostPath)) setDefault(v.hostPath, 'type', '');
}

/** SetDefaults_PodSpec and everything below it. */
export function defaultPodSpec(spec: unknown): void {
  if (!isObj(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    if (Array.isArray(spec[list])) for (const c of spec[list]) defaultContainer(c);
  }
  if (Array.isArray(spec.volumes)) for (const v of spec.volumes) defaultVolume(v);
}

function defaultPodTemplate(spec: Obj): void {
  const template = isObj(spec.template) ? spec.template : undefined;
  if (template) defaultPodSpec(template.spec);
}

/** SetDefaults_Deployment (replicas, revisionHistoryLimit, progressDeadlineSeconds come from the schema). */
export function defaultDeployment(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return;
  const strategy = sub(spec, 'strategy');
  if (strategy) {
    setDefault(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const ru = sub(strategy, 'rollingUpdate');
      if (ru) { setDefault(ru, 'maxUnavailable', '25%'); setDefault(ru, 'maxSurge', '25%'); }
    }
  }
  defaultPodTemplate(spec);
}

/** A volumeClaimTemplate as kube stores it: typed, Pending, Filesystem. */
function defaultClaimTemplate(pvc: unknown): void {
  if (!isObj(pvc)) return;
  setDefault(pvc, 'apiVersion', 'v1');
  setDefault(pvc, 'kind', 'PersistentVolumeClaim');
  const spec = sub(pvc, 'spec');
  if (spec) setDefault(spec, 'volumeMode', 'Filesystem');
  const status = sub(pvc, 'status');
  if (status) setDefault(status, 'phase', 'Pending');
}

/** SetDefaults_StatefulSet: updateStrategy RollingUpdate with partition 0, retention policy Retain. */
export function defaultStatefulSet(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return;
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const us = sub(spec, 'updateStrategy');
  if (us) {
    setDefault(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') {
      const ru = sub(us, 'rollingUpdate');
      if (ru) setDefault(ru, 'partition', 0);
    }
  }
  const retention = sub(spec, 'persistentVolumeClaimRetentionPolicy');
  if (retention) { setDefault(retention, 'whenDeleted', 'Retain'); setDefault(retention, 'whenScaled', 'Retain'); }
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  if (Array.isArray(spec.volumeClaimTemplates)) for (const t of spec.volumeClaimTemplates) defaultClaimTemplate(t);
  defaultPodTemplate(spec);
}

/** SetDefaults_DaemonSet: updateStrategy RollingUpdate, maxUnavailable 1, maxSurge 0. */
export function defaultDaemonSet(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return;
  const us = sub(spec, 'updateStrategy');
  if (us) {
    setDefault(us, 'type', 'RollingUpdate');
    if (us.type === 'RollingUpdate') {
      const ru = sub(us, 'rollingUpdate');
      if (ru) { setDefault(ru, 'maxUnavailable', 1); setDefault(ru, 'maxSurge', 0); }
    }
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(spec);
}

/** SetDefaults_Job (batch/v1). */
export function defaultJob(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return;
  if (spec.completions == null && spec.parallelism == null) { spec.completions = 1; spec.parallelism = 1; }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex != null ? 2147483647 : 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  if (spec.podFailurePolicy == null) setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  defaultPodTemplate(spec);
}

const JOB_UID_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'];
const JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'];

/**
 * The Job strategy's generateSelector: unless `manualSelector` is true, the pod template gets the
 * job-name and controller-uid labels and the selector selects the controller-uid.
 */
export function generateJobSelector(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec || spec.manualSelector === true || !o.metadata?.uid || !o.metadata.name) return;
  const template = sub(spec, 'template');
  const meta = template && sub(template, 'metadata');
  const labels = meta && sub(meta, 'labels');
  if (!labels) return;
  for (const l of JOB_NAME_LABELS) setDefault(labels, l, o.metadata.name);
  for (const l of JOB_UID_LABELS) setDefault(labels, l, o.metadata.uid);
  const selector = sub(spec, 'selector');
  const matchLabels = selector && sub(selector, 'matchLabels');
  if (matchLabels) setDefault(matchLabels, JOB_UID_LABELS[0], o.metadata.uid);
}

/** SetDefaults_Service and the status kube always returns (`{loadBalancer: {}}`). */
export function defaultService(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (spec) {
    setDefault(spec, 'type', 'ClusterIP');
    setDefault(spec, 'sessionAffinity', 'None');
    if (spec.sessionAffinity === 'ClientIP') {
      const cfg = sub(spec, 'sessionAffinityConfig');
      const cip = cfg && sub(cfg, 'clientIP');
      if (cip) setDefault(cip, 'timeoutSeconds', 10800);
    }
    if (Array.isArray(spec.ports)) {
      for (const p of spec.ports) {
        if (!isObj(p)) continue;
        setDefault(p, 'protocol', 'TCP');
        if (p.targetPort == null || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
      }
    }
    if (spec.type !== 'ExternalName') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  }
  const status = sub(o as Obj, 'status');
  if (status) sub(status, 'loadBalancer');
}

/**
 * What kube's IP allocator records for a service that gets a cluster IP (or is headless with a
 * selector): one IPv4 family, SingleStack.
 */
export function defaultServiceIPFamilies(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec || spec.type === 'ExternalName') return;
  if (spec.clusterIP === 'None' && !isObj(spec.selector)) return;
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  setDefault(spec, 'ipFamilies', ['IPv4']);
}

/** SetDefaults_PersistentVolumeClaim. */
export function defaultPersistentVolumeClaim(o: KubeObject): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (spec) setDefault(spec, 'volumeMode', 'Filesystem');
  const status = sub(o as Obj, 'status');
  if (status) setDefault(status, 'phase', 'Pending');
}
