/**
 * The web console in a real browser (headless Chromium via playwright-core) against a real
 * topology: a server-mode tmc-server running the default controllers (cluster health with a 1 s
 * heartbeat, placement, push syncers) and three `tmc-server --mode cluster` child processes
 * registered as ClusterRegistrations in two regions. A service account of root:demo, created from
 * manifests/console/console-user.yaml, signs in with its token and watches a Deployment get placed
 * on two clusters, one of them frozen (SIGSTOP) turn NotReady and the workload move, and a
 * rollback pin it back; a service account of another workspace sees nothing of root:demo.
 * Screenshots of every step go to TMC_SCREENSHOT_DIR (or a temp dir named in the output).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import type { Page } from 'playwright-core';
import { CLUSTER_REGISTRATIONS, WORKLOAD_PLACEMENTS } from '../../src/apis/tmc/gvr.js';
import type { KubeClient } from '../../src/client/kube-client.js';
import { httpTransportFromKubeConfig } from '../../src/client/kubeconfig-transport.js';
import { KubeClient as Client } from '../../src/client/kube-client.js';
import type { KubeObject } from '../../src/client/types.js';
import { chromiumMissing, launchBrowser, recordRequests, screenshotDir, CHROMIUM } from '../helpers/browser.js';
import { DIST_ROOT, spawnServer, startServer, type SpawnedServer } from '../helpers/tmc.js';
import { bind, createWorkspace, DEPLOYMENTS, SECRETS } from '../syncer/harness.js';
import { CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS, SERVICE_ACCOUNTS } from '../../src/apis/gvr.js';
import { waitFor } from '../helpers/wait.js';

const REPO = join(DIST_ROOT, '..');
const LAPTOP = { width: 1366, height: 900 };
const BY_KIND: Record<string, typeof SECRETS> = { ServiceAccount: SERVICE_ACCOUNTS, Secret: SECRETS, ClusterRole: CLUSTER_ROLES, ClusterRoleBinding: CLUSTER_ROLE_BINDINGS };

const manifest = () => parseAllDocuments(readFileSync(join(REPO, 'manifests', 'console', 'console-user.yaml'), 'utf8')).map((d) => d.toJSON() as KubeObject);

async function tokenOf(ws: KubeClient, secretName: string): Promise<string> {
  const secret = await waitFor(`${secretName} minted`, async () => {
    const s = await ws.get<KubeObject & { data?: Record<string, string> }>(SECRETS, 'default', secretName);
    return s.data?.token ? s : undefined;
  });
  return Buffer.from(secret.data!.token, 'base64').toString('utf8');
}

/** Applies manifests/console/console-user.yaml in a workspace and returns the token the server minted. */
async function consoleUser(ws: KubeClient): Promise<string> {
  for (const obj of manifest()) await ws.create(BY_KIND[obj.kind!], obj.metadata?.namespace, obj);
  return tokenOf(ws, 'console-token');
}

/** The same user without the "patch" rule, as the manifest's comment suggests: a read-only viewer. */
async function readOnlyUser(ws: KubeClient): Promise<string> {
  for (const obj of manifest()) {
    const o = JSON.parse(JSON.stringify(obj).replaceAll('console', 'viewer')) as KubeObject & { rules?: Array<{ verbs: string[] }> };
    if (o.rules) o.rules = o.rules.filter((r) => !r.verbs.includes('patch'));
    await ws.create(BY_KIND[o.kind!], o.metadata?.namespace, o);
  }
  return tokenOf(ws, 'viewer-token');
}

async function registerCluster(ws: KubeClient, name: string, region: string, cluster: SpawnedServer): Promise<void> {
  await ws.create(SECRETS, 'default', {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: `${name}-kubeconfig` },
    data: { kubeconfig: Buffer.from(readFileSync(cluster.kubeconfigPath)).toString('base64') },
  } as KubeObject);
  await ws.create(CLUSTER_REGISTRATIONS, undefined, {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'ClusterRegistration',
    metadata: { name, labels: { 'topology.kubernetes.io/region': region } },
    spec: { location: region, clusterEndpoint: { serverURL: cluster.url, secretRef: { namespace: 'default', name: `${name}-kubeconfig` } } },
  } as KubeObject);
}

