/**
 * Runs the event-loop guard in its own process for event-loop.test.ts (which stops and continues
 * it): prints `ready`, and its stall counters as JSON when stdin closes.
 */
import { startEventLoopGuard } from '../../src/observability/event-loop.js';
import { metricsText } from '../../src/observability/metrics.js';
import { silentLogger } from '../../src/observability/logger.js';

const guard = startEventLoopGuard(silentLogger(), { stallSeconds: 1, tickMs: 50 });
const keepAlive = setInterval(() => undefined, 1_000);
process.stdin.resume();
process.stdin.on('end', () => {
  setTimeout(() => {
    void metricsText().then((text) => {
      const counter = (name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);
      console.log(JSON.stringify({ stalls: counter('tmc_event_loop_stalls_total'), busy: counter('tmc_event_loop_busy_stalls_total') }));
      guard.stop();
      clearInterval(keepAlive);
      process.exit(0);
    });
  }, 200);
});
setTimeout(() => console.log('ready'), 300);
