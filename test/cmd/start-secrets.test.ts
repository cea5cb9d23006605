/**
 * Start-up reads the stored Secrets once: the shared secrets informer's first list both checks
 * that every sealed value opens with the configured key and feeds the service-account token
 * authenticator (no separate verification pass over all Secrets). Counted through the storage
 * request metric, which sees every list the server makes.
 */
import t from 'tap';
import { registry } from '../../src/observability/metrics.js';
import { startServer } from '../helpers/tmc.js';

async function secretLists(): Promise<number> {
  const metric = registry.getSingleMetric('etcd_requests_total');
  const values = metric ? (await metric.get()).values : [];
  return values.filter((v) => v.labels.operation === 'list' && v.labels.type === 'secrets').reduce((n, v) => n + v.value, 0);
}

t.test('a server start lists Secrets once', async (t) => {
  const before = await secretLists();
  await startServer(t);
  t.equal(await secretLists() - before, 1, 'one list of all Secrets at start');
});
