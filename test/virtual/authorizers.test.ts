import t from 'tap';
import {
  type AccessCheck, defaultExportAuthorizer, defaultSyncAuthorizer, rbacExportAuthorizer, rbacSyncAuthorizer, syncerUserName,
} from '../../src/virtual/authorizers.js';

const exp = { exportCluster: 'root:compute', exportName: 'kubernetes', verb: 'watch' };
const sync = { workspace: 'root:c1', name: 'west', verb: 'sync' as const };

t.test('APIExport content: masters and TMC controllers only, denied like kcp', async (t) => {
  t.doesNotThrow(() => defaultExportAuthorizer({ name: 'admin', groups: ['system:masters'] }, exp));
  t.doesNotThrow(() => defaultExportAuthorizer({ name: 'ctl', groups: ['system:tmc:controllers'] }, exp));
  t.throws(() => defaultExportAuthorizer({ name: 'alice', groups: ['system:authenticated'] }, exp), {
    code: 403, reason: 'Forbidden',
    message: 'apiexports.apis.kcp.io "kubernetes" is forbidden: User "alice" cannot watch resource "apiexports/content" in API group "apis.kcp.io" in the workspace "root:compute"',
  });
});

t.test('sync: masters, and a pull agent only for its own registration', async (t) => {
  t.doesNotThrow(() => defaultSyncAuthorizer({ name: 'admin', groups: ['system:masters'] }, sync));
  t.doesNotThrow(() => defaultSyncAuthorizer({ name: syncerUserName('root:c1', 'west'), groups: ['system:tmc:syncers'] }, sync));
  t.doesNotThrow(() => defaultSyncAuthorizer({ name: 'legacy-agent', groups: ['system:tmc:syncers'] }, sync), 'names outside the convention are not tied to one registration');
  t.throws(() => defaultSyncAuthorizer({ name: syncerUserName('root:c1', 'east'), groups: ['system:tmc:syncers'] }, sync), { code: 403, message: /cannot sync resource "clusterregistrations"/ });
  t.throws(() => defaultSyncAuthorizer({ name: syncerUserName('root:c1', 'west'), groups: [] }, sync), { code: 403 });
});

t.test('with RBAC: the fixed rules answer first, then the access check in the right workspace', async (t) => {
  const asked: unknown[] = [];
  const grants = new Set(['bob']);
  const allows: AccessCheck = async (user, a) => {
    asked.push({ user: user.name, ...a });
    return grants.has(user.name);
  };
  const exports = rbacExportAuthorizer(allows);
  const syncers = rbacSyncAuthorizer(allows);
  await exports({ name: 'admin', groups: ['system:masters'] }, exp);
  await syncers({ name: syncerUserName('root:c1', 'west'), groups: ['system:tmc:syncers'] }, sync);
  t.same(asked, [], 'masters and an agent for its own registration need no policy lookup');

  await exports({ name: 'bob', groups: [] }, exp);
  await syncers({ name: 'bob', groups: [] }, sync);
  t.same(asked, [
    { user: 'bob', cluster: 'root:compute', verb: 'watch', apiGroup: 'apis.kcp.io', resource: 'apiexports', subresource: 'content', name: 'kubernetes' },
    { user: 'bob', cluster: 'root:c1', verb: 'sync', apiGroup: 'tmc.kcp.io', resource: 'clusterregistrations', name: 'west' },
  ], 'kcp\'s checks: apiexports/content in the export\'s workspace, sync on the registration in its workspace');

  await t.rejects(async () => exports({ name: 'alice', groups: [] }, exp), { code: 403, message: /User "alice" cannot watch resource "apiexports\/content"/ });
  await t.rejects(async () => syncers({ name: 'alice', groups: [] }, sync), { code: 403, message: /User "alice" cannot sync resource "clusterregistrations"/ });
});
