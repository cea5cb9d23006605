/**
 * tmcctl placement against real servers: two cluster-mode tmc-servers registered (with tmcctl) in
 * a bound workspace, a WorkloadPlacement for one cluster and a Deployment; the placement controller
 * (on by default) records PlacementDecisions. explain shows every candidate's filters and scores
 * and why the other was left out; a drain makes revision 2; history lists them; rollback pins
 * revision 1; unpin removes the pin.
 */
import t from 'tap';
import { parse } from 'yaml';
import { PLACEMENT_DECISIONS, WORKLOAD_PLACEMENTS } from '../../src/apis/tmc/gvr.js';
import { candidateRows, encodeEvaluation } from '../../src/apis/tmc/evaluation.js';
import { renderExplanation } from '../../src/cli/commands/placement-explain.js';
import { kubectlOK, startServer } from '../helpers/tmc.js';
import { kubeconfigCopy, rootClient, tmcctl, tmcctlOK } from './cli-harness.js';
import { DEPLOYMENTS } from '../../src/apis/gvr.js';
import { waitFor } from '../helpers/wait.js';

t.test('renderExplanation (pure)', async (t) => {
  const wp: any = { metadata: { name: 'web', namespace: 'app' }, spec: {}, status: { phase: 'Scheduled', currentRevision: 3 } };
  const d: any = {
    metadata: { name: 'web-3' },
    spec: {
      placementName: 'web', revision: 3, time: '2025-01-10T12:00:00Z', trigger: 'Failover',
      evaluation: encodeEvaluation([
        { clusterName: 'prod-eu', filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'LeastAllocated', score: 40, weight: 2 }], total: 80 },
        { clusterName: 'prod-us', filters: [{ plugin: 'Ready', passed: false, reason: 'NotReady', message: 'Ready is Unknown since 11:58' }], scores: [], total: 0 },
        { clusterName: 'prod-ap', filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'LeastAllocated', score: 10, weight: 2 }], total: 20 },
      ]),
      selected: [{ clusterName: 'prod-eu', clusterKey: 'Ab3dE9xZ', replicas: 6 }],
      previous: [{ clusterName: 'prod-eu', replicas: 4 }, { clusterName: 'prod-us', replicas: 2 }],
    },
  };
  const text = renderExplanation(wp, d);
  t.match(text, /Decision:\s+web-3 — revision 3, trigger Failover/);
  t.match(text, /CLUSTER\s+RESULT\s+Ready\s+LeastAllocated\s+TOTAL\s+REPLICAS/);
  t.match(text, /prod-eu\s+selected\s+pass\s+40×2\s+80\s+6/);
  t.match(text, /prod-ap\s+not chosen\s+pass\s+10×2\s+20\s+-/);
  t.match(text, /prod-us\s+rejected\s+FAIL \(NotReady\)\s+-\s+-\s+-/);
  t.match(text, /Selected:\s+prod-eu \(6 replicas\) key Ab3dE9xZ/);
  t.match(text, /Previous:\s+prod-eu\(4\), prod-us\(2\)/);
  t.match(text, /prod-us: Ready: NotReady — Ready is Unknown since 11:58/);
  t.match(text, /prod-ap: passed every filter but scored 20, below the lowest chosen \(80\)/);
  const rows = text.split('\n').filter((l) => /^prod-/.test(l)).map((l) => l.split(/\s+/)[0]);
  t.same(rows, ['prod-eu', 'prod-ap', 'prod-us'], 'selected first, then by score');
});

