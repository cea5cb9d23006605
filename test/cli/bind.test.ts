/**
 * tmcctl bind against a real server: the APIBindings for root:compute:kubernetes and
 * root:tmc:tmc.kcp.io are created, every TMC permission claim is accepted (with the compute
 * export's identity for workloads), both become Bound and their resources are served; re-running
 * is idempotent.
 */
import t from 'tap';
import { startServer } from '../helpers/tmc.js';
import { kubeconfigCopy, rootClient, tmcctl, tmcctlOK } from './cli-harness.js';
import { API_BINDINGS, API_EXPORTS } from '../../src/apis/gvr.js';

t.test('bind compute, tmc and all', async (t) => {
  const srv = await startServer(t);
  const kc = kubeconfigCopy(t, srv.kubeconfigPath);
  const root = rootClient(t, kc);
  await tmcctlOK(kc, ['ws', 'create', 'a']);
  await tmcctlOK(kc, ['ws', 'create', 'b', '--enter']);

  // compute only, in another workspace than the current one
  const out = await tmcctlOK(kc, ['bind', 'compute', '--workspace', 'root:a']);
  t.equal(out, 'APIBinding kubernetes → root:compute:kubernetes is Bound in root:a.\n');
  const a = await root.forCluster('root:a').list(API_BINDINGS);
  t.same(a.items.map((b) => b.metadata.name), ['kubernetes'], 'only the compute binding in root:a');
  t.equal((a.items[0].status as any).phase, 'Bound');
  await root.forCluster('root:a').list({ group: 'apps', version: 'v1', resource: 'deployments' }, { namespace: 'default' });
  t.pass('deployments are served in root:a');

  // --server overrides the kubeconfig's URL (and so the workspace) for one call
  const viaServer = await tmcctl(kc, ['cluster', 'list', '--server', `${srv.url}/clusters/root:a`]);
  t.equal(viaServer.code, 1);
  t.match(viaServer.stderr, /clusterregistrations are not served in root:a: bind the TMC API there first \("tmcctl bind all --workspace root:a"\)/);

  // all, in the current workspace (root:b)
  const all = await tmcctlOK(kc, ['bind', 'all']);
  t.match(all, /APIBinding kubernetes → root:compute:kubernetes is Bound in root:b\./);
  t.match(all, /APIBinding tmc → root:tmc:tmc.kcp.io is Bound in root:b \(accepted \d+ permission claims: .*namespaces.*deployments\.apps/);
  const b = root.forCluster('root:b');
  const tmcBinding = await b.get(API_BINDINGS, undefined, 'tmc');
  t.equal((tmcBinding.status as any).phase, 'Bound');
  const exp = await root.forCluster('root:tmc').get(API_EXPORTS, undefined, 'tmc.kcp.io');
  const exportClaims = (exp.spec as any).permissionClaims as any[];
  const claims = (tmcBinding.spec as any).permissionClaims as any[];
  t.equal(claims.length, exportClaims.length, 'one accepted claim per export claim');
  for (const c of exportClaims) {
    const got = claims.find((x) => x.resource === c.resource && (x.group ?? '') === (c.group ?? ''));
    t.ok(got, `claim ${c.resource}.${c.group} present`);
    t.equal(got?.state, 'Accepted');
    t.equal(got?.identityHash, c.identityHash, `${c.resource} identity copied`);
  }
  t.match(claims.find((c) => c.resource === 'deployments'), { group: 'apps', identityHash: /^[0-9a-f]{64}$/ });
  await b.list({ group: 'tmc.kcp.io', version: 'v1alpha1', resource: 'clusterregistrations' });
  t.pass('clusterregistrations are served in root:b');

  // idempotent
  const again = await tmcctl(kc, ['bind', 'all']);
  t.equal(again.code, 0, again.stderr);
  t.equal((await b.list(API_BINDINGS)).items.length, 2, 'no duplicate bindings');

  // usage and failure paths
  const bad = await tmcctl(kc, ['bind', 'everything']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /cannot bind "everything": use compute, tmc or all/);
  t.equal((await tmcctl(kc, ['bind', 'tmc', '--timeout', 'soon'])).code, 2);
  const nows = await tmcctl(kc, ['bind', 'tmc', '--workspace', 'root:missing', '--timeout', '1s']);
  t.equal(nows.code, 1, 'a missing workspace fails');
});
