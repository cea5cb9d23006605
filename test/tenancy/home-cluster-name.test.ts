/**
 * Home workspaces get the logical cluster name current kcp derives from the user name
 * (kcp-dev/kcp pkg/index/rewriters: base36 of SHA-224's first 8 bytes, leading zero bytes kept as
 * '0'), so a home's name is the same on every replica and after every restart. The expected values
 * are kcp's own test vectors, including one whose hash starts with a zero byte.
 */
import t from 'tap';
import { homeClusterName } from '../../src/tenancy/logical-clusters.js';

t.test("kcp's home cluster names", async (t) => {
  const kcp: Record<string, string> = {
    '': '36ks9xj4a2n61',
    alice: 'v1u4alow0iv9',
    bob: '2okdry95y5lkv',
    'user-with-dash': '1e25681jymk1l',
    'user:with:colons': '2bqfj6xlthg3t',
    user172: '0f9mt7goyif7',
  };
  for (const [user, name] of Object.entries(kcp)) t.equal(homeClusterName(user), name, JSON.stringify(user));
});
