/**
 * The simulated cluster through the real kubectl: it must look like any Kubernetes cluster.
 */
import { execFile } from 'node:child_process';
import t from 'tap';
import { kubectlOK } from '../helpers/tmc.js';

import { deployment, DEPLOYMENTS, startSimCluster } from './helpers.js';
import { waitFor } from '../helpers/wait.js';

const available = await new Promise<boolean>((res) => execFile('kubectl', ['version', '--client'], (err) => res(!err)));

t.test('kubectl against the simulated cluster', { skip: available ? false : 'kubectl is not on PATH' }, async (t) => {
  const c = await startSimCluster(t, { nodes: 2, nodeCpu: '4', readyDelayMs: 100 });
  const kc = c.srv.kubeconfigPath;

  const nodes = await kubectlOK(kc, ['get', 'nodes']);
  t.match(nodes, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
  t.match(nodes, /node-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.0-tmc/);
  t.match(nodes, /node-2\s+Ready/);
  const cpu = await kubectlOK(kc, ['get', 'node', 'node-1', '-o', 'jsonpath={.status.allocatable.cpu}']);
  t.equal(cpu, '4');

  t.equal((await c.send('POST', DEPLOYMENTS, deployment('web', 3))).status, 201);
  await waitFor('kubectl shows web 3/3', async () => /web\s+3\/3\s+3\s+3/.test(await kubectlOK(kc, ['get', 'deployments'])));
  const table = await kubectlOK(kc, ['get', 'deployments']);
  t.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);

  // kubectl create sends a protobuf body
  await kubectlOK(kc, ['create', 'deployment', 'x', '--image=nginx', '--replicas=2']);
  const rollout = await kubectlOK(kc, ['rollout', 'status', 'deployment/x', '--timeout=30s']);
  t.match(rollout, /successfully rolled out/);
  t.match(await kubectlOK(kc, ['get', 'deployment', 'x']), /x\s+2\/2\s+2\s+2/);
  await kubectlOK(kc, ['wait', '--for=condition=Available', 'deployment/x', '--timeout=30s']);

  // (kubectl scale needs the /scale subresource, which the wire layer does not serve yet)
  await kubectlOK(kc, ['patch', 'deployment', 'x', '-p', '{"spec":{"replicas":1}}']);
  await waitFor('x scaled to 1/1', async () => /x\s+1\/1/.test(await kubectlOK(kc, ['get', 'deployment', 'x'])));

  await kubectlOK(kc, ['create', 'job', 'once', '--image=busybox']);
  await kubectlOK(kc, ['wait', '--for=condition=Complete', 'job/once', '--timeout=30s']);
  t.match(await kubectlOK(kc, ['get', 'job', 'once']), /once\s+Complete\s+1\/1/);

  await kubectlOK(kc, ['expose', 'deployment', 'web', '--port=80', '--type=LoadBalancer']);
  await waitFor('svc web gets an external IP', async () => /web\s+LoadBalancer\s+10\.\S+\s+172\.18\.255\.\d+\s+80/.test(await kubectlOK(kc, ['get', 'svc', 'web'])));
});
