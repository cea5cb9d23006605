/**
 * Logs a person can read: text (pino-pretty) or json; each key once per line; errors with their
 * stable reason, and a stack only where it helps; the real server's start-up at debug level has
 * no line with a repeated key.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/observability/logger.js';
import { conflict } from '../../src/errors/status.js';
import { SERVER_BIN, tempDir } from '../helpers/tmc.js';

function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += chunk; done(); } });
  return { stream, lines: () => text.split('\n').filter(Boolean) };
}

/** Top-level keys that occur more than once in one JSON object text (JSON.parse keeps the last silently). */
export function duplicateKeys(line: string): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      const str = line.slice(i + 1, j);
      let k = j + 1;
      while (line[k] === ' ') k++;
      if (depth === 1 && line[k] === ':') {
        if (seen.has(str)) dups.push(str);
        seen.add(str);
      }
      i = j;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return dups;
}

t.test('json: a binding repeated by a child or a log call is written once', async (t) => {
  const out = capture();
  const log = createLogger({ format: 'json', destination: out.stream });
  const child = log.child({ controller: 'workloadplacement' }).child({ controller: 'workloadplacement', workers: 2 });
  child.info({ controller: 'workloadplacement', key: 'a' }, 'controller started');
  const [line] = out.lines();
  t.same(duplicateKeys(line), [], line);
  t.match(JSON.parse(line), { controller: 'workloadplacement', workers: 2, key: 'a', msg: 'controller started' });
  t.same(duplicateKeys('{"a":1,"b":{"a":2},"a":3}'), ['a'], 'the checker sees duplicates');
});

t.test('errors carry their stable reason; expected outcomes have no stack', async (t) => {
  const out = capture();
  const log = createLogger({ format: 'json', destination: out.stream });
  log.warn({ err: conflict({ group: 'apps', resource: 'deployments' }, 'web', 'the object has been modified') }, 'update failed');
  log.error({ err: new Error('boom') }, 'unexpected');
  const [c, b] = out.lines().map((l) => JSON.parse(l));
  t.match(c.err, { type: 'StatusError', reason: 'Conflict', code: 409, message: /the object has been modified/ });
  t.notOk('stack' in c.err, 'no stack for a Conflict');
  t.match(b.err, { type: 'Error', message: 'boom', stack: /Error: boom/ });
});

t.test('text: one readable line per entry', async (t) => {
  const out = capture();
  const log = createLogger({ format: 'text', destination: out.stream });
  log.child({ component: 'storage' }).info({ path: '/x' }, 'sqlite storage opened');
  const [line] = out.lines();
  t.match(line, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: sqlite storage opened \{"component":"storage","path":"\/x"\}$/);
});

t.test('the server\'s own debug log has no repeated key on any line', async (t) => {
  const dir = tempDir(t);
  const child = spawn(process.execPath, [SERVER_BIN, '--data-dir', dir, '--port', '0', '--log-level', 'debug', '--storage', 'memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => { child.kill('SIGKILL'); });
  let text = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`not ready: ${text}`)), 60_000);
    child.stdout.on('data', (d) => { text += d; if (/tmc-server ready at/.test(text)) { clearTimeout(timer); setTimeout(ready, 1500); } });
  });
  const lines = text.split('\n').filter((l) => l.startsWith('{'));
  t.ok(lines.length > 10, `${lines.length} json lines (not a terminal: json by default)`);
  for (const l of lines) {
    const dups = duplicateKeys(l);
    if (dups.length) t.fail(`repeated ${dups.join(', ')}: ${l}`);
  }
});
