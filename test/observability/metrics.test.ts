import t from 'tap';
import {
  apiserverRegisteredWatchers, apiserverWatchEventsTotal, clusterReady, metricsContentType, metricsText,
  observeRequest, syncPropagationLag, timeReconcile, workqueueDepth, workqueueRetriesTotal,
} from '../../src/observability/metrics.js';

t.test('every metric the server and controllers need is registered', async (t) => {
  const text = await metricsText();
  for (const name of [
    'apiserver_request_total', 'apiserver_request_duration_seconds', 'apiserver_watch_events_total',
    'apiserver_registered_watchers', 'tmc_reconcile_total', 'tmc_reconcile_duration_seconds',
    'workqueue_depth', 'workqueue_adds_total', 'workqueue_retries_total', 'workqueue_queue_duration_seconds',
    'workqueue_work_duration_seconds', 'etcd_request_duration_seconds', 'etcd_requests_total',
    'tmc_placement_decisions_total', 'tmc_cluster_ready', 'tmc_sync_propagation_lag_seconds',
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
  syncPropagationLag.observe({ cluster: 'east', direction: 'down' }, 0.3);
  await timeReconcile('placement', async () => 'ok');
  await t.rejects(timeReconcile('placement', async () => { throw new Error('boom'); }), /boom/);
  await timeReconcile('syncer', async () => 1, () => 'requeue');

  const text = await metricsText();
  // kube's verbs: LIST, GET, … (endpoints/metrics CleanVerb)
  t.match(text, 'apiserver_request_total{verb="LIST",resource="pods",code="200"} 2');
  t.match(text, 'apiserver_request_total{verb="GET",resource="secrets",code="403"} 1');
  t.match(text, 'apiserver_request_duration_seconds_bucket{le="0.025",verb="LIST",resource="pods"} 2');
  t.match(text, 'apiserver_request_duration_seconds_count{verb="LIST",resource="pods"} 2');
  t.match(text, 'apiserver_watch_events_total{resource="deployments"} 3');
  t.match(text, 'apiserver_registered_watchers{resource="deployments"} 2');
  t.match(text, 'workqueue_depth{name="placement"} 7');
  t.match(text, 'workqueue_retries_total{name="placement"} 1');
  t.match(text, 'tmc_cluster_ready{cluster="east"} 1');
  t.match(text, 'tmc_sync_propagation_lag_seconds_count{cluster="east",direction="down"} 1');
  t.match(text, 'tmc_reconcile_total{controller="placement",result="success"} 1');
  t.match(text, 'tmc_reconcile_total{controller="placement",result="error"} 1');
  t.match(text, 'tmc_reconcile_total{controller="syncer",result="requeue"} 1');
  t.match(text, 'tmc_reconcile_duration_seconds_count{controller="placement"} 2');
});
