import t from 'tap';
import { forbiddenError, forbiddenMessage } from '../../src/security/forbidden.js';
import { apiExportBind, clusterSync, workspaceAccess } from '../../src/security/kcp-verbs.js';
import { PolicyIndex, RBACAuthorizer, evaluate } from '../../src/security/rbac.js';
import type { Attributes, RBACObjects } from '../../src/security/rbac-rules.js';

const policy: RBACObjects = {
  clusterRoles: [
    { metadata: { name: 'view' }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['*'] }] },
    { metadata: { name: 'secret-reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }] },
    { metadata: { name: 'health' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics/*'] }] },
    { metadata: { name: 'status-writer' }, rules: [{ verbs: ['update', 'patch'], apiGroups: ['apps'], resources: ['*/status'] }] },
    { metadata: { name: 'scaler' }, rules: [{ verbs: ['update'], apiGroups: ['apps'], resources: ['deployments/scale'] }] },
    { metadata: { name: 'everything' }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] },
    { metadata: { name: 'ws-access' }, rules: [{ verbs: ['access'], nonResourceURLs: ['/'] }] },
    { metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: ['kubernetes'] }] },
    { metadata: { name: 'syncer' }, rules: [{ verbs: ['sync'], apiGroups: ['tmc.kcp.io'], resources: ['clusterregistrations'], resourceNames: ['east'] }] },
    { metadata: { name: 'aggregate-edit', labels: { 'rbac.tmc.kcp.io/aggregate-to-edit': 'true' } },
      rules: [{ verbs: ['create'], apiGroups: ['example.com'], resources: ['widgets'] }] },
    { metadata: { name: 'edit' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.tmc.kcp.io/aggregate-to-edit': 'true' } }] },
      rules: [] },
  ],
  clusterRoleBindings: [
    { metadata: { name: 'viewers' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'viewers' }] },
    { metadata: { name: 'health' }, roleRef: { kind: 'ClusterRole', name: 'health' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] },
    { metadata: { name: 'sa-admin' }, roleRef: { kind: 'ClusterRole', name: 'everything' },
      subjects: [{ kind: 'ServiceAccount', name: 'robot', namespace: 'kube-system' }] },
    { metadata: { name: 'status' }, roleRef: { kind: 'ClusterRole', name: 'status-writer' }, subjects: [{ kind: 'User', name: 'statusbot' }] },
    { metadata: { name: 'access' }, roleRef: { kind: 'ClusterRole', name: 'ws-access' }, subjects: [{ kind: 'User', name: 'kcp-user' }] },
    { metadata: { name: 'bind' }, roleRef: { kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', name: 'kcp-user' }] },
    { metadata: { name: 'sync' }, roleRef: { kind: 'ClusterRole', name: 'syncer' }, subjects: [{ kind: 'User', name: 'syncer-east' }] },
    { metadata: { name: 'editors' }, roleRef: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'editor' }] },
    { metadata: { name: 'dangling' }, roleRef: { kind: 'ClusterRole', name: 'does-not-exist' }, subjects: [{ kind: 'User', name: 'ghost' }] },
  ],
  roles: [
    { metadata: { name: 'cm-writer', namespace: 'dev' }, rules: [{ verbs: ['create', 'update'], apiGroups: [''], resources: ['configmaps'] }] },
  ],
  roleBindings: [
    { metadata: { name: 'alice-cm', namespace: 'dev' }, roleRef: { kind: 'Role', name: 'cm-writer' }, subjects: [{ kind: 'User', name: 'alice' }] },
    { metadata: { name: 'alice-view', namespace: 'dev' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'alice' }] },
    { metadata: { name: 'dba-secret', namespace: 'dev' }, roleRef: { kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'User', name: 'dba' }] },
    { metadata: { name: 'alice-health', namespace: 'dev' }, roleRef: { kind: 'ClusterRole', name: 'health' }, subjects: [{ kind: 'User', name: 'alice' }] },
    { metadata: { name: 'sa-local', namespace: 'dev' }, roleRef: { kind: 'ClusterRole', name: 'everything' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] },
    { metadata: { name: 'scale', namespace: 'dev' }, roleRef: { kind: 'ClusterRole', name: 'scaler' }, subjects: [{ kind: 'User', name: 'alice' }] },
  ],
};

const index = new PolicyIndex(policy);
const auth = ['system:authenticated'];
type Row = [string, Partial<Attributes> & { user: string; verb: string }, boolean];

