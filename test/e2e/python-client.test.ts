/**
 * The Python `kubernetes` client (Debian's python3-kubernetes, run by /usr/bin/python3) against a
 * workspace: watch from a resourceVersion with `watch=True`, server-side apply with
 * `force_conflicts=True`, and DynamicClient discovery.
 */
import t from 'tap';
import { execFile, execFileSync } from 'node:child_process';
import { startServer } from '../helpers/tmc.js';

const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import json, sys, threading
from kubernetes import client, config, watch
from kubernetes.dynamic import DynamicClient

config.load_kube_config(config_file=sys.argv[1])
core = client.CoreV1Api()
out = {}

# watch=True from a resourceVersion: only what happened after it
listed = core.list_namespaced_config_map('default')
rv = listed.metadata.resource_version
core.create_namespaced_config_map('default', {'metadata': {'name': 'after-rv'}, 'data': {'a': '1'}})
events = []
w = watch.Watch()
for ev in w.stream(core.list_namespaced_config_map, 'default', resource_version=rv, timeout_seconds=5):
    events.append([ev['type'], ev['object'].metadata.name])
    if ev['object'].metadata.name == 'after-rv':
        w.stop()
out['watch'] = events

# DynamicClient discovery
dyn = DynamicClient(client.ApiClient())
cm = dyn.resources.get(api_version='v1', kind='ConfigMap')
out['discovery'] = [cm.name, cm.namespaced, sorted(cm.verbs)]

# server-side apply, a conflict, then force_conflicts=True
body = {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'ssa', 'namespace': 'default'}, 'data': {'k': 'one'}}
# python3-kubernetes 22 sends an apply patch only from text (JSON is YAML), so name the object too
apply = lambda **kw: dyn.server_side_apply(cm, body=json.dumps(body), name='ssa', namespace='default', **kw)
apply(field_manager='alpha')
body['data']['k'] = 'two'
try:
    apply(field_manager='beta')
    out['conflict'] = None
except client.exceptions.ApiException as e:
    out['conflict'] = [e.status, json.loads(e.body)['reason']]
forced = apply(field_manager='beta', force_conflicts=True)
out['forced'] = [forced.data.k, sorted(m.manager for m in forced.metadata.managedFields)]
print(json.dumps(out))
`;

function pythonClientMissing(): string | false {
  try {
    execFileSync(PYTHON, ['-c', 'import kubernetes'], { stdio: 'ignore' });
    return false;
  } catch {
    return `${PYTHON} cannot import kubernetes: run \`sudo bash hack/install-deps.sh\` (installs Debian's python3-kubernetes)`;
  }
}

t.test('python3-kubernetes', { skip: pythonClientMissing() }, async (t) => {
  const srv = await startServer(t);
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((res) => {
    const child = execFile(PYTHON, ['-', srv.kubeconfigPath], { timeout: 60_000 }, (err, so, se) =>
      res({ stdout: String(so), stderr: String(se), code: err ? 1 : 0 }));
    child.stdin!.end(SCRIPT);
  });
  t.equal(code, 0, stderr);
  const out = JSON.parse(stdout.trim().split('\n').pop()!);
  t.same(out.watch, [['ADDED', 'after-rv']], 'watch=True from the list\'s resourceVersion streams only the later create');
  t.same(out.discovery, ['configmaps', true, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']]);
  t.same(out.conflict, [409, 'Conflict'], 'another manager\'s field is a conflict');
  t.same(out.forced, ['two', ['beta']], 'force_conflicts=True takes the field over');
});
