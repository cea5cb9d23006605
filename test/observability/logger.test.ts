import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      raw.push(chunk.toString());
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, raw, logger: createLogger({ level: 'debug', destination }) };
}

t.test('credentials never reach the log', async (t) => {
  const { lines, raw, logger } = capture();
  const bearer = 'Bearer sup3r-s3cret-t0ken';
  logger.info({ req: { method: 'GET', url: '/api', headers: { authorization: bearer, 'user-agent': 'kubectl' } } }, 'request');
  logger.info({ token: 'tok-123', user: 'alice' }, 'minted');
  logger.child({ component: 'syncer' }).warn({ creds: { token: 'tok-456', keyPem: '-----BEGIN PRIVATE KEY-----' } }, 'cluster creds');
  logger.info({ secret: { data: { password: 'aHVudGVyMg==' } } }, 'secret');
  await new Promise((r) => setImmediate(r));

  const all = raw.join('');
  for (const s of ['sup3r-s3cret-t0ken', 'tok-123', 'tok-456', 'BEGIN PRIVATE KEY', 'aHVudGVyMg==']) {
    t.notOk(all.includes(s), `${s} not logged`);
  }
  t.equal(lines.length, 4);
  const req = (lines[0].req as { headers: Record<string, string> }).headers;
  t.equal(req.authorization, '[redacted]');
  t.equal(req['user-agent'], 'kubectl', 'harmless fields kept');
  t.equal(lines[1].token, '[redacted]');
  t.equal(lines[1].user, 'alice');
  t.equal(lines[2].component, 'syncer');
  t.same(lines[2].creds, { token: '[redacted]', keyPem: '[redacted]' });
});
