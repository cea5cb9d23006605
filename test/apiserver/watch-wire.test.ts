/**
 * Watch events are framed once per event and written to every watcher's socket as-is
 * (handlers/watch.ts). These check what a client reads off the wire: every watcher gets every
 * event intact and in order (multi-byte UTF-8, a body larger than a TLS record, a filtered
 * watcher beside unfiltered ones), and the chunked stream ends with a proper terminator.
 */
import t from 'tap';
import https from 'node:https';
import { frameChunk } from '../../src/apiserver/handlers/watch.js';
import { openWatch, request, type Creds } from '../helpers/http.js';
import { startServer } from '../helpers/tmc.js';
import { waitFor } from '../helpers/wait.js';

const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

t.test('frameChunk: size in hex is the UTF-8 byte length', async (t) => {
  const line = '{"a":"ü€😀"}\n';
  const chunk = frameChunk(line).toString('utf8');
  const bytes = Buffer.byteLength(line);
  t.equal(chunk, `${bytes.toString(16)}\r\n${line}\r\n`);
  t.not(bytes, line.length, 'the sample has multi-byte characters');
});

t.test('watch fan-out on the wire', async (t) => {
  const srv = await startServer(t);
  const admin: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const api = (method: string, path: string, body?: unknown) => request(srv.url, admin, method, path, body);
  const rv0 = (await api('GET', CM)).json.metadata.resourceVersion;

  const all = Array.from({ length: 5 }, () => openWatch(srv.url, admin, `${CM}?watch=true&resourceVersion=${rv0}`));
  const onlyB = openWatch(srv.url, admin, `${CM}?watch=true&resourceVersion=${rv0}&fieldSelector=metadata.name%3Dw-b`);
  for (const w of [...all, onlyB]) t.equal(await w.status, 200);

  const big = 'ß'.repeat(40_000); // 80 000 bytes: several TLS records, a 5-digit hex chunk size
  await api('POST', CM, { metadata: { name: 'w-a' }, data: { text: 'ü€😀 grüße' } });
  await api('POST', CM, { metadata: { name: 'w-b' }, data: { big } });
  await api('DELETE', `${CM}/w-a`);
  for (const w of all) await waitFor('three events on every watcher', () => w.events.length >= 3, { timeoutMs: 10_000 });
  for (const w of all) {
    t.same(w.events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w-a'], ['ADDED', 'w-b'], ['DELETED', 'w-a']]);
    t.equal(w.events[0].object.data.text, 'ü€😀 grüße');
    t.ok(w.events[1].object.data.big === big, 'the large multi-byte value intact');
  }
  await waitFor('the filtered watcher sees w-b', () => onlyB.events.length >= 1, { timeoutMs: 10_000 });
  t.same(onlyB.events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w-b']]);
  for (const w of [...all, onlyB]) w.stop();

  await t.test('a timed-out stream ends with the chunked terminator (the response is complete, not cut off)', async (t) => {
    const rv = (await api('GET', CM)).json.metadata.resourceVersion;
    const done = new Promise<{ complete: boolean; text: string }>((resolve, reject) => {
      https.get(new URL(`${CM}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`, srv.url), { ca: admin.caPem, cert: admin.certPem, key: admin.keyPem }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { text += c; });
        res.on('close', () => resolve({ complete: res.complete, text }));
      }).on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 200));
    await api('POST', CM, { metadata: { name: 'w-c' } });
    const { complete, text } = await done;
    t.ok(complete, 'the stream ended with its terminating chunk');
    t.same(text.trim().split('\n').map((l) => JSON.parse(l)).map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w-c']]);
  });
});
