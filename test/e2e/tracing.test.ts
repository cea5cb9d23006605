/**
 * Tracing end to end: an OTLP/HTTP receiver in this test collects what tmc-server (in-process,
 * `tracingEndpoint`) and a physical cluster (`tmc-server --mode cluster --tracing-endpoint`)
 * export. One Deployment create must be one connected trace: the API request, its admission
 * plugins, the placement decision it caused, the syncer's apply and the physical cluster's own
 * request span, each a descendant of the create.
 */
import t from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { kubectl, kubectlOK, spawnServer, startServer } from '../helpers/tmc.js';
import { BINDINGS, deployment, registration } from '../helpers/topology.js';
import { waitFor } from '../helpers/wait.js';

interface ExportedSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; service: string }

const kubectlMissing = await kubectl('/dev/null', ['version', '--client']).then((r) => r.code !== 0);

t.test('a Deployment create is one trace: request → decision → downstream write', { skip: kubectlMissing && 'kubectl not found' }, async (t) => {
  const spans: ExportedSpan[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      for (const rs of JSON.parse(body).resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue ?? '';
        for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) {
          spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, service });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  t.teardown(() => { receiver.closeAllConnections(); receiver.close(); });
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
  process.env.OTEL_BSP_SCHEDULE_DELAY = '100';

  const server = await startServer(t, { tracingEndpoint: endpoint });
  const cluster = await spawnServer(t, ['--mode', 'cluster', '--nodes', '1', '--tracing-endpoint', endpoint]);
  const ws = `${server.url}/clusters/root:traced`;
  const k = (args: string[], input?: string) => kubectlOK(server.kubeconfigPath, args, { input, server: ws });
  await kubectlOK(server.kubeconfigPath, ['create', '-f', '-'], { input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: traced}\n' });
  await waitFor('workspace ready', async () => (await kubectl(server.kubeconfigPath, ['get', 'namespaces'], { server: ws })).code === 0, { timeoutMs: 15_000 });
  await k(['apply', '-f', '-'], BINDINGS);
  await waitFor('APIs bound', async () => (await kubectl(server.kubeconfigPath, ['get', 'clusterregistrations,deployments'], { server: ws })).code === 0, { timeoutMs: 15_000 });
  await k(['create', 'secret', 'generic', 'east-creds', `--from-file=kubeconfig=${cluster.kubeconfigPath}`]);
  await k(['apply', '-f', '-'], registration('east', cluster.url));
  await k(['wait', '--for=condition=Ready', 'clusterregistration/east', '--timeout=60s']);
  await k(['apply', '-f', '-'], `apiVersion: tmc.kcp.io/v1alpha1
kind: WorkloadPlacement
metadata: {name: web, namespace: default}
spec: {workloadSelector: {workloadTypes: [{group: apps, kind: Deployment}], names: [web]}}
`);
  await k(['create', '-f', '-'], deployment('web'));

  const byId = () => new Map(spans.map((s) => [s.spanId, s]));
  const ancestors = (s: ExportedSpan) => {
    const ids = byId();
    const chain: ExportedSpan[] = [];
    for (let p = s.parentSpanId && ids.get(s.parentSpanId); p; p = p.parentSpanId ? ids.get(p.parentSpanId) : undefined) chain.push(p);
    return chain;
  };
  const root = () => spans.find((s) => s.name === 'create deployments' && s.service === 'tmc-server' && !s.parentSpanId);
  // the physical cluster's request that wrote the copy, reaching back to the create
  const downstreamWrite = () => spans.find((s) => s.service === 'tmc-cluster' && /^patch deployments/.test(s.name)
    && ancestors(s).some((a) => a === root()));
  await waitFor('the cluster\'s apply span in the create\'s trace', () => downstreamWrite() !== undefined, { timeoutMs: 60_000 }).catch((e) => {
    const interesting = spans.filter((s) => s.traceId === root()?.traceId || /placement|sync|deployments/.test(s.name));
    t.comment(interesting.map((s) => `${s.service} ${s.name} ${s.traceId.slice(0, 6)} ${s.spanId.slice(0, 6)} <- ${s.parentSpanId?.slice(0, 6)}`).join('\n'));
    throw e;
  });
  const chain = [downstreamWrite()!, ...ancestors(downstreamWrite()!)].reverse().map((s) => `${s.service}: ${s.name}`);
  t.comment(chain.join('\n  → '));
  const names = chain.join('\n');
  t.match(names, /^tmc-server: create deployments/, 'rooted at the API request');
  t.match(names, /tmc-server: placement decision/, 'through the placement decision');
  t.match(names, /tmc-server: sync Deployment/, 'the syncer');
  t.match(names, /tmc-server: sync downstream apply/, 'its downstream apply');
  t.match(names, /tmc-cluster: patch deployments$/, 'and the physical cluster\'s request');
  const trace = root()!.traceId;
  t.ok(spans.some((s) => s.traceId === trace && s.name === 'admission mutate TraceContext'), 'admission plugins have spans in the request');
});
