// Reads a TAP stream (tap's --reporter=tap output) and prints the plain summary line CI reads:
// `tests: N passed, N failed`. Counts top-level test files' assertions from their "# pass"/"# fail" trailers
// when present, else counts ok / not ok lines. Exits with the runner's exit code (or 1 on failures).
import { readFileSync } from 'node:fs';

const [file, rcArg] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
let pass = 0, fail = 0;
for (const line of text.split('\n')) {
  // every assertion and subtest result, at any depth, is one ok / not ok line
  const m = line.match(/^\s*(not ok|ok)\s+\d+/);
  if (!m) continue;
  if (/#\s*(SKIP|TODO)/i.test(line)) continue;
  if (m[1] === 'ok') pass++; else fail++;
}
const rc = Number(rcArg ?? 0);
if (rc !== 0 && fail === 0) fail = 1;
console.log(`tests: ${pass} passed, ${fail} failed`);
process.exit(rc !== 0 ? rc : fail > 0 ? 1 : 0);
