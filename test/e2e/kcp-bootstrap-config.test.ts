/**
 * kcp's own bootstrap configuration (test/fixtures/kcp/{root-phase0,root,shard,universal,
 * root-identities,system-crds,crds}, copied unchanged from kcp-dev/kcp's config/) applied with kubectl
 * as a kcp user would: the phase-0 APIResourceSchemas and v1alpha2 APIExports (shards, cache,
 * migration, topology, tenancy) in a provider workspace, bound from a consumer and used through
 * kubectl and, with client-node, through an export's virtual workspace; the root, shard and
 * universal workspace contents (RBAC with kcp's colon names, WorkspaceTypes, namespaces, the
 * LogicalCluster), and kcp's CRDs of its own groups. Files kcp's bootstrap fills in before applying (Go templates, placeholders)
 * are refused as they stand, which the test pins down.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import * as k8s from '@kubernetes/client-node';
import { kubectl, kubectlOK, startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'kcp');
const files = (dir: string) => readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(FIXTURES, dir, f));
/** Files kcp's bootstrap renders first (config/helpers: Go templates, IDENTITY_APIEXPORT and HOME_CREATOR_GROUPS placeholders). */
const TEMPLATED = new Set(['workspacetype-root.yaml', 'clusterrolebinding-workspace-home-create.yaml', 'secret-identity.yaml']);
const templated = (f: string) => TEMPLATED.has(f.slice(f.lastIndexOf('/') + 1));

