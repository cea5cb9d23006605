/**
 * Durability of the embedded sqlite store: concurrent writes, SIGKILL, restart on the same data
 * dir — every acknowledged write is still there.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { spawnServer, tempDir } from '../helpers/tmc.js';
import { readKubeconfigFile } from '../../src/security/kubeconfig.js';

t.test('acknowledged writes survive kill -9', async (t) => {
  const dataDir = tempDir(t);
  const first = await spawnServer(t, ['--storage', 'sqlite'], { dataDir });
  const kc = readKubeconfigFile(first.kubeconfigPath);
  const creds: Creds = { caPem: kc.caPem!, certPem: kc.certPem, keyPem: kc.keyPem };
  const acked: string[] = [];
  let stop = false;
  const writer = async (w: number) => {
    for (let i = 0; !stop; i++) {
      const name = `w${w}-${i}`;
      try {
        const r = await request(first.url, creds, 'POST', '/clusters/root/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { i: String(i) } });
        if (r.status === 201) acked.push(name);
      } catch {
        return; // connection died with the server
      }
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  await new Promise((r) => setTimeout(r, 1500));
  first.child.kill('SIGKILL');
  stop = true;
  await first.exited;
  await Promise.all(writers);
  t.ok(acked.length > 10, `acknowledged ${acked.length} writes before the kill`);

  const second = await spawnServer(t, ['--storage', 'sqlite'], { dataDir });
  const kc2 = readKubeconfigFile(second.kubeconfigPath);
  const creds2: Creds = { caPem: kc2.caPem!, certPem: kc2.certPem, keyPem: kc2.keyPem };
  const list = await request(second.url, creds2, 'GET', '/clusters/root/api/v1/namespaces/default/configmaps');
  t.equal(list.status, 200);
  const names = new Set(list.json.items.map((i: { metadata: { name: string } }) => i.metadata.name));
  const missing = acked.filter((n) => !names.has(n));
  t.same(missing, [], 'no acknowledged write is missing');
  // the revision counter continues above everything stored
  const rvs = list.json.items.map((i: { metadata: { resourceVersion: string } }) => Number(i.metadata.resourceVersion));
  const created = await request(second.url, creds2, 'POST', '/clusters/root/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-restart' } });
  t.equal(created.status, 201);
  t.ok(Number(created.json.metadata.resourceVersion) > Math.max(...rvs), 'revisions keep increasing after restart');
  await second.kill('SIGTERM');
});