t.test('explain, history, rollback, unpin on live decisions', async (t) => {
  const [srv, east, west] = await Promise.all([
    startServer(t, { heartbeatSeconds: 1 }), startServer(t, { mode: 'cluster' }), startServer(t, { mode: 'cluster' }),
  ]);
  const kc = kubeconfigCopy(t, srv.kubeconfigPath);
  await tmcctlOK(kc, ['ws', 'create', 'app', '--enter']);
  await tmcctlOK(kc, ['bind', 'all']);
  await tmcctlOK(kc, ['cluster', 'register', 'east', '--kubeconfig-file', east.kubeconfigPath, '--location', 'us']);
  await tmcctlOK(kc, ['cluster', 'register', 'west', '--kubeconfig-file', west.kubeconfigPath, '--location', 'us']);
  const ws = rootClient(t, kc).forCluster('root:app');

  const none = await tmcctl(kc, ['placement', 'explain', 'web']);
  t.equal(none.code, 1);
  t.match(none.stderr, /workloadplacement "web" not found in namespace default of root:app/);

  await ws.create(WORKLOAD_PLACEMENTS, 'default', {
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'WorkloadPlacement', metadata: { name: 'web', namespace: 'default' },
    spec: { workloadSelector: { workloadTypes: [{ group: 'apps', kind: 'Deployment' }] }, numberOfClusters: 1, failover: { purgeMode: 'Immediately' } },
  });
  await ws.create(DEPLOYMENTS, 'default', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const decisions = async () => (await ws.list(PLACEMENT_DECISIONS, { namespace: 'default' })).items as any[];
  const first = await waitFor('the first PlacementDecision', async () => (await decisions()).find((d) => d.spec.revision === 1 && d.spec.selected?.length));
  const chosen = first.spec.selected[0].clusterName as string;
  const other = chosen === 'east' ? 'west' : 'east';

  const wide = await kubectlOK(kc, ['get', 'placementdecisions', '-n', 'default', '-o', 'wide']);
  t.match(wide, /^NAME\s+PLACEMENT\s+REVISION\s+TRIGGER\s+SELECTED\s+AGE\s+CONSIDERED\s+REASON/m, 'kubectl get pd -o wide');
  t.match(wide, new RegExp(`^web-1\\s+web\\s+1\\s+\\w+\\s+${chosen}\\s+\\S+\\s+2\\b`, 'm'), 'two clusters considered');
  const explained = await tmcctlOK(kc, ['placement', 'explain', 'web']);
  t.comment(explained);
  t.match(explained, /Placement:\s+default\/web \(phase \w+, current revision 1\)/);
  t.match(explained, /Decision:\s+web-1 — revision 1, trigger \w+/);
  t.match(explained, /^CLUSTER\s+RESULT\s+.*TOTAL\s+REPLICAS$/m);
  t.match(explained, new RegExp(`^${chosen}\\s+selected\\s`, 'm'));
  t.match(explained, new RegExp(`^${other}\\s+(not chosen|rejected)\\s`, 'm'));
  const rows = candidateRows(first.spec.evaluation);
  t.same(rows.map((r) => r.clusterName), ['east', 'west'], 'both clusters were considered');
  for (const f of rows[0].filters) t.match(explained, new RegExp(`RESULT.*\\b${f.plugin}\\b`), `filter column ${f.plugin}`);
  for (const s of rows.find((c) => c.scores.length)?.scores ?? []) {
    t.match(explained, new RegExp(`RESULT.*\\b${s.plugin}\\b`), `score column ${s.plugin}`);
  }
  t.match(explained, new RegExp(`Selected:\\s+${chosen}`));
  t.match(explained, new RegExp(`Not chosen:\\n  ${other}: `));
  const asJson = JSON.parse(await tmcctlOK(kc, ['placement', 'explain', 'web', '-o', 'json']));
  t.equal(asJson.metadata.name, 'web-1');
  t.equal(asJson.spec.revision, 1);

  // drain the chosen cluster: revision 2 moves the workload to the other one
  await tmcctlOK(kc, ['cluster', 'drain', chosen]);
  const second = await waitFor('revision 2', async () => (await decisions()).find((d) => d.spec.revision === 2));
  t.same(second.spec.selected.map((s: any) => s.clusterName), [other], 'moved to the other cluster');
  // The record is written before the placement's status names it current: wait for both.
  const currentRevision = async () => (await ws.get(WORKLOAD_PLACEMENTS, 'default', 'web') as any).status?.currentRevision;
  await waitFor('status names revision 2', async () => (await currentRevision()) === 2 || undefined);
  const explained2 = await tmcctlOK(kc, ['placement', 'explain', 'web', '--revision', '2']);
  t.comment(explained2);
  t.match(explained2, new RegExp(`^${chosen}\\s+rejected\\s.*FAIL`, 'm'), 'the drained cluster is rejected by a filter');
  t.match(explained2, new RegExp(`Not chosen:\\n  ${chosen}: \\w+: `), 'with the failing filter named');
  t.match(explained2, new RegExp(`Previous:\\s+${chosen}`));

  const history = await tmcctlOK(kc, ['placement', 'history', 'web']);
  t.comment(history);
  const hl = history.trimEnd().split('\n');
  t.match(hl[0], /^REVISION\s+TIME\s+TRIGGER\s+SELECTED$/);
  t.match(hl[1], new RegExp(`^1\\s+\\d{4}-\\d\\d-\\d\\dT\\S+\\s+\\w+\\s+${chosen}`));
  t.match(hl[2], new RegExp(`^2\\*\\s+\\S+\\s+\\w+\\s+${other}`), 'the current revision is starred');
  const histYaml = parse(await tmcctlOK(kc, ['placement', 'history', 'web', '-o', 'yaml']));
  t.same(histYaml.items.map((d: any) => d.spec.revision), [1, 2]);

  // rollback to 1: spec.pinnedRevision; the controller records a Rollback decision
  await tmcctlOK(kc, ['cluster', 'uncordon', chosen]);
  const rb = await tmcctlOK(kc, ['placement', 'rollback', 'web', '--to-revision', '1']);
  t.match(rb, new RegExp(`workloadplacement default/web pinned to revision 1: ${chosen}\\(\\d+\\)|${chosen}\\. Run`));
  t.equal((await ws.get(WORKLOAD_PLACEMENTS, 'default', 'web') as any).spec.pinnedRevision, 1);
  const rolled = await waitFor('a Rollback decision', async () => (await decisions()).find((d) => d.spec.trigger === 'Rollback'));
  t.same(rolled.spec.selected.map((s: any) => s.clusterName), [chosen], 'back on the first cluster');
  await waitFor('status names the Rollback revision', async () => (await currentRevision()) === rolled.spec.revision || undefined);
  t.match(await tmcctlOK(kc, ['placement', 'history', 'web']), /^1 \(pinned\)/m);
  t.match(await tmcctlOK(kc, ['placement', 'explain', 'web', '--revision', '1']), /pinned to revision 1/);
  t.match(rb, new RegExp(`^rolling back workloadplacement default/web from revision 2 \\(${other}[^)]*\\)\\) to revision 1: will apply ${chosen}`, 'm'), 'rollback says what it will apply first');
  t.match(await tmcctlOK(kc, ['placement', 'explain', 'web']), /^Rollback:\s+this decision is a rollback to revision 1/m, 'explain says the decision in effect is a rollback');

  const badRev = await tmcctl(kc, ['placement', 'rollback', 'web', '--to-revision', '99']);
  t.equal(badRev.code, 1);
  t.match(badRev.stderr, /has no revision 99; revisions: 1, 2/);
  t.equal((await tmcctl(kc, ['placement', 'rollback', 'web'])).code, 2, '--to-revision is required');
  t.equal((await tmcctl(kc, ['placement', 'rollback', 'web', '--to-revision', 'x'])).code, 2);
  t.equal((await tmcctl(kc, ['placement', 'explain', 'web', '--revision', '0'])).code, 2);

  t.match(await tmcctlOK(kc, ['placement', 'unpin', 'web']), /unpinned \(was revision 1\)/);
  t.equal((await ws.get(WORKLOAD_PLACEMENTS, 'default', 'web') as any).spec.pinnedRevision, undefined);
  t.match(await tmcctlOK(kc, ['placement', 'unpin', 'web']), /is not pinned/);
  t.match(await tmcctlOK(kc, ['wp', 'history', 'web', '-n', 'default']), /REVISION/, 'wp alias and -n');
});

t.test('a plugin that filters and scores gets a distinct score column', async (t) => {
  const wp: any = { metadata: { name: 'w', namespace: 'n' }, spec: {}, status: {} };
  const d: any = { metadata: { name: 'w-1' }, spec: { placementName: 'w', revision: 1, evaluation: encodeEvaluation([
    { clusterName: 'a', filters: [{ plugin: 'TaintToleration', passed: true }], scores: [{ plugin: 'TaintToleration', score: 100, weight: 1 }], total: 100 },
  ]), selected: [{ clusterName: 'a' }] } };
  const text = renderExplanation(wp, d);
  t.match(text, /CLUSTER\s+RESULT\s+TaintToleration\s+TaintToleration\(score\)\s+TOTAL\s+REPLICAS/);
  t.match(text, /^a\s+selected\s+pass\s+100×1\s+100\s+all$/m);
});

t.test('explain over many clusters: the chosen and the best others, rejections grouped; --all and --cluster', async (t) => {
  const wp: any = { metadata: { name: 'big', namespace: 'n' }, spec: {}, status: { phase: 'Scheduled', currentRevision: 1 } };
  const rows = Array.from({ length: 60 }, (_, i) => {
    const clusterName = `c${String(i).padStart(2, '0')}`;
    if (i % 3 === 0) return { clusterName, filters: [{ plugin: 'Ready', passed: false, reason: 'NotReady', message: 'no heartbeat' }], scores: [], total: 0 };
    return { clusterName, filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'Balance', score: i, weight: 1 }], total: i };
  });
  const d: any = { metadata: { name: 'big-1' }, spec: { placementName: 'big', revision: 1, evaluation: encodeEvaluation(rows), selected: [{ clusterName: 'c59' }, { clusterName: 'c58' }] } };
  const text = renderExplanation(wp, d);
  const tableRows = text.split('\n').filter((l) => /^c\d\d\s/.test(l)).map((l) => l.split(/\s+/)[0]);
  t.same(tableRows, ['c59', 'c58', 'c56', 'c55', 'c53', 'c52', 'c50', 'c49', 'c47', 'c46', 'c44', 'c43'], 'the chosen, then the 10 best feasible others');
  t.match(text, /Showing the 2 chosen and the 10 best other clusters of 60; --all shows every row/);
  t.match(text, /^ {2}20 × Ready: NotReady — no heartbeat: c00, c03, c06, c09, c12, … \(\+15\)$/m);
  t.match(text, /^ {2}38 × passed every filter, scored lower or not needed: c01, c02, c04, c05, c07, … \(\+33\)$/m);

  const all = renderExplanation(wp, d, { all: true });
  t.equal(all.split('\n').filter((l) => /^c\d\d\s/.test(l)).length, 60, '--all: every row');
  t.match(all, /^ {2}c00: Ready: NotReady — no heartbeat$/m, '--all: one line per cluster');

  const one = renderExplanation(wp, d, { clusters: ['c03', 'nope'] });
  t.same(one.split('\n').filter((l) => /^c\d\d\s/.test(l)).map((l) => l.split(/\s+/)[0]), ['c03']);
  t.match(one, /Not considered by this decision: nope/);
  t.match(one, /^ {2}c03: Ready: NotReady — no heartbeat$/m);
});