const rows: Row[] = [
  ['masters may do anything', { user: 'root', groups: ['system:masters'], verb: 'delete', resource: 'secrets', namespace: 'x' }, true],
  ['masters may use any path', { user: 'root', groups: ['system:masters'], verb: 'get', path: '/debug' }, true],
  ['unbound user is denied', { user: 'nobody', verb: 'get', resource: 'pods', namespace: 'dev' }, false],
  ['group via ClusterRoleBinding, wildcard resources', { user: 'bob', groups: ['viewers'], verb: 'list', resource: 'pods' }, true],
  ['…any namespace', { user: 'bob', groups: ['viewers'], verb: 'get', resource: 'configmaps', namespace: 'prod' }, true],
  ['…listed apiGroup only', { user: 'bob', groups: ['viewers'], verb: 'get', apiGroup: 'example.com', resource: 'widgets' }, false],
  ['…listed verbs only', { user: 'bob', groups: ['viewers'], verb: 'delete', resource: 'pods', namespace: 'dev' }, false],
  ['Role via RoleBinding in its namespace', { user: 'alice', verb: 'create', resource: 'configmaps', namespace: 'dev' }, true],
  ['…not in another namespace', { user: 'alice', verb: 'create', resource: 'configmaps', namespace: 'prod' }, false],
  ['…not cluster-wide', { user: 'alice', verb: 'create', resource: 'configmaps' }, false],
  ['ClusterRole via RoleBinding applies in that namespace', { user: 'alice', verb: 'list', apiGroup: 'apps', resource: 'deployments', namespace: 'dev' }, true],
  ['…and only there', { user: 'alice', verb: 'list', apiGroup: 'apps', resource: 'deployments', namespace: 'prod' }, false],
  ['resourceNames: the named object', { user: 'dba', verb: 'get', resource: 'secrets', name: 'db', namespace: 'dev' }, true],
  ['resourceNames: another object', { user: 'dba', verb: 'get', resource: 'secrets', name: 'other', namespace: 'dev' }, false],
  ['resourceNames: list (no name) is not granted', { user: 'dba', verb: 'list', resource: 'secrets', namespace: 'dev' }, false],
  ['resourceNames: another binding without names still grants', { user: 'alice', verb: 'get', resource: 'secrets', name: 'other', namespace: 'dev' }, true],
  ['resourceNames: a nameless request does not match', { user: 'x', groups: [], verb: 'sync', apiGroup: 'tmc.kcp.io', resource: 'clusterregistrations' }, false],
  ['wildcard resources include subresources', { user: 'bob', groups: ['viewers'], verb: 'get', resource: 'pods', subresource: 'log', namespace: 'dev' }, true],
  ['resource/subresource rule', { user: 'alice', verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'dev' }, true],
  ['…does not grant the parent', { user: 'alice', verb: 'update', apiGroup: 'apps', resource: 'deployments', namespace: 'dev' }, false],
  ['*/status grants every status', { user: 'statusbot', verb: 'patch', apiGroup: 'apps', resource: 'deployments', subresource: 'status', namespace: 'x' }, true],
  ['*/status grants no parent', { user: 'statusbot', verb: 'patch', apiGroup: 'apps', resource: 'deployments', namespace: 'x' }, false],
  ['nonResourceURL exact', { user: 'anyone', groups: auth, verb: 'get', path: '/healthz' }, true],
  ['nonResourceURL prefix*', { user: 'anyone', groups: auth, verb: 'get', path: '/metrics/cadvisor' }, true],
  ['nonResourceURL other path', { user: 'anyone', groups: auth, verb: 'get', path: '/healthzx' }, false],
  ['nonResourceURL wrong verb', { user: 'anyone', groups: auth, verb: 'post', path: '/healthz' }, false],
  ['nonResourceURLs via RoleBinding grant nothing', { user: 'alice', verb: 'get', path: '/healthz', namespace: 'dev' }, false],
  ['resource rules grant no paths', { user: 'bob', groups: ['viewers'], verb: 'get', path: '/api' }, false],
  ['ServiceAccount subject (explicit namespace)', { user: 'system:serviceaccount:kube-system:robot', verb: 'delete', apiGroup: 'x.io', resource: 'things' }, true],
  ['ServiceAccount subject defaults to the binding namespace', { user: 'system:serviceaccount:dev:builder', verb: 'create', resource: 'pods', namespace: 'dev' }, true],
  ['…a same-named SA elsewhere does not match', { user: 'system:serviceaccount:prod:builder', verb: 'create', resource: 'pods', namespace: 'dev' }, false],
  ['dangling roleRef grants nothing', { user: 'ghost', verb: 'get', resource: 'pods' }, false],
  ['aggregated ClusterRole', { user: 'editor', verb: 'create', apiGroup: 'example.com', resource: 'widgets', namespace: 'n' }, true],
  ['kcp access verb', workspaceAccess({ name: 'kcp-user', groups: [] }, 'root:org'), true],
  ['kcp access needs the grant', workspaceAccess({ name: 'bob', groups: ['viewers'] }, 'root:org'), false],
  ['kcp bind verb on the named export', apiExportBind({ name: 'kcp-user', groups: [] }, 'root:compute', 'kubernetes'), true],
  ['kcp bind on another export', apiExportBind({ name: 'kcp-user', groups: [] }, 'root:compute', 'other'), false],
  ['kcp sync verb', clusterSync({ name: 'syncer-east', groups: [] }, 'root:loc', 'east'), true],
  ['kcp sync for another cluster', clusterSync({ name: 'syncer-east', groups: [] }, 'root:loc', 'west'), false],
];

