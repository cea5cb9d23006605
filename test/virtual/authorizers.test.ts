import t from 'tap';
import { defaultExportAuthorizer, defaultSyncAuthorizer, syncerUserName } from '../../src/virtual/authorizers.js';

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