t.test('explain a bounded record (over 100 clusters): counts from the record, unlisted clusters named as such', async (t) => {
  const wp: any = { metadata: { name: 'huge', namespace: 'n' }, spec: {}, status: { phase: 'Scheduled', currentRevision: 1 } };
  const rows = Array.from({ length: 300 }, (_, i) => {
    const clusterName = `c${String(i).padStart(3, '0')}`;
    if (i % 3 === 0) return { clusterName, filters: [{ plugin: 'Ready', passed: false, reason: 'NotReady', message: 'no heartbeat' }], scores: [], total: 0 };
    return { clusterName, filters: [{ plugin: 'Ready', passed: true }], scores: [{ plugin: 'Balance', score: i, weight: 1 }], total: i, selected: i >= 298 };
  });
  const d: any = { metadata: { name: 'huge-1' }, spec: { placementName: 'huge', revision: 1, evaluation: encodeEvaluation(rows), selected: [{ clusterName: 'c299' }, { clusterName: 'c298' }] } };
  const text = renderExplanation(wp, d);
  t.match(text, /Showing the 2 chosen and the 10 best other clusters of 300; --all shows the \d+ the record lists/);
  t.match(text, /^ {2}100 × Ready: NotReady — no heartbeat: c000, c003, c006, c009, c012, … \(\+95\)$/m, 'the verdict count, not the listed names');
  t.match(text, /^ {2}198 × passed every filter, scored lower or not needed: c296, c295, c293, c292, c290, … \(\+193\)$/m, 'feasible beyond the chosen, from the count');
  const one = renderExplanation(wp, d, { clusters: ['c001'] });
  t.match(one, /Not listed in this decision's record: c001 \(over 300 clusters the record keeps the chosen/);
  t.notMatch(one, /Not considered/);
});
