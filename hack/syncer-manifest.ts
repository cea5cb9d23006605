#!/usr/bin/env node
/**
 * Prints the pull-mode agent manifest for one ClusterRegistration (src/cli/syncer-manifest.ts):
 *
 *   node dist/hack/syncer-manifest.js --registration edge-1 --registration-workspace root:clusters \
 *     --registration-uid <uid> --server https://tmc.example.com:6443 --token <token> --ca-file ca.crt \
 *     | kubectl --context edge-1 apply -f -
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { syncerManifest } from '../src/cli/syncer-manifest.js';

const cmd = new Command('syncer-manifest')
  .requiredOption('--registration <name>', 'the ClusterRegistration name')
  .requiredOption('--registration-workspace <path>', 'the workspace holding it, e.g. root:clusters')
  .requiredOption('--registration-uid <uid>', 'its metadata.uid')
  .requiredOption('--server <url>', 'TMC\'s external URL')
  .requiredOption('--token <token>', 'the agent\'s bearer token upstream')
  .requiredOption('--ca-file <file>', 'PEM of the CA that signs TMC\'s serving certificate')
  .option('--image <image>', 'tmc-syncer image')
  .option('--namespace <ns>', 'downstream namespace for the agent')
  .parse(process.argv);
const o = cmd.opts();
process.stdout.write(syncerManifest({
  registrationName: o.registration, workspace: o.registrationWorkspace, uid: o.registrationUid,
  serverURL: o.server, token: o.token, caPem: readFileSync(o.caFile, 'utf8'), image: o.image, namespace: o.namespace,
}));
