/**
 * Test helper: runs a real `kubectl create ...` against a throwaway HTTPS server that answers just
 * enough (an empty discovery, the created object echoed back) and returns the request bodies
 * kubectl POSTed, with their content types. This is how we know our decoder reads what kubectl
 * actually sends, not only what our own test encoder writes.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export interface CapturedRequest { method: string; url: string; contentType: string; body: Buffer }

function selfSigned(): { key: string; cert: string } {
  // node:crypto makes the key (fast, native); forge only builds and signs the certificate.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3_600_000);
  const attrs = [{ name: 'commonName', value: '127.0.0.1' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(key, forge.md.sha256.create());
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}

/** Legacy discovery, just enough for kubectl's RESTMapper (`kubectl create role --resource=pods`). */
const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [] },
  '/api/v1': {
    kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources: [
      { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'get', 'list'] },
      { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['create', 'get', 'list'] },
    ],
  },
};

let tls: { key: string; cert: string } | undefined;

export function kubectlAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('kubectl', ['version', '--client'], (err) => resolve(!err)));
}

export interface KubectlRun { captured: CapturedRequest[]; stdout: string; stderr: string }

/**
 * Runs `kubectl <args> <extra>` against the capture server (extra goes before any `--`, so
 * `create job j --image=x -- cmd` works); resolves with every request that had a body and the
 * output. Use extra `--dry-run=server` to capture the POST, `--dry-run=client -o json` to get the
 * JSON kubectl itself would have sent.
 */
export async function runKubectl(args: string[], extra: string[]): Promise<KubectlRun> {
  tls ??= selfSigned();
  const captured: CapturedRequest[] = [];
  const server = https.createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.length > 0) {
        captured.push({ method: req.method ?? '', url: req.url ?? '', contentType: String(req.headers['content-type'] ?? ''), body });
      }
      res.setHeader('Content-Type', 'application/json');
      if (req.method === 'POST') {
        // kubectl only prints the reply; a minimal object of the right kind satisfies it.
        res.statusCode = 201;
        res.end(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
        return;
      }
      const discovery = DISCOVERY[(req.url ?? '').split('?')[0]];
      if (req.method === 'GET' && discovery) {
        res.end(JSON.stringify(discovery));
        return;
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), 'tmc-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    `clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: u, user: {token: test-token}}]',
    'contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]',
  ].join('\n'));
  try {
    const dash = args.indexOf('--');
    const flags = [...extra, '--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
    const argv = dash < 0 ? [...args, ...flags] : [...args.slice(0, dash), ...flags, ...args.slice(dash)];
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile('kubectl', argv, { timeout: 20_000, env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } },
        (_err, stdout, stderr) => resolve({ stdout, stderr }));
    });
    return { captured, stdout, stderr };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
