/**
 * The event-loop guard: a blocked loop shows in the delay metric and counts as a stall, and as a
 * busy stall (the process burnt the time itself); a process the OS did not run (stopped) counts a
 * stall but not a busy one.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEventLoopGuard } from '../../src/observability/event-loop.js';
import { metricsText } from '../../src/observability/metrics.js';
import { silentLogger } from '../../src/observability/logger.js';

t.test('a 1.2 s block is measured and counted as a stall', async (t) => {
  const guard = startEventLoopGuard(silentLogger(), { stallSeconds: 1, tickMs: 50 });
  t.teardown(() => guard.stop());
  await new Promise((r) => setTimeout(r, 120));
  // 1.2 s of CPU, not of wall time: on a loaded machine a runaway request's work takes longer
  // than its CPU time, and the busy-stall count is about the work.
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const until = cpu() + 1_200;
  while (cpu() < until) { /* hold the loop, as a runaway request would */ }
  await new Promise((r) => setTimeout(r, 120));
  const text = await metricsText();
  const stalls = Number(/^tmc_event_loop_stalls_total (\S+)$/m.exec(text)?.[1]);
  t.ok(stalls >= 1, `stall counted (${stalls})`);
  const busy = Number(/^tmc_event_loop_busy_stalls_total (\S+)$/m.exec(text)?.[1]);
  t.ok(busy >= 1, `busy stall counted (${busy})`);
  const max = Number(/^tmc_event_loop_delay_seconds\{quantile="1"\} (\S+)$/m.exec(text)?.[1]);
  t.ok(max >= 1, `longest delay ${max} s`);
  const after = Number(/^tmc_event_loop_delay_seconds\{quantile="1"\} (\S+)$/m.exec(await metricsText())?.[1]);
  t.ok(after < max, 'each scrape reports the interval since the previous one');
});

t.test('a process the OS does not run stalls, but not busily', async (t) => {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./guard-child.js', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => { child.kill('SIGKILL'); });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  await new Promise<void>((res) => { const i = setInterval(() => { if (out.includes('ready')) { clearInterval(i); res(); } }, 20); });
  child.kill('SIGSTOP');
  await new Promise((r) => setTimeout(r, 1_600));
  child.kill('SIGCONT');
  await new Promise((r) => setTimeout(r, 300));
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  const counts = JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!);
  t.ok(counts.stalls >= 1, `the stopped process saw a stall (${counts.stalls})`);
  t.equal(counts.busy, 0, 'but not a busy one: it used no CPU while stopped');
});
