/** `tmcctl placement …`: explain, history, rollback, unpin (one file per verb). */
import type { Command } from 'commander';
import type { Runner } from '../runner.js';
import { registerPlacementExplain } from './placement-explain.js';
import { registerPlacementHistory } from './placement-history.js';
import { registerPlacementRollback } from './placement-rollback.js';

export function registerPlacement(program: Command, run: Runner): void {
  const placement = program.command('placement').alias('wp').description('explain, inspect and roll back WorkloadPlacement decisions');
  registerPlacementExplain(placement, run);
  registerPlacementHistory(placement, run);
  registerPlacementRollback(placement, run);
}
