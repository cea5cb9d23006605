/**
 * The cluster-mode component the wiring starts once the server listens: registers the simulated
 * nodes, then runs the status simulator until the server stops.
 */
import { ensureNodes } from './nodes.js';
import { StatusSimulator } from './status-simulator.js';
import type { SimulatorComponent, SimulatorDeps } from './types.js';

export async function simulatorComponent(deps: SimulatorDeps): Promise<SimulatorComponent> {
  const log = deps.log.child({ component: 'simulator' });
  await ensureNodes(deps.generic, deps.catalog, deps.opts, log);
  const sim = new StatusSimulator({
    informers: deps.informers, generic: deps.generic, catalog: deps.catalog, log, readyDelayMs: deps.opts.readyDelayMs,
  });
  await sim.start();
  log.info({ readyDelayMs: deps.opts.readyDelayMs, refuseWrites: deps.opts.refuseWrites }, 'status simulator running');
  return { stop: () => sim.stop() };
}
