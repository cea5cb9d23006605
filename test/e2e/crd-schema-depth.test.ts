/**
 * CRD schemas are walked once per level wherever they are used. Two ways that took a workspace
 * down, each a test that failed before the fix:
 * - a schema nesting a few dozen levels (a PodTemplate inside a CRD) made /openapi/v2 a 500 for
 *   the whole workspace (protobufjs' default nesting limit of 100 messages);
 * - a schema thousands of levels deep overflowed the walks: 500 on the CRD or on every custom
 *   resource and on /openapi/v3.
 * Now a schema up to the limit is served everywhere and a deeper one is a 422 that says what to do.
 */
import t from 'tap';
import { request, type Creds } from '../helpers/http.js';
import { startServer } from '../helpers/tmc.js';
import { MAX_SCHEMA_NESTING } from '../../src/registry/schema/structural.js';

const CRDS = '/clusters/root/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const JSON_BODY = { 'content-type': 'application/json' };

/** A CRD whose spec schema nests `levels` levels of properties (two JSON levels each). */
function crdText(kind: string, levels: number): string {
  const plural = `${kind.toLowerCase()}s`;
  const schema = '{"type":"object","properties":{"a":'.repeat(levels) + '{"type":"string","default":"x"}' + '}}'.repeat(levels);
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com', scope: 'Namespaced', names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: '@@' } } } }],
    },
  }).replace('"@@"', schema);
}

t.test('CRD schema depth', async (t) => {
  const srv = await startServer(t);
  const creds: Creds = { caPem: srv.pki.ca.certPem, certPem: srv.pki.admin.certPem, keyPem: srv.pki.admin.keyPem };
  const base = srv.url;

  await t.test('a schema 60 levels deep is served by /openapi/v2 (JSON and protobuf) and /openapi/v3', async (t) => {
    const r = await request(base, creds, 'POST', CRDS, crdText('Sixty', 60), JSON_BODY);
    t.equal(r.status, 201, r.text.slice(0, 300));
    const v2 = await request(base, creds, 'GET', '/clusters/root/openapi/v2', undefined);
    t.equal(v2.status, 200, v2.text.slice(-300));
    const v2pb = await request(base, creds, 'GET', '/clusters/root/openapi/v2', undefined, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    t.equal(v2pb.status, 200, v2pb.text.slice(-300));
    const v3 = await request(base, creds, 'GET', '/clusters/root/openapi/v3', undefined);
    t.equal(v3.status, 200);
  });

  await t.test('a schema just inside the limit serves its resources; one past it is a 422', async (t) => {
    const inside = Math.floor(MAX_SCHEMA_NESTING / 2) - 20;
    let r = await request(base, creds, 'POST', CRDS, crdText('Inside', inside), JSON_BODY);
    t.equal(r.status, 201, r.text.slice(0, 300));
    const obj = '{"a":'.repeat(inside - 1) + '{}' + '}'.repeat(inside - 1);
    const cr = JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Inside', metadata: { name: 'x' }, spec: '@@' }).replace('"@@"', obj);
    for (let i = 0; ; i++) {
      r = await request(base, creds, 'POST', '/clusters/root/apis/example.com/v1/namespaces/default/insides', cr, JSON_BODY);
      if (r.status !== 404 || i > 50) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    t.equal(r.status, 201, r.text.slice(0, 300));
    t.equal((await request(base, creds, 'GET', '/clusters/root/openapi/v3', undefined)).status, 200);
    t.equal((await request(base, creds, 'GET', '/clusters/root/openapi/v2', undefined)).status, 200);

    for (const levels of [Math.floor(MAX_SCHEMA_NESTING / 2) + 20, 4_900]) {
      r = await request(base, creds, 'POST', CRDS, crdText(`Past${levels}`, levels), JSON_BODY);
      t.equal(r.status, 422, `${levels} levels`);
      t.equal(r.json?.reason, 'Invalid');
      t.match(r.json?.message, /must not nest deeper than 1000 levels/);
    }
    t.equal((await request(base, creds, 'GET', '/readyz', undefined)).status, 200);
  });
});
