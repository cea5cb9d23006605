/** `tmcctl cluster …`: the group of physical-cluster commands (one file per verb). */
import type { Command } from 'commander';
import type { Runner } from '../runner.js';
import { registerClusterCordon } from './cluster-cordon.js';
import { registerClusterList } from './cluster-list.js';
import { registerClusterRegister } from './cluster-register.js';

export function registerCluster(program: Command, run: Runner): void {
  const cluster = program.command('cluster').description('register, list, cordon, uncordon and drain physical clusters');
  registerClusterRegister(cluster, run);
  registerClusterList(cluster, run);
  registerClusterCordon(cluster, run);
}
