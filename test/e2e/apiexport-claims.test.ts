/**
 * Permission claims through the APIExport virtual workspace, as kcp serves them (the TMC export,
 * which claims configmaps): a claimed resource is served whether or not anyone accepted it
 * (`clusters/*` lists what accepting workspaces hold, possibly nothing); a bound workspace that did
 * not accept refuses it with 403, as kcp's bound-API authorizer does; objects that existed before
 * their workspace bound or accepted appear on open watches (ADDED) when it does, and go (DELETED)
 * when the claim is rejected or the binding deleted; a claim accepted without the identity the
 * export states is invalid (PermissionClaimsValid=False).
 */
import t from 'tap';
import * as k8s from '@kubernetes/client-node';
import { request, type Creds } from '../helpers/http.js';
import { waitFor } from '../helpers/wait.js';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';

interface Ev { type: string; name: string; path: string }

const binding = (claims: string[]) => `apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: tmc}
spec:
  reference: {export: {path: "root:tmc", name: tmc.kcp.io}}
  permissionClaims:
${claims.map((c) => `  - ${c}`).join('\n') || '  []'}
`;
const CONFIGMAPS = (state: string) => `{group: "", resource: configmaps, all: true, state: ${state}}`;

t.test('claims through the APIExport virtual workspace', async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  const creds: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const vw = '/services/apiexport/root:tmc/tmc.kcp.io';
  for (const ws of ['a', 'b']) {
    await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${ws}}\n` });
    await waitFor(`workspace ${ws}`, async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at(`root:${ws}`) })).code === 0);
    // before any binding: only a write that binds or accepts can make these visible
    await kubectlOK(kc, ['-n', 'default', 'create', 'configmap', `early-${ws}`], { server: at(`root:${ws}`) });
  }
  const bName = (await request(srv.url, creds, 'GET', '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/b')).json.spec.cluster as string;

  const listed = async (cluster = '*') => {
    const r = await request(srv.url, creds, 'GET', `${vw}/clusters/${cluster}/api/v1/configmaps`);
    return { status: r.status, names: (r.json?.items ?? []).map((i: any) => i.metadata.name).filter((n: string) => n.startsWith('early-')).sort(), json: r.json };
  };

  await t.test('a claim nobody accepted: clusters/* serves it and lists nothing', async (t) => {
    const r = await listed();
    t.equal(r.status, 200, JSON.stringify(r.json));
    t.same(r.names, []);
  });

  // client-node's watch across the view, opened before anything is bound
  const config = new k8s.KubeConfig();
  config.loadFromFile(kc);
  config.clusters = config.clusters.map((c) => ({ ...c, server: `${srv.url}${vw}/clusters/*` }));
  const events: Ev[] = [];
  const watch = await new k8s.Watch(config).watch('/api/v1/configmaps', { allowWatchBookmarks: true }, (type, obj) => {
    if (type === 'BOOKMARK' || !obj.metadata.name.startsWith('early-')) return;
    events.push({ type, name: obj.metadata.name, path: obj.metadata.annotations?.['kcp.io/path'] });
  }, () => undefined);
  t.teardown(() => watch.abort());
  const seen = (type: string, name: string) => waitFor(`${type} ${name}`, () => events.some((e) => e.type === type && e.name === name), { timeoutMs: 15_000 });

  const rvBeforeBinding = (await listed()).json.metadata.resourceVersion as string;

  await t.test('binding with the claim accepted: the existing object appears (ADDED) and lists', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:a'), input: binding([CONFIGMAPS('Accepted')]) });
    await seen('ADDED', 'early-a');
    t.same(events.at(-1), { type: 'ADDED', name: 'early-a', path: 'root:a' });
    t.same((await listed()).names, ['early-a']);
  });

  await t.test('a watch resuming from before the change is told to list again (410)', async (t) => {
    const r = await request(srv.url, creds, 'GET', `${vw}/clusters/*/api/v1/configmaps?watch=true&resourceVersion=${rvBeforeBinding}&timeoutSeconds=1`);
    const first = JSON.parse(r.text.split('\n')[0]!);
    t.equal(first.type, 'ERROR');
    t.equal(first.object.code, 410);
    t.match(first.object.message, /changed since; list again/);
  });

  await t.test('a bound workspace that did not accept the claim: nothing at clusters/*, 403 at its own URL (kcp)', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:b'), input: binding([CONFIGMAPS('Rejected')]) });
    await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', 'apibinding/tmc', '--timeout=30s'], { server: at('root:b') });
    t.same((await listed()).names, ['early-a']);
    for (const [what, path] of [['list', '/api/v1/namespaces/default/configmaps'], ['get', '/api/v1/namespaces/default/configmaps/early-b'], ['watch', '/api/v1/configmaps?watch=true&timeoutSeconds=1']]) {
      for (const cluster of [bName, 'root:b']) {
        const r = await request(srv.url, creds, 'GET', `${vw}/clusters/${cluster}${path}`);
        t.equal(r.status, 403, `${what} at clusters/${cluster}`);
        t.match(r.json?.message, /failed to find suitable reason to allow access in APIBinding: workspace "root:b" has not accepted APIExport root:tmc:tmc\.kcp\.io's permission claim \{group: "", resource: configmaps, all: true\}/);
      }
    }
    const disc = await kubectlOK(kc, ['api-resources'], { server: `${srv.url}${vw}/clusters/root:b` });
    t.match(disc, /^configmaps\s/m, 'its discovery still lists the claimed resource, as kcp serves one API set per export');
    t.notOk(events.some((e) => e.name === 'early-b'), 'nothing of b on the wildcard watch');
  });

  await t.test('accepting later: ADDED; rejecting: DELETED; deleting the binding: DELETED', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:b'), input: binding([CONFIGMAPS('Accepted')]) });
    await seen('ADDED', 'early-b');
    t.same((await listed()).names, ['early-a', 'early-b']);
    t.equal((await listed(bName)).status, 200, 'its own URL serves it once accepted');

    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:a'), input: binding([CONFIGMAPS('Rejected')]) });
    await seen('DELETED', 'early-a');
    t.same((await listed()).names, ['early-b']);

    await kubectlOK(kc, ['delete', 'apibinding', 'tmc'], { server: at('root:b') });
    await seen('DELETED', 'early-b');
    t.same((await listed()).names, []);
    t.same(events.map((e) => `${e.type} ${e.name}`), ['ADDED early-a', 'ADDED early-b', 'DELETED early-a', 'DELETED early-b'], 'one event per change, nothing else');
  });

  await t.test('a claim accepted without the identity hash the export states is invalid, as in kcp', async (t) => {
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:a'), input: binding([CONFIGMAPS('Accepted'), '{group: apps, resource: deployments, all: true, state: Accepted}']) });
    await kubectlOK(kc, ['wait', '--for=condition=PermissionClaimsValid=False', 'apibinding/tmc', '--timeout=30s'], { server: at('root:a') });
    const b = JSON.parse(await kubectlOK(kc, ['get', 'apibindings.v1alpha1.apis.kcp.io', 'tmc', '-o', 'json'], { server: at('root:a') }));
    const cond = b.status.conditions.find((c: { type: string }) => c.type === 'PermissionClaimsValid');
    t.match(cond.message, /1 unexpected and\/or invalid permission claims .*unexpected\/invalid claim for deployments\.apps \(identity ""\) \(the export claims it with identity "[0-9a-f]{64}"\)/);
    t.same(b.status.appliedPermissionClaims, [{ group: '', resource: 'configmaps', all: true }], 'only the claim that matches is applied');
    t.equal(b.status.phase, 'Bound');
  });
});
