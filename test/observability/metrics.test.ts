import t from 'tap';
import {
  apiserverRegisteredWatchers, apiserverWatchEventsTotal, clusterReady, metricsContentType, metricsText,
  observeRequest, syncLatency, timeReconcile, workqueueDepth, workqueueRetriesTotal,
} from '../../src/observability/metrics.js';

t.test('every metric the server and controllers need is registered', async (t) => {
  const text = await metricsText();
  for (const name of [
    'apiserver_request_total', 'apiserver_request_duration_seconds', 'apiserver_watch_events_total',
    'apiserver_registered_watchers', 'tmc_reconcile_total', 'tmc_reconcile_duration_seconds',
    'tmc_workqueue_depth', 'tmc_workqueue_retries_total', 'tmc_cluster_ready', 'tmc_sync_latency_seconds',
  ]) t.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  t.match(metricsContentType, /^text\/plain/);
});

t.test('recorded values appear with their labels', async (t) => {
  observeRequest('list', 'pods', 200, 0.012);
  observeRequest('list', 'pods', 200, 0.02);
  observeRequest('get', 'secrets', 403, 0.001);
  apiserverWatchEventsTotal.inc({ resource: 'deployments' }, 3);
  apiserverRegisteredWatchers.set({ resource: 'deployments' }, 2);
  workqueueDepth.set({ name: 'placement' }, 7);
  workqueueRetriesTotal.inc({ name: 'placement' });
  clusterReady.set({ cluster: 'east' }, 1);
  syncLatency.observe({ cluster: 'east', direction: 'down' }, 0.3);
  await timeReconcile('placement', async () => 'ok');
  await t.rejects(timeReconcile('placement', async () => { throw new Error('boom'); }), /boom/);
  await timeReconcile('syncer', async () => 1, () => 'requeue');

  const text = await metricsText();
  t.match(text, 'apiserver_request_total{verb="list",resource="pods",code="200"} 2');
  t.match(text, 'apiserver_request_total{verb="get",resource="secrets",code="403"} 1');
  t.match(text, 'apiserver_request_duration_seconds_bucket{le="0.025",verb="list",resource="pods"} 2');
  t.match(text, 'apiserver_request_duration_seconds_count{verb="list",resource="pods"} 2');
  t.match(text, 'apiserver_watch_events_total{resource="deployments"} 3');
  t.match(text, 'apiserver_registered_watchers{resource="deployments"} 2');
  t.match(text, 'tmc_workqueue_depth{name="placement"} 7');
  t.match(text, 'tmc_workqueue_retries_total{name="placement"} 1');
  t.match(text, 'tmc_cluster_ready{cluster="east"} 1');
  t.match(text, 'tmc_sync_latency_seconds_count{cluster="east",direction="down"} 1');
  t.match(text, 'tmc_reconcile_total{controller="placement",result="success"} 1');
  t.match(text, 'tmc_reconcile_total{controller="placement",result="error"} 1');
  t.match(text, 'tmc_reconcile_total{controller="syncer",result="requeue"} 1');
  t.match(text, 'tmc_reconcile_duration_seconds_count{controller="placement"} 2');
});