t.test('rule semantics', async (t) => {
  for (const [title, a, want] of rows) {
    const d = evaluate({ groups: [], cluster: 'root', ...a }, index);
    t.equal(d.allowed, want, title);
    if (want) t.ok(d.reason, `${title}: has a reason`);
    else t.equal(d.reason, '', `${title}: no reason on denial`);
  }
});

t.test('allowed reason names the binding as kube does', async (t) => {
  t.equal(evaluate({ user: 'alice', groups: [], cluster: 'c', verb: 'create', resource: 'configmaps', namespace: 'dev' }, index).reason,
    'RBAC: allowed by RoleBinding "alice-cm/dev" of Role "cm-writer" to User "alice"');
});

t.test('Forbidden messages are kube\'s, word for word', async (t) => {
  const base = { user: 'u', groups: [], cluster: 'root' };
  t.equal(forbiddenMessage({ ...base, verb: 'get', apiGroup: 'example.com', resource: 'widgets', namespace: 'default' }),
    'User "u" cannot get resource "widgets" in API group "example.com" in the namespace "default"');
  t.equal(forbiddenMessage({ ...base, verb: 'list', resource: 'nodes' }),
    'User "u" cannot list resource "nodes" in API group "" at the cluster scope');
  t.equal(forbiddenMessage({ ...base, verb: 'get', resource: 'pods', subresource: 'log', namespace: 'd' }),
    'User "u" cannot get resource "pods/log" in API group "" in the namespace "d"');
  t.equal(forbiddenMessage({ ...base, verb: 'get', path: '/metrics' }), 'User "u" cannot get path "/metrics"');

  const e = forbiddenError({ ...base, verb: 'get', apiGroup: 'example.com', resource: 'widgets', name: 'w1', namespace: 'default' });
  t.same(e.toStatus(), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
    message: 'widgets.example.com "w1" is forbidden: User "u" cannot get resource "widgets" in API group "example.com" in the namespace "default"',
    details: { name: 'w1', group: 'example.com', kind: 'widgets' },
  });
  t.equal(forbiddenError({ ...base, verb: 'list', resource: 'pods', namespace: 'x' }).message,
    'pods is forbidden: User "u" cannot list resource "pods" in API group "" in the namespace "x"');
  t.equal(forbiddenError({ ...base, verb: 'get', path: '/x' }).message, 'forbidden: User "u" cannot get path "/x"');
  t.equal(forbiddenError({ ...base, verb: 'get', path: '/x' }, 'because').message,
    'forbidden: User "u" cannot get path "/x": because');
});

t.test('authorizer: per-cluster policy, cache, invalidation', async (t) => {
  const loads: string[] = [];
  let grant = false;
  const authz = new RBACAuthorizer({
    ttlMs: 0,
    listRBAC: async (cluster) => {
      loads.push(cluster);
      if (cluster === 'root:broken') throw new Error('cache not synced');
      return cluster === 'root:a' || grant ? policy : {};
    },
  });
  const ask = (cluster: string) => authz.authorize({ user: 'bob', groups: ['viewers'], cluster, verb: 'get', resource: 'pods' });
  t.equal((await ask('root:a')).allowed, true);
  t.equal((await ask('root:b')).allowed, false, 'policy of one workspace does not leak into another');
  await Promise.all([ask('root:a'), ask('root:a'), ask('root:b')]);
  t.same(loads, ['root:a', 'root:b'], 'each cluster indexed once');

  grant = true;
  t.equal((await ask('root:b')).allowed, false, 'cached until invalidated');
  authz.invalidate('root:b');
  t.equal((await ask('root:b')).allowed, true, 'new policy after invalidate');
  authz.invalidate();
  await ask('root:a');
  t.same(loads, ['root:a', 'root:b', 'root:b', 'root:a']);

  await t.rejects(ask('root:broken'), /cache not synced/);
  await t.rejects(ask('root:broken'), /cache not synced/);
  t.equal(loads.filter((c) => c === 'root:broken').length, 2, 'failures are not cached');

  const masters = await authz.authorize({ user: 'x', groups: ['system:masters'], cluster: 'root:broken', verb: 'get', resource: 'pods' });
  t.equal(masters.allowed, true, 'system:masters needs no policy lookup');
});

t.test('authorizer: TTL safety net', async (t) => {
  let now = 1000;
  let n = 0;
  const authz = new RBACAuthorizer({ ttlMs: 50, now: () => now, listRBAC: () => { n++; return policy; } });
  const a: Attributes = { user: 'bob', groups: ['viewers'], cluster: 'c', verb: 'get', resource: 'pods' };
  await authz.authorize(a);
  now += 49;
  await authz.authorize(a);
  t.equal(n, 1);
  now += 1;
  await authz.authorize(a);
  t.equal(n, 2, 'reloaded after ttl');
});