t.test("kcp's bootstrap configuration files", async (t) => {
  const srv = await startServer(t);
  const kc = srv.kubeconfigPath;
  const at = (p: string) => `${srv.url}/clusters/${p}`;
  for (const ws of ['phase0', 'consumer', 'kroot', 'shard', 'universal']) {
    await kubectlOK(kc, ['create', '-f', '-'], { input: `apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: ${ws}}\n` });
    await waitFor(`workspace ${ws}`, async () => (await kubectl(kc, ['get', 'ns', 'default'], { server: at(`root:${ws}`) })).code === 0);
  }
  const apply = (ws: string, file: string) => kubectl(kc, ['apply', '-f', file], { server: at(ws) });

  await t.test('config/root-phase0: every schema, export and the LogicalCluster apply', async (t) => {
    for (const f of files('root-phase0')) {
      const r = await apply('root:phase0', f);
      t.equal(r.code, 0, `${f.slice(FIXTURES.length + 1)}: ${r.stderr.trim()}`);
    }
    const exports = JSON.parse(await kubectlOK(kc, ['get', 'apiexports.v1alpha2.apis.kcp.io', '-o', 'json'], { server: at('root:phase0') }));
    t.same(exports.items.map((e: any) => e.metadata.name).sort(), ['cache.kcp.io', 'migration.kcp.io', 'shards.core.kcp.io', 'tenancy.kcp.io', 'topology.kcp.io']);
    t.same(exports.items.find((e: any) => e.metadata.name === 'tenancy.kcp.io').spec.maximalPermissionPolicy, { local: {} }, 'v1alpha2 fields kept');
  });

  await t.test('bound from a consumer: served, used with kubectl and through the VW', async (t) => {
    const bound = ['shards.core.kcp.io', 'cache.kcp.io', 'migration.kcp.io', 'topology.kcp.io'];
    for (const name of [...bound, 'tenancy.kcp.io']) {
      await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: `apiVersion: apis.kcp.io/v1alpha2\nkind: APIBinding\nmetadata: {name: ${name}}\nspec: {reference: {export: {path: "root:phase0", name: ${name}}}}\n` });
    }
    await kubectlOK(kc, ['wait', '--for=jsonpath={.status.phase}=Bound', ...bound.map((b) => `apibinding/${b}`), '--timeout=30s'], { server: at('root:consumer') });
    // kcp serves tenancy.kcp.io through this very export; here Workspaces are built in
    await kubectlOK(kc, ['wait', '--for=jsonpath={.status.conditions[?(@.type=="BindingUpToDate")].reason}=NamingConflict', 'apibinding/tenancy.kcp.io', '--timeout=30s'], { server: at('root:consumer') });
    const resources = await waitFor('bound resources discovered', async () => {
      const out = (await kubectl(kc, ['api-resources', '-o', 'name'], { server: at('root:consumer') })).stdout;
      return ['shards.core.kcp.io', 'clustercachedresources.cache.kcp.io', 'logicalclustermigrations.migration.kcp.io', 'partitionsets.topology.kcp.io'].every((r) => out.includes(r)) ? out : undefined;
    });
    t.ok(resources);
    await kubectlOK(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: 'apiVersion: core.kcp.io/v1alpha1\nkind: Shard\nmetadata: {name: beta}\nspec: {baseURL: "https://beta.example.com:6443"}\n' });
    t.match(await kubectlOK(kc, ['get', 'shards'], { server: at('root:consumer') }), /^beta\s/m, 'a Shard, with kcp\'s printer columns');
    const bad = await kubectl(kc, ['apply', '-f', '-'], { server: at('root:consumer'), input: 'apiVersion: core.kcp.io/v1alpha1\nkind: Shard\nmetadata: {name: nourl}\nspec: {}\n' });
    t.not(bad.code, 0);
    t.match(bad.stderr, /spec\.baseURL: Required value/, 'kcp\'s schema validates');

    const vwURL = (await waitFor('the shards export\'s endpoint', async () => (await kubectl(kc, ['get', 'apiexportendpointslice', 'shards.core.kcp.io', '-o', 'jsonpath={.status.endpoints[0].url}'], { server: at('root:phase0') })).stdout || undefined));
    const config = new k8s.KubeConfig();
    config.loadFromFile(kc);
    config.clusters = config.clusters.map((c) => ({ ...c, server: `${vwURL}/clusters/*` }));
    const list = await config.makeApiClient(k8s.CustomObjectsApi).listClusterCustomObject({ group: 'core.kcp.io', version: 'v1alpha1', plural: 'shards' }) as { items: Array<{ metadata: { name: string; annotations: Record<string, string> } }> };
    t.same(list.items.map((i) => `${i.metadata.annotations['kcp.io/path']}/${i.metadata.name}`), ['root:consumer/beta'], "the export's view through client-node");
  });

  await t.test("config/crds: kcp's CRDs of its own groups (those not built in here) establish and serve", async (t) => {
    for (const f of files('crds')) {
      const r = await apply('root:shard', f);
      t.equal(r.code, 0, `${f.slice(FIXTURES.length + 1)}: ${r.stderr.trim()}`);
    }
    await kubectlOK(kc, ['wait', '--for=condition=Established', 'crd/partitions.topology.kcp.io', 'crd/shards.core.kcp.io', 'crd/clustercachedresources.cache.kcp.io', '--timeout=30s'], { server: at('root:shard') });
    await waitFor('CRD-served partitions', async () => (await kubectl(kc, ['apply', '-f', '-'], { server: at('root:shard'), input: 'apiVersion: topology.kcp.io/v1alpha1\nkind: Partition\nmetadata: {name: eu}\nspec: {selector: {matchLabels: {region: eu}}}\n' })).code === 0);
    t.match(await kubectlOK(kc, ['get', 'partitions'], { server: at('root:shard') }), /^eu\s/m);
  });

  await t.test('config/root, shard, universal, root-identities, system-crds', async (t) => {
    for (const [dir, ws] of [['root', 'root:kroot'], ['shard', 'root:shard'], ['universal', 'root:universal'], ['root-identities/namespace', 'root:kroot'], ['root-identities', 'root:kroot']] as const) {
      for (const f of files(dir)) {
        if (templated(f)) continue;
        const r = await apply(ws, f);
        t.equal(r.code, 0, `${f.slice(FIXTURES.length + 1)}: ${r.stderr.trim()}`);
      }
    }
    t.match(await kubectlOK(kc, ['get', 'clusterroles', '-o', 'name'], { server: at('root:kroot') }), /clusterrole\.rbac\.authorization\.k8s\.io\/system:kcp:apiexport:tenancy:bind/, "RBAC objects keep kcp's colon names");
    t.match(await kubectlOK(kc, ['get', 'workspacetypes', '-o', 'name'], { server: at('root:kroot') }), /workspacetype\.tenancy\.kcp\.io\/organization/);
    t.match(await kubectlOK(kc, ['get', 'ns', 'kcp-system', '-o', 'name'], { server: at('root:kroot') }), /namespace\/kcp-system/);
    t.match(await kubectlOK(kc, ['get', 'ns', 'kube-system', '-o', 'name'], { server: at('root:universal') }), /namespace\/kube-system/);
    t.equal(readFileSync(join(FIXTURES, 'system-crds', 'empty-placeholder.yaml'), 'utf8'), '', 'config/system-crds has nothing to apply');

    // as they stand, the templated ones are refused (kcp's bootstrap renders them first)
    const refused: Record<string, RegExp> = {
      'root/workspacetype-root.yaml': /error converting YAML to JSON/,
      'root/clusterrolebinding-workspace-home-create.yaml': /subjects in body must be of type array/,
      'root-identities/secret-identity.yaml': /metadata\.name: Invalid value: "IDENTITY_APIEXPORT"/,
    };
    for (const [f, why] of Object.entries(refused)) {
      const r = await apply('root:kroot', join(FIXTURES, f));
      t.not(r.code, 0, `${f} is a template`);
      t.match(r.stderr, why);
    }
  });
});
