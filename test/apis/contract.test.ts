/** The cluster key and downstream namespace names of src/apis/contract.ts (DESIGN.md §5). */
import t from 'tap';
import { clusterKey, downstreamNamespaceName, stateLabel } from '../../src/apis/contract.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// A label key's name part: at most 63 characters, alphanumerics at both ends.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

t.test('clusterKey is stable, short and label-safe', async (t) => {
  const k = clusterKey('root:org:clusters', 'prod-eu');
  t.equal(clusterKey('root:org:clusters', 'prod-eu'), k, 'same input, same key');
  t.match(k, /^[A-Za-z0-9]{8}$/);
  t.not(clusterKey('root:org:clusters', 'prod-us'), k, 'another name');
  t.not(clusterKey('root:org:other', 'prod-eu'), k, 'another workspace');
  // (Registration names are DNS subdomains, so the ':' joining workspace and name is unambiguous.)
  const keys = new Set<string>();
  const bad: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const key = clusterKey(`root:ws${i % 7}`, `cluster-${i}`);
    if (!/^[A-Za-z0-9]{8}$/.test(key)) bad.push(key);
    keys.add(key);
  }
  t.same(bad, [], 'every key is 8 base62 characters');
  t.equal(keys.size, 2000, 'no collisions among 2000 registrations');
  t.match(stateLabel(k).split('/')[1], LABEL_NAME, 'usable as a label key');
});

t.test('downstreamNamespaceName is a DNS-1123 label, stable and distinct', async (t) => {
  const loc = { workspace: 'root:org:team', namespace: 'default', cluster: clusterKey('root:org:clusters', 'prod-eu') };
  const name = downstreamNamespaceName(loc);
  t.match(name, DNS1123_LABEL);
  t.ok(name.length <= 63, `${name} fits a label`);
  t.ok(name.startsWith('tmc-'));
  t.equal(downstreamNamespaceName({ ...loc }), name, 'stable');
  t.not(downstreamNamespaceName({ ...loc, namespace: 'other' }), name, 'namespace matters');
  t.not(downstreamNamespaceName({ ...loc, workspace: 'root:org:x' }), name, 'workspace matters');
  t.not(downstreamNamespaceName({ ...loc, cluster: 'AAAAAAAA' }), name, 'cluster matters');
  const bad: string[] = [];
  const names = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const n = downstreamNamespaceName({ workspace: `root:w${i}`, namespace: `ns-${i}`, cluster: 'k' });
    if (!DNS1123_LABEL.test(n) || n.length > 63) bad.push(n);
    names.add(n);
  }
  t.same(bad, [], 'every name is a DNS-1123 label');
  t.equal(names.size, 500, 'no collisions');
});
