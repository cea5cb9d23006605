import t from 'tap';
import { parseViewPath } from '../../src/virtual/view-path.js';

t.test('parses params, cluster and the API path', async (t) => {
  t.same(parseViewPath('root:compute/kubernetes/clusters/*/apis/apps/v1/deployments', 2, 'x'),
    { params: ['root:compute', 'kubernetes'], cluster: '*', path: '/apis/apps/v1/deployments' });
  t.same(parseViewPath('/root:c1/west/uid-1/clusters/root:c1', 3, 'x'), { params: ['root:c1', 'west', 'uid-1'], cluster: 'root:c1', path: '/' });
  t.same(parseViewPath('root%3Acompute/kubernetes/clusters/%2A/api', 2, 'x').params[0], 'root:compute', 'segments are URL-decoded');
});

t.test('malformed paths are 404/400 with the expected shape in the message', async (t) => {
  t.throws(() => parseViewPath('root:compute/clusters/*/api', 2, '/services/apiexport/<ws>/<export>/clusters/<*|ws>/…'), { code: 404, message: /look like \/services\/apiexport/ });
  t.throws(() => parseViewPath('root:compute/kubernetes/clusters/', 2, 'x'), { code: 404 });
  t.throws(() => parseViewPath('a/b/clusters/Not_Valid/api', 2, 'x'), { code: 400, message: /invalid logical cluster path/ });
  t.throws(() => parseViewPath('a/%E0%A4%A/clusters/*/api', 2, 'x'), { code: 400, message: /malformed URL segment/ });
});
