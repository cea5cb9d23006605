/**
 * Pausing a simulated cluster, the documented way: SIGSTOP the cluster-mode process and it stops
 * answering (connections are accepted by the kernel but never served, like a hung API server);
 * SIGCONT and it answers again. Tests of TMC's health checks and retries rely on this.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { spawnServer } from '../helpers/tmc.js';

interface Kubeconfig { ca: string; cert: string; key: string }

function credsFrom(path: string): Kubeconfig {
  const text = readFileSync(path, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}:\\s*(\\S+)`).exec(text)![1], 'base64').toString('utf8');
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

/** GET with a client-side timeout: resolves with the status code, or 'timeout'. */
function getWithTimeout(url: string, c: Kubeconfig, timeoutMs: number): Promise<number | 'timeout'> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: c.ca, cert: c.cert, key: c.key, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => { req.destroy(); resolve('timeout'); });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
  });
}

t.test('a SIGSTOPped cluster does not answer; SIGCONT brings it back', { skip: process.platform === 'win32' ? 'POSIX signals' : false }, async (t) => {
  const srv = await spawnServer(t, ['--mode', 'cluster', '--storage', 'memory', '--nodes', '1']);
  const creds = credsFrom(srv.kubeconfigPath);
  t.equal(await getWithTimeout(`${srv.url}/version`, creds, 10_000), 200, 'answers while running');

  srv.child.kill('SIGSTOP');
  t.teardown(() => { if (srv.child.exitCode === null) srv.child.kill('SIGCONT'); });
  t.equal(await getWithTimeout(`${srv.url}/version`, creds, 1_000), 'timeout', 'no answer while stopped');

  srv.child.kill('SIGCONT');
  t.equal(await getWithTimeout(`${srv.url}/version`, creds, 10_000), 200, 'answers again after SIGCONT');
});
