/** The event-loop guard: a blocked loop shows in the delay metric and counts as a stall. */
import t from 'tap';
import { startEventLoopGuard } from '../../src/observability/event-loop.js';
import { metricsText } from '../../src/observability/metrics.js';
import { silentLogger } from '../../src/observability/logger.js';

t.test('a 1.2 s block is measured and counted as a stall', async (t) => {
  const guard = startEventLoopGuard(silentLogger(), { stallSeconds: 1, tickMs: 50 });
  t.teardown(() => guard.stop());
  await new Promise((r) => setTimeout(r, 120));
  const until = Date.now() + 1_200;
  while (Date.now() < until) { /* hold the loop, as a runaway request would */ }
  await new Promise((r) => setTimeout(r, 120));
  const text = await metricsText();
  const stalls = Number(/^tmc_event_loop_stalls_total (\S+)$/m.exec(text)?.[1]);
  t.ok(stalls >= 1, `stall counted (${stalls})`);
  const max = Number(/^tmc_event_loop_delay_seconds\{quantile="1"\} (\S+)$/m.exec(text)?.[1]);
  t.ok(max >= 1, `longest delay ${max} s`);
  const after = Number(/^tmc_event_loop_delay_seconds\{quantile="1"\} (\S+)$/m.exec(await metricsText())?.[1]);
  t.ok(after < max, 'each scrape reports the interval since the previous one');
});
