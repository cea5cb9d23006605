/**
 * The gnostic protobuf of /openapi/v2 encodes schemas nested far past protobufjs' default of 100
 * messages, without raising that limit for the rest of the process (etcd3's gRPC messages share
 * the same protobufjs).
 */
import t from 'tap';
import protobuf from 'protobufjs';
import { encodeOpenAPIV2 } from '../../src/apiserver/openapi-v2-proto.js';

t.test('a deep schema encodes, and the process-wide limit is left as it was', async (t) => {
  const before = protobuf.util.recursionLimit;
  t.equal(before, 100, 'protobufjs\' default, untouched by loading the encoder');
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < 60; i++) schema = { type: 'object', properties: { a: schema } };
  const bytes = encodeOpenAPIV2({ swagger: '2.0', info: { title: 't', version: 'v' }, paths: {}, definitions: { deep: schema } });
  t.ok(bytes.length > 60, 'encoded');
  t.equal(protobuf.util.recursionLimit, before, 'restored after the encoding');
  protobuf.util.recursionLimit = 50;
  t.throws(() => encodeOpenAPIV2({ swagger: 2 }), /openapi v2 protobuf/);
  t.equal(protobuf.util.recursionLimit, 50, 'restored after a failed encoding too');
  protobuf.util.recursionLimit = before;
});