const PLACEMENT = {
  apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name: 'web', namespace: 'default' },
  spec: {
    workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }], labelSelector: { matchLabels: { app: 'web' } } },
    numberOfClusters: 2,
    replicaScheduling: { type: 'Divided' },
    failover: { tolerationSeconds: 1, purgeMode: 'Immediately' },
  },
} as KubeObject;

const WEB = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: {
    replicas: 4, selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '250m', memory: '256Mi' } } }] } },
  },
} as KubeObject;

/** The clusters the workload page lists with a given sync state. */
async function clustersInState(page: Page, state: string): Promise<string[]> {
  const rows = page.locator('[data-table="where"] tbody tr').filter({ hasText: state });
  return Promise.all((await rows.all()).map(async (r) => (await r.getAttribute('data-key')) ?? ''));
}

t.test('the console, in headless Chromium, follows a placement live', { skip: chromiumMissing && !process.env.CI && `no Chromium at ${CHROMIUM} (hack/install-deps.sh with TMC_NEED_CHROMIUM=1 installs it)` }, async (t) => {
  const shots = screenshotDir();
  t.comment(`screenshots: ${shots}`);
  const shot = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  const server = await startServer(t, { heartbeatSeconds: 1, heartbeatThresholdSeconds: 3 });
  // one at a time, with room: under a full parallel suite three node processes booting at once
  // have taken over 30 s
  const physical: SpawnedServer[] = [];
  for (let i = 0; i < 3; i++) physical.push(await spawnServer(t, ['--mode', 'cluster', '--nodes', '2', '--ready-delay', '200'], { readyTimeoutMs: 90_000 }));
  const admin = new Client(httpTransportFromKubeConfig({ file: server.kubeconfigPath, basePath: '' }));
  const [demo, other] = await Promise.all([createWorkspace(admin, 'root:demo'), createWorkspace(admin, 'root:other-team')]);
  await bind(demo, 'kubernetes', 'root:compute', 'kubernetes');
  await bind(demo, 'tmc', 'root:tmc', 'tmc.kcp.io');
  await waitFor('bindings', () => Promise.all([demo.list(DEPLOYMENTS, { namespace: 'default' }), demo.list(CLUSTER_REGISTRATIONS)]).then(() => true));
  const [token, otherToken] = await Promise.all([consoleUser(demo), consoleUser(other)]);
  const viewerToken = await readOnlyUser(demo);
  const names = ['eu-1', 'eu-2', 'us-1'];
  const regions = ['eu-west', 'eu-west', 'us-east'];
  for (let i = 0; i < 3; i++) await registerCluster(demo, names[i], regions[i], physical[i]);

  const context = await launchBrowser(t);
  const page = await context.newPage();
  const requests = recordRequests(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await t.test('sign in with a service account token', async (t) => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Workspace').fill('root:demo');
    await page.getByLabel('Bearer token').fill('not-a-valid-token-but-long-enough-000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: '401' }).waitFor();
    t.pass('a wrong token is refused with a clear message');
    await page.getByLabel('Bearer token').fill(token);
    await shot(page, '01-sign-in');
    await page.getByLabel('Bearer token').press('Enter');
    await page.getByRole('heading', { name: /^Clusters/ }).waitFor();
    t.equal(await page.getByTestId('workspace').textContent(), 'root:demo');
    t.equal(await page.getByTestId('user').textContent(), 'system:serviceaccount:default:console', 'who the server says the token is');
  });

  await t.test('three clusters, healthy, with capacity and heartbeats', async (t) => {
    await page.waitForSelector('[data-cluster="eu-1"][data-health="Ready"]');
    await page.waitForSelector('[data-cluster="eu-2"][data-health="Ready"]');
    await page.waitForSelector('[data-cluster="us-1"][data-health="Ready"]');
    t.equal(await page.locator('li.cluster').count(), 3);
    t.match(await page.getByRole('meter', { name: /^cpu: .* \/ 8 allocated/ }).first().getAttribute('aria-label'), /cpu/, 'capacity bars over 2 nodes × 4 cpu');
    t.match(await page.locator('[data-cluster="eu-1"] .heartbeat').textContent(), /\d+s ago/);
    await shot(page, '02-clusters');
  });

  let chosen: string[] = [];
  await t.test('place a Deployment: it appears on two clusters, live', async (t) => {
    await page.getByRole('link', { name: 'Placements' }).click();
    await page.getByText('No WorkloadPlacement in root:demo').waitFor();
    await demo.create(WORKLOAD_PLACEMENTS, 'default', PLACEMENT);
    await demo.create(DEPLOYMENTS, 'default', WEB);
    // no reload: the watch brings the placement, then its decision
    await page.waitForSelector('[data-table="placements"] tr[data-key="default/web"] .chip[data-cluster]');
    await waitFor('two chosen clusters', async () => (await page.locator('[data-table="placements"] tr[data-key="default/web"] .chip[data-cluster]').count()) === 2, { timeoutMs: 30_000 });
    await page.getByText('Scheduled', { exact: true }).waitFor();
    await shot(page, '03-placements');
    await page.getByRole('link', { name: 'Deployment web' }).click();
    await page.getByRole('heading', { name: 'Where it runs' }).waitFor();
    await waitFor('synced to two clusters', async () => (await clustersInState(page, 'Sync')).length === 2, { timeoutMs: 30_000 });
    chosen = await clustersInState(page, 'Sync');
    t.equal(chosen.length, 2, `placed on ${chosen.join(', ')}`);
    // the decision explained: every candidate, sortable
    await page.waitForSelector('[data-table="decision"] tr[data-key="us-1"]');
    t.equal(await page.locator('[data-table="decision"] tbody tr').count(), 3, 'every candidate has a row');
    await page.getByText('4 of 4 replicas ready (summed over its clusters)').waitFor();
    await shot(page, '04-workload');
    const totalHeader = page.locator('[data-table="decision"] th', { hasText: 'Total' });
    await totalHeader.getByRole('button').focus();
    await page.keyboard.press('Enter');
    t.equal(await totalHeader.getAttribute('aria-sort'), 'ascending', 'sorted from the keyboard');
    await page.keyboard.press('Enter');
    t.equal(await totalHeader.getAttribute('aria-sort'), 'descending');
  });

  await t.test('the fleet map groups clusters by region with their workloads', async (t) => {
    await page.getByRole('link', { name: 'Fleet map' }).click();
    await page.waitForSelector('[data-region="eu-west"] [data-cluster="eu-1"]');
    t.equal(await page.locator('[data-region="eu-west"] [data-cluster]').count(), 2);
    t.equal(await page.locator('[data-region="us-east"] [data-cluster]').count(), 1);
    for (const c of chosen) await page.waitForSelector(`[data-cluster="${c}"] [data-workload="web"]`);
    await shot(page, '05-fleet');
  });

  const frozen = () => chosen[0];
  await t.test('a frozen cluster turns NotReady and the workload moves', async (t) => {
    const victim = physical[names.indexOf(frozen())];
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.waitForSelector(`[data-cluster="${frozen()}"][data-health="Ready"]`); // watching before it fails
    victim.child.kill('SIGSTOP');
    let stopped = true;
    t.teardown(() => { if (stopped) victim.child.kill('SIGCONT'); });
    await page.waitForSelector(`[data-cluster="${frozen()}"][data-health="NotReady"]`, { timeout: 30_000 });
    t.match(await page.locator(`[data-cluster="${frozen()}"] .reason`).textContent(), /HeartbeatMissed/);
    t.equal(await page.getByTestId('health-announcement').textContent(), `${frozen()} is NotReady`, 'announced to screen readers');
    await shot(page, '06-cluster-not-ready');
    await page.goBack(); // fleet
    await page.goBack(); // the workload page
    const spare = names.find((n) => !chosen.includes(n))!;
    await page.waitForSelector(`[data-table="where"] tr[data-key="${spare}"]`, { timeout: 30_000 });
    await waitFor(`synced to ${spare}`, async () => (await clustersInState(page, 'Sync')).includes(spare), { timeoutMs: 30_000 });
    t.pass(`moved from ${frozen()} to ${spare}`);
    await page.waitForSelector('[data-revision="2"]');
    t.match(await page.locator('[data-revision="2"]').textContent(), /Failover/, 'the history records the failover');
    await page.locator('[data-table="decision"] caption', { hasText: 'revision 2' }).waitFor();
    t.match(await page.locator(`[data-table="decision"] tr[data-key="${frozen()}"]`).textContent(), /rejected.*FAIL \(NotReady\)/, 'the decision shows why the frozen cluster was left');
    t.equal(await page.locator('[data-table="decision"] th', { hasText: 'Capacity' }).count(), 0, 'filters every cluster passed are summarised, not columns');
    await page.getByLabel('Show a column for every filter').check();
    t.equal(await page.locator('[data-table="decision"] th', { hasText: 'Capacity' }).count(), 1, 'and shown on request');
    await page.getByLabel('Show a column for every filter').uncheck();
    await shot(page, '07-workload-moved');
    victim.child.kill('SIGCONT');
    stopped = false;
    await waitFor(`${frozen()} Ready again`, async () => {
      const c = await demo.get<KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>(CLUSTER_REGISTRATIONS, undefined, frozen());
      return c.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
    }, { timeoutMs: 30_000 });
  });

  await t.test('roll back to the first decision, with confirmation', async (t) => {
    const rollback = page.getByRole('button', { name: 'Roll back to revision 1' });
    await waitFor('rollback allowed', () => rollback.isEnabled(), { timeoutMs: 30_000 });
    await rollback.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    t.match(await dialog.textContent(), /revision 1's clusters/);
    await page.screenshot({ path: join(shots, '08-rollback-confirm.png') });
    await dialog.getByRole('button', { name: 'Roll back' }).click();
    await page.getByRole('status').filter({ hasText: 'Pinned default/web to revision 1' }).waitFor();
    await page.locator('[data-revision="1"]', { hasText: '(pinned)' }).waitFor();
    const placement = await demo.get<KubeObject & { spec: { pinnedRevision?: number } }>(WORKLOAD_PLACEMENTS, 'default', 'web');
    t.equal(placement.spec.pinnedRevision, 1, 'the console sent the pin tmcctl sends');
    await waitFor('back on the first clusters', async () => (await clustersInState(page, 'Sync')).sort().join() === [...chosen].sort().join(), { timeoutMs: 30_000 });
    t.pass(`back on ${chosen.join(', ')}`);
    await page.locator('[data-revision="3"]', { hasText: 'Rollback' }).waitFor();
    await page.getByRole('heading', { name: 'Why these clusters (revision 3, trigger Rollback)' }).waitFor();
    await shot(page, '09-rolled-back');
    await page.getByRole('button', { name: 'Explain revision 1' }).first().click();
    await page.locator('[data-table="decision"] caption', { hasText: 'revision 1' }).waitFor();
  });

  await t.test('phone width: no sideways scrolling', async (t) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.waitForSelector('[data-cluster="us-1"]');
    t.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'the page fits 390 px');
    await shot(page, '10-phone-clusters');
    await page.setViewportSize(LAPTOP);
  });

  await t.test('a read-only user sees the history but may not roll back, and is told why', async (t) => {
    const viewer = await context.newPage();
    await viewer.goto(`${server.url}/console/`);
    await viewer.getByLabel('Workspace').fill('root:demo');
    await viewer.getByLabel('Bearer token').fill(viewerToken);
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await viewer.getByRole('heading', { name: /^Clusters/ }).waitFor();
    await viewer.goto(`${server.url}/console/#/ws/root:demo/workload/default/apps/Deployment/web`);
    await viewer.getByRole('note').filter({ hasText: 'You cannot roll back this placement' }).waitFor();
    t.match(await viewer.getByRole('note').filter({ hasText: 'You cannot roll back' }).textContent(), /RBAC does not allow you to patch workloadplacements.tmc.kcp.io "web" in namespace "default"/, 'what RBAC refused');
    t.ok(await viewer.getByRole('button', { name: 'Roll back to revision 2' }).isDisabled(), 'the rollback button is disabled');
    t.ok(await viewer.getByRole('button', { name: /^Unpin/ }).isDisabled(), 'so is unpin');
    await viewer.getByRole('link', { name: 'Clusters' }).click();
    await viewer.waitForSelector('[data-cluster="us-1"]');
    t.equal(await viewer.getByRole('button', { name: /^(Cordon|Drain) / }).count(), 0, 'no cordon/drain offered without the right');
    await shot(viewer, '11-read-only');
    await viewer.close();
  });

  await t.test('a user of another workspace sees nothing of root:demo', async (t) => {
    const page2 = await context.newPage(); // a new tab: its own session storage, so signed out
    const requests2 = recordRequests(page2);
    await page2.goto(`${server.url}/console/`);
    await page2.getByLabel('Workspace').fill('root:other-team');
    await page2.getByLabel('Bearer token').fill(otherToken);
    await page2.getByRole('button', { name: 'Sign in' }).click();
    await page2.getByText('No ClusterRegistration in root:other-team').or(page2.getByRole('alert')).first().waitFor();
    for (const view of ['clusters', 'placements', 'fleet', 'workload/default/apps/Deployment/web']) {
      await page2.goto(`${server.url}/console/#/ws/root:demo/${view}`);
      await page2.getByRole('alert').first().waitFor();
      const text = await page2.locator('main').textContent() ?? '';
      t.match(text, /No access to/, `${view}: refused`);
      for (const secret of ['eu-1', 'eu-2', 'us-1', 'eu-west', 'nginx']) t.notOk(text.includes(secret), `${view}: nothing of root:demo shown (${secret})`);
    }
    await shot(page2, '12-no-access');
    await page2.goto(`${server.url}/console/#/ws/root:other-team/workspaces`);
    await page2.getByRole('tree').waitFor();
    t.notOk((await page2.locator('main').textContent())?.includes('demo'), 'the workspace tree does not list root:demo');
    t.same(requests2.filter((u) => !u.startsWith(server.url)), [], 'no request left the server');
    await page2.close();
  });

  await t.test('cordon and uncordon a cluster, with confirmation', async (t) => {
    await page.getByRole('link', { name: 'Clusters' }).click();
    await page.getByRole('button', { name: 'Cordon us-1' }).click();
    const dialog = page.getByRole('dialog');
    t.match(await dialog.textContent(), /No new workloads will be placed on it/);
    await dialog.getByRole('button', { name: 'Cordon' }).click();
    await page.locator('[data-cluster="us-1"] dd', { hasText: 'Cordoned' }).waitFor();
    const c = await demo.get<KubeObject & { spec: { unschedulable?: boolean } }>(CLUSTER_REGISTRATIONS, undefined, 'us-1');
    t.equal(c.spec.unschedulable, true, 'the patch tmcctl cluster cordon sends');
    await shot(page, '14-cordoned');
    await page.getByRole('button', { name: 'Uncordon us-1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Uncordon' }).click();
    await page.locator('[data-cluster="us-1"] dd', { hasText: 'Schedulable' }).waitFor();
  });

  await t.test('the workspace tree, and nothing fetched from elsewhere', async (t) => {
    await page.getByRole('link', { name: 'Workspaces' }).click();
    await page.getByRole('tree').waitFor();
    await shot(page, '13-workspaces');
    t.same(requests.filter((u) => !u.startsWith(server.url)), [], 'every request went to the TMC server');
    t.same(errors, [], 'no script errors');
  });
});
