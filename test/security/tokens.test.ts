import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticTokenFile, TokenRegistry, hashToken, parseTokenFile } from '../../src/security/tokens.js';

t.test('token file: kube CSV format', async (t) => {
  const m = parseTokenFile([
    'tok1,alice,uid-a,"system:masters,dev"',
    '',
    'tok2, bob ,uid-b',
    'tok3,carol,uid-c,single',
    '"tok,4",dave,uid-d,"a, b"',
    'tok5,erin,uid-e,"quoted ""x""",extra-column',
  ].join('\n'));
  t.same(m.get('tok1'), { name: 'alice', uid: 'uid-a', groups: ['system:masters', 'dev'] });
  t.same(m.get('tok2'), { name: 'bob ', uid: 'uid-b', groups: [] }, 'leading spaces trimmed, trailing kept (Go csv)');
  t.same(m.get('tok3')?.groups, ['single']);
  t.same(m.get('tok,4'), { name: 'dave', uid: 'uid-d', groups: ['a', 'b'] });
  t.same(m.get('tok5')?.groups, ['quoted "x"']);
  t.equal(m.size, 5);
});

t.test('token file: errors name the line', async (t) => {
  t.throws(() => parseTokenFile('ok,u,1\nonly,two', 'tokens.csv'), /tokens\.csv:2: want at least 3 fields/);
  t.throws(() => parseTokenFile(',u,1'), /empty token/);
  t.throws(() => parseTokenFile('t,,1'), /empty user/);
  t.throws(() => parseTokenFile('"t,u,1'), /unterminated/);
});

t.test('StaticTokenFile.fromFile adds system:authenticated; later duplicates win', async (t) => {
  const f = join(mkdtempSync(join(tmpdir(), 'tmc-tok-')), 'tokens.csv');
  writeFileSync(f, 'abc,first,1\nabc,second,2,g\n');
  const s = StaticTokenFile.fromFile(f);
  t.equal(s.size, 1);
  t.same(s.verify('abc'), { name: 'second', uid: '2', groups: ['g', 'system:authenticated'] });
  t.equal(s.verify('abd'), undefined);
});

t.test('TokenRegistry: issue, verify, revoke, expiry', async (t) => {
  const r = new TokenRegistry();
  const a = r.issue('agent', ['tmc:syncers'], { uid: 'x' });
  const b = r.issue('agent', []);
  t.match(a, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  t.not(a, b);
  t.same(r.verify(a), { name: 'agent', uid: 'x', groups: ['tmc:syncers', 'system:authenticated'] });
  t.equal(r.verify(a.slice(0, -1) + (a.endsWith('A') ? 'B' : 'A')), undefined);
  t.equal(r.verify(''), undefined);
  t.equal(r.revokeUser('agent'), 2);
  t.equal(r.verify(b), undefined);

  const short = r.issue('brief', [], { ttlSeconds: -1 });
  t.equal(r.verify(short), undefined, 'expired token rejected');
  t.equal(r.size, 0, 'and forgotten');
  t.throws(() => r.issue(''));
});

t.test('TokenRegistry keeps only hashes; a snapshot restores without the tokens', async (t) => {
  const r = new TokenRegistry();
  const tok = r.issue('agent', ['g']);
  const snap = r.snapshot();
  t.equal(snap.length, 1);
  t.equal(snap[0].hash, hashToken(tok));
  t.notOk(JSON.stringify(snap).includes(tok), 'snapshot never contains the token');
  t.notOk(JSON.stringify([...Object.values(r)]).includes(tok), 'nor does the registry');
  const r2 = new TokenRegistry();
  r2.restore(JSON.parse(JSON.stringify(snap)));
  t.equal(r2.verify(tok)?.name, 'agent');
  t.throws(() => r2.restore([{ hash: 'nothex', user: 'u', groups: [] }]), /malformed/);
});
