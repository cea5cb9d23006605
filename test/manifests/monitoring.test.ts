/**
 * manifests/monitoring: the alert rules pass `promtool check rules` and their unit tests
 * (`promtool test rules`), every alert has a firing test case, and every metric a dashboard or a
 * rule queries is one tmc-server exports (so a renamed metric cannot leave a dead panel or an
 * alert that never fires).
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { DIST_ROOT, startServer } from '../helpers/tmc.js';
import { request } from '../helpers/http.js';

const MONITORING = join(resolve(DIST_ROOT, '..'), 'manifests', 'monitoring');
const run = promisify(execFile);
const promtoolMissing = await run('promtool', ['--version']).then(() => false, () => true);

interface Rule { alert?: string; record?: string; expr: string }
const rules: Rule[] = (parse(readFileSync(join(MONITORING, 'alerts.yaml'), 'utf8')).groups as Array<{ rules: Rule[] }>).flatMap((g) => g.rules);
const dashboards = readdirSync(join(MONITORING, 'dashboards')).filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, json: JSON.parse(readFileSync(join(MONITORING, 'dashboards', f), 'utf8')) }));

t.test('promtool: the rules are valid and their unit tests pass', { skip: promtoolMissing && 'promtool not installed (hack/install-deps.sh with TMC_NEED_PROMTOOL=1)' }, async (t) => {
  const check = await run('promtool', ['check', 'rules', 'alerts.yaml'], { cwd: MONITORING });
  t.match(check.stdout, /SUCCESS: \d+ rules found/);
  const tests = await run('promtool', ['test', 'rules', 'alerts.test.yaml'], { cwd: MONITORING }).catch((e) => e);
  t.equal(tests.code ?? 0, 0, `promtool test rules: ${tests.stdout}${tests.stderr}`);
  t.match(tests.stdout, /SUCCESS/);
});

t.test('every alert has a unit test in which it fires', async (t) => {
  const tests = parse(readFileSync(join(MONITORING, 'alerts.test.yaml'), 'utf8')).tests as Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
  const firing = new Set(tests.flatMap((c) => c.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname));
  const alerts = rules.filter((r) => r.alert).map((r) => r.alert!);
  t.ok(alerts.length >= 6, 'cluster NotReady, sync lag, placement failures, error ratio, leader changes, etcd unreachable');
  for (const a of alerts) t.ok(firing.has(a), `${a} is tested firing`);
});

t.test('the dashboards are overview, API server, placement and sync, each with queries', async (t) => {
  t.same(dashboards.map((d) => d.json.uid).sort(), ['tmc-apiserver', 'tmc-overview', 'tmc-placement', 'tmc-sync']);
  for (const d of dashboards) t.ok(exprsOf(d.json).length >= 5, `${d.file} has panels with queries`);
});

t.test('every metric a dashboard or rule queries is exported by tmc-server', async (t) => {
  const server = await startServer(t);
  const creds = { caPem: server.pki.ca.certPem, certPem: server.pki.admin.certPem, keyPem: server.pki.admin.keyPem };
  const text = (await request(server.url, creds, 'GET', '/metrics')).text;
  const types = new Map([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]));
  t.ok(types.size > 20, 'the server exports metrics');
  const exported = (name: string) => {
    if (types.has(name)) return true;
    const base = name.replace(/_(bucket|sum|count)$/, '');
    return base !== name && (types.get(base) === 'histogram' || types.get(base) === 'summary');
  };
  const queried = new Map<string, string>();
  for (const r of rules) for (const m of metricNames(r.expr)) queried.set(m, `alerts.yaml ${r.alert ?? r.record}`);
  for (const d of dashboards) for (const e of exprsOf(d.json)) for (const m of metricNames(e)) queried.set(m, `dashboards/${d.file}`);
  t.ok(queried.size >= 15, `queries name ${queried.size} metrics`);
  for (const [m, where] of queried) t.ok(exported(m), `${m} (${where}) is exported`);
});

function exprsOf(dashboard: { panels?: Array<{ targets?: Array<{ expr?: string }> }>; templating?: { list?: Array<{ query?: unknown }> } }): string[] {
  const fromPanels = (dashboard.panels ?? []).flatMap((p) => (p.targets ?? []).map((x) => x.expr ?? ''));
  const fromVars = (dashboard.templating?.list ?? []).map((v) => /^label_values\((\w+)/.exec(String(v.query ?? ''))?.[1]).filter((x): x is string => !!x);
  return [...fromPanels, ...fromVars].filter(Boolean);
}

const PROMQL_WORDS = new Set([
  'sum', 'min', 'max', 'avg', 'count', 'topk', 'bottomk', 'quantile', 'stddev', 'rate', 'irate', 'increase', 'delta',
  'changes', 'resets', 'histogram_quantile', 'absent', 'abs', 'clamp_min', 'clamp_max', 'label_replace', 'vector',
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset',
]);

/** Metric names in a PromQL expression: identifiers left once strings, matchers, ranges and grouping labels are gone. */
export function metricNames(expr: string): string[] {
  const stripped = expr.replace(/"[^"]*"/g, '').replace(/\{[^}]*\}/g, ' ').replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w));
}
