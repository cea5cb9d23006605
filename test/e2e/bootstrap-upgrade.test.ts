/**
 * A data directory made by an older version: at start the server brings its APIExports up to what
 * this version ships, as kcp's bootstrap updates the objects it ships (unless they carry
 * bootstrap.kcp.io/create-only). The case that needed it: the TMC export's `events` claim, added
 * after data directories existed without it. And the schemas: immutable, so a release that changes
 * one ships it under a new (content-hashed) name and the export points there.
 */
import t from 'tap';
import { kubectl, kubectlOK, startServer, tempDir } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

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

t.test('an upgrade serves the new TMC schema: fields added since are kept, not pruned', async (t) => {
  const dataDir = tempDir(t);
  const start = () => startServer(t, { storage: 'sqlite', dataDir });
  type Srv = { kubeconfigPath: string; url: string };
  const at = (srv: Srv, path: string) => ({ server: `${srv.url}/clusters/${path}` });
  const get = async (srv: Srv, path: string, ...what: string[]) => JSON.parse(await kubectlOK(srv.kubeconfigPath, ['get', ...what, '-o', 'json'], at(srv, path)));
  const decision = (name: string) => JSON.stringify({
    apiVersion: 'tmc.kcp.io/v1alpha1', kind: 'PlacementDecision', metadata: { name, namespace: 'default' },
    spec: { placementName: 'web', revision: 1, evaluation: { considered: 300, feasible: 120 } },
  });
  // written as the placement controller writes (no field validation asked): an unknown field is pruned silently
  const writeDecision = async (srv: Srv, name: string) =>
    JSON.parse(await kubectlOK(srv.kubeconfigPath, ['create', '--validate=false', '-f', '-', '-o', 'json'], { ...at(srv, 'root:consumer'), input: decision(name) }));
  const boundSchema = async (srv: Srv) => ((await get(srv, 'root:consumer', 'apibinding', 'tmc')).status?.boundResources ?? [])
    .find((r: { resource: string }) => r.resource === 'placementdecisions')?.schema?.name as string | undefined;

  const first = await start();
  const shipped = (await get(first, 'root:tmc', 'apiexports.v1alpha1.apis.kcp.io', 'tmc.kcp.io')).spec.latestResourceSchemas as string[];
  const current = shipped.find((n) => n.endsWith('.placementdecisions.tmc.kcp.io'))!;
  t.match(current, /^v[0-9a-f]{8}\.placementdecisions\.tmc\.kcp\.io$/, 'shipped under a content-hashed name');

  // what an older version left in root:tmc: its schema (without spec.evaluation.feasible, under the
  // fixed name it used), the export pointing there, and no schema of this version
  const older = await get(first, 'root:tmc', 'apiresourceschema', current);
  delete older.spec.versions[0].schema.properties.spec.properties.evaluation.properties.feasible;
  const olderName = 'v1alpha1.placementdecisions.tmc.kcp.io';
  await kubectlOK(first.kubeconfigPath, ['create', '-f', '-'], { ...at(first, 'root:tmc'), input: JSON.stringify({ apiVersion: older.apiVersion, kind: older.kind, metadata: { name: olderName }, spec: older.spec }) });
  const at_ = shipped.indexOf(current);
  await kubectlOK(first.kubeconfigPath, ['patch', 'apiexports.v1alpha1.apis.kcp.io', 'tmc.kcp.io', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: `/spec/latestResourceSchemas/${at_}`, value: olderName }])], at(first, 'root:tmc'));
  await kubectlOK(first.kubeconfigPath, ['delete', 'apiresourceschema', current], at(first, 'root:tmc'));

  // a consumer bound then: the older schema prunes the field
  await kubectlOK(first.kubeconfigPath, ['create', '-f', '-'], { input: 'apiVersion: tenancy.kcp.io/v1alpha1\nkind: Workspace\nmetadata: {name: consumer}\n' });
  await waitFor('workspace consumer', async () => (await kubectl(first.kubeconfigPath, ['get', 'ns', 'default'], at(first, 'root:consumer'))).code === 0);
  await kubectlOK(first.kubeconfigPath, ['create', '-f', '-'], { ...at(first, 'root:consumer'), input: 'apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: tmc}\nspec:\n  reference: {export: {path: "root:tmc", name: tmc.kcp.io}}\n' });
  await waitFor('the binding to serve the older schema', async () => (await boundSchema(first)) === olderName);
  const before = await writeDecision(first, 'before');
  t.equal(before.spec.evaluation.considered, 300);
  t.equal(before.spec.evaluation.feasible, undefined, 'the older schema prunes spec.evaluation.feasible');
  await first.stop();

  const upgraded = await start();
  t.same((await get(upgraded, 'root:tmc', 'apiexports.v1alpha1.apis.kcp.io', 'tmc.kcp.io')).spec.latestResourceSchemas, shipped, 'restarted: the export lists the new names');
  t.ok(await get(upgraded, 'root:tmc', 'apiresourceschema', current), 'the new schema is created');
  await waitFor('the binding to serve the new schema', async () => (await boundSchema(upgraded)) === current);
  const after = await writeDecision(upgraded, 'after');
  t.equal(after.spec.evaluation.feasible, 120, 'the new field is kept');
  t.equal((await get(upgraded, 'root:consumer', '-n', 'default', 'placementdecision', 'after')).spec.evaluation.feasible, 120, 'and read back');
  t.equal((await get(upgraded, 'root:consumer', '-n', 'default', 'placementdecision', 'before')).spec.evaluation.considered, 300, 'what was stored before is still served');
  await upgraded.stop();
});
