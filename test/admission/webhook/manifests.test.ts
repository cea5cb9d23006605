import t from 'tap';
import { parseAllDocuments } from 'yaml';
import { renderWebhookManifests } from '../../../hack/webhook-manifests.js';

t.test('webhook manifests get the CA bundle and URL', async (t) => {
  const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const docs = parseAllDocuments(renderWebhookManifests({ caPem, url: 'https://tmc.example:6443/' })).map((d) => d.toJS());
  t.same(docs.map((d) => d.kind).sort(), ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
  for (const d of docs) {
    const cc = d.webhooks[0].clientConfig;
    t.equal(Buffer.from(cc.caBundle, 'base64').toString(), caPem);
    t.match(cc.url, /^https:\/\/tmc\.example:6443\/admission\/(mutate|validate)$/);
    t.same(d.webhooks[0].admissionReviewVersions, ['v1']);
  }
});
