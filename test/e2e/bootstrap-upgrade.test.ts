/**
 * A data directory made by an older version: at start the server brings its APIExports up to what
 * this version ships, as kcp's bootstrap updates the objects it ships (unless they carry
 * bootstrap.kcp.io/create-only). The case that needed it: the TMC export's `events` claim, added
 * after data directories existed without it.
 */
import t from 'tap';
import { kubectlOK, startServer, tempDir } from '../helpers/tmc.js';

interface Claim { group: string; resource: string }
interface Export { metadata: { generation: number; annotations?: Record<string, string> }; spec: { permissionClaims: Claim[] } }

t.test('the TMC export gets the claims added since its data directory was made', async (t) => {
  const dataDir = tempDir(t);
  const start = () => startServer(t, { storage: 'sqlite', dataDir });
  const exportOf = async (srv: { kubeconfigPath: string; url: string }): Promise<Export> =>
    JSON.parse(await kubectlOK(srv.kubeconfigPath, ['get', 'apiexport', 'tmc.kcp.io', '-o', 'json'], { server: `${srv.url}/clusters/root:tmc` }));
  const eventsAt = (ex: Export) => ex.spec.permissionClaims.findIndex((c) => c.group === '' && c.resource === 'events');
  // what an older version stored: the export without its events claim
  const dropEvents = async (srv: { kubeconfigPath: string; url: string }) => {
    const at = eventsAt(await exportOf(srv));
    t.ok(at >= 0, 'this version ships the events claim');
    await kubectlOK(srv.kubeconfigPath, ['patch', 'apiexport', 'tmc.kcp.io', '--type=json', '-p', JSON.stringify([{ op: 'remove', path: `/spec/permissionClaims/${at}` }])], { server: `${srv.url}/clusters/root:tmc` });
    t.equal(eventsAt(await exportOf(srv)), -1, 'the stored export lacks it');
  };

  const first = await start();
  const shipped = await exportOf(first);
  await first.stop();

  const again = await start();
  t.equal((await exportOf(again)).metadata.generation, shipped.metadata.generation, 'a current export is not rewritten at start');
  await dropEvents(again);
  await again.stop();

  const second = await start();
  const upgraded = await exportOf(second);
  t.ok(eventsAt(upgraded) >= 0, 'restarted: the events claim is back');
  // an admin who wants their own export kept says so, as in kcp
  await kubectlOK(second.kubeconfigPath, ['annotate', 'apiexport', 'tmc.kcp.io', 'bootstrap.kcp.io/create-only='], { server: `${second.url}/clusters/root:tmc` });
  await dropEvents(second);
  const kept = await exportOf(second);
  await second.stop();

  const third = await start();
  const after = await exportOf(third);
  t.equal(eventsAt(after), -1, 'create-only: the stored export is left as it is');
  t.equal(after.metadata.generation, kept.metadata.generation, 'its spec not written at all');
});
