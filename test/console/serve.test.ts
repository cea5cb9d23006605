/**
 * /console/ is served by tmc-server without credentials, with a Content-Security-Policy that keeps
 * the page on this origin; the API it calls still needs a token; an unbuilt console says how to
 * build it.
 */
import t from 'tap';
import express from 'express';
import http from 'node:http';
import { registerConsole, CONSOLE_CSP } from '../../src/console/serve.js';
import { request } from '../helpers/http.js';
import { startServer, tempDir } from '../helpers/tmc.js';

t.test('the console is served anonymously; the API is not', async (t) => {
  const srv = await startServer(t);
  const anon = { caPem: srv.pki.ca.certPem };
  const page = await request(srv.url, anon, 'GET', '/console/');
  t.equal(page.status, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.text, /<script type="module" src="app.js">/);
  t.equal(page.headers['content-security-policy'], CONSOLE_CSP);
  t.match(CONSOLE_CSP, /connect-src 'self'/);
  t.equal(page.headers['x-content-type-options'], 'nosniff');
  const js = await request(srv.url, anon, 'GET', '/console/app.js');
  t.equal(js.status, 200);
  t.match(js.headers['content-type'], /javascript/);
  t.notMatch(js.text, /https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i, 'the bundle names no other host to fetch from');
  const bare = await request(srv.url, anon, 'GET', '/console');
  t.equal(bare.status, 301, '/console redirects to /console/ (relative asset URLs)');
  t.equal(bare.headers.location, '/console/');
  t.equal((await request(srv.url, anon, 'GET', '/console/nope.js')).status, 404);
  t.equal((await request(srv.url, anon, 'GET', '/clusters/root/apis/tmc.kcp.io/v1alpha1/clusterregistrations')).status, 401, 'the API needs credentials');
  t.equal((await request(srv.url, anon, 'GET', '/consoles')).status, 401, 'only /console itself is anonymous');
  const token = srv.tokens.issue('viewer', []);
  t.equal((await request(srv.url, { ...anon, token }, 'GET', '/clusters/root/version')).status, 200, 'a token signs in (what the login form checks)');
});

t.test('an unbuilt console answers 503 with the fix', async (t) => {
  const app = express();
  registerConsole(app, tempDir(t));
  const plain = http.createServer(app);
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => { plain.close(); });
  const port = (plain.address() as { port: number }).port;
  const res = await fetch(`http://127.0.0.1:${port}/console/`);
  t.equal(res.status, 503);
  t.match(await res.text(), /npm run build/);
});
