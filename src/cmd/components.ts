/**
 * A process as an ordered list of components: started one after another in list order, stopped in
 * the reverse order, so each component can rely on everything before it running for its whole
 * life. A start that fails stops what had started (reverse order) and rethrows.
 */
import type { Logger } from '../observability/logger.js';

export interface ServerComponent {
  /** Stable and short: it names the component in logs and in `--controllers`-style filters. */
  name: string;
  start(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

export interface RunningComponents {
  /** Names in start order (what is running). */
  names(): string[];
  /** Stops every started component in reverse order; a failing stop is logged and the rest still stop. Idempotent. */
  stop(): Promise<void>;
}

export async function startComponents(list: readonly ServerComponent[], log: Logger): Promise<RunningComponents> {
  const started: ServerComponent[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const c of [...started].reverse()) {
        try {
          await c.stop?.();
        } catch (err) {
          log.error({ err, component: c.name }, 'component failed to stop');
        }
      }
    })();
    return stopping;
  };
  for (const c of list) {
    try {
      await c.start();
    } catch (err) {
      log.error({ err, component: c.name }, 'component failed to start; stopping the ones before it');
      await stop();
      throw err;
    }
    started.push(c);
    log.debug({ component: c.name }, 'component started');
  }
  return { names: () => started.map((c) => c.name), stop };
}
