/**
 * Built-in defaults as kube's SetDefaults_* write them, seen through kubectl 1.32: rollout status
 * of StatefulSets and DaemonSets, Job selector and modes, a Service's ports, IP families and
 * status, pod template defaults, and the `default` ServiceAccount of every namespace.
 */
import t from 'tap';

import { appsWorkload } from '../helpers/manifests.js';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const WORKLOADS = `
${appsWorkload('StatefulSet', 'db', { spec: ['serviceName: db'], containers: '[{name: db, image: "postgres:16", ports: [{containerPort: 5432}]}]' })}---
${appsWorkload('DaemonSet', 'agent', { containers: '[{name: a, image: busybox, readinessProbe: {httpGet: {port: 8080}}}]' })}---
apiVersion: batch/v1
kind: Job
metadata: {name: pi, namespace: default}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: "perl:5.34"}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
`;

t.test('built-in defaults', async (t) => {
  const srv = await startServer(t, { mode: 'cluster', readyDelayMs: 50 });
  const kc = srv.kubeconfigPath;
  const get = async (...args: string[]) => JSON.parse(await kubectlOK(kc, ['get', ...args, '-o', 'json']));
  await kubectlOK(kc, ['apply', '-f', '-'], { input: WORKLOADS });

  await t.test('rollout status works for StatefulSets and DaemonSets', async (t) => {
    t.match(await kubectlOK(kc, ['rollout', 'status', 'sts/db', '--timeout=30s']), /roll out complete/);
    t.match(await kubectlOK(kc, ['rollout', 'status', 'ds/agent', '--timeout=30s']), /successfully rolled out/);
    const sts = await get('sts', 'db');
    t.same(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    t.same(sts.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    const ds = await get('ds', 'agent');
    t.same(ds.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    const c = ds.spec.template.spec.containers[0];
    t.equal(c.imagePullPolicy, 'Always', 'untagged image');
    t.same(c.readinessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  });

  await t.test('pod templates read like real kube', async (t) => {
    const pod = (await get('sts', 'db')).spec.template.spec;
    t.match(pod, { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, securityContext: {}, schedulerName: 'default-scheduler' });
    t.match(pod.containers[0], {
      imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {},
      ports: [{ containerPort: 5432, protocol: 'TCP' }],
    });
  });

  await t.test('Job selector, completion mode, suspend', async (t) => {
    const job = await get('job', 'pi');
    const uid = job.metadata.uid;
    t.same(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    t.match(job.spec.template.metadata.labels, { 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi', 'controller-uid': uid });
    t.match(job.spec, { completionMode: 'NonIndexed', suspend: false, backoffLimit: 6, completions: 1, parallelism: 1 });
  });

  await t.test('Service ports, IP families, traffic policy and status', async (t) => {
    const svc = await get('svc', 'web');
    t.same(svc.spec.ports, [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }]);
    t.match(svc.spec, { ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', type: 'ClusterIP' });
    t.same(svc.status, { loadBalancer: {} });
    // a client-side re-apply keeps what the server filled in
    await kubectlOK(kc, ['apply', '-f', '-'], { input: WORKLOADS });
    t.same((await get('svc', 'web')).spec.ipFamilies, ['IPv4']);
  });

  await t.test('every namespace gets its default ServiceAccount', async (t) => {
    await kubectlOK(kc, ['create', 'namespace', 'team-b']);
    await waitFor('default SA in team-b', async () => (await kubectl(kc, ['-n', 'team-b', 'get', 'serviceaccount', 'default'])).code === 0, { timeoutMs: 10_000 });
    t.equal((await kubectl(kc, ['-n', 'default', 'get', 'serviceaccount', 'default'])).code, 0);
  });
});
