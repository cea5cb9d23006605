import t from 'tap';
import { isStatusError } from '../../../src/errors/status.js';
import { goDuration, WELL_KNOWN_DECODERS } from '../../../src/apiserver/protobuf/well-known.js';
import { WELL_KNOWN } from '../../../src/apiserver/protobuf/well-known-names.js';
import { f, msg } from './encoder.js';

const dec = (name: string, b: Uint8Array) => WELL_KNOWN_DECODERS[name](b);

function statusOf(fn: () => unknown): number | string {
  try { fn(); return 'no error'; } catch (e) { return isStatusError(e) ? e.code : `non-Status ${(e as Error).name}`; }
}

t.test('every name the generator treats as well-known has a decoder, and no more', async (t) => {
  t.same(Object.keys(WELL_KNOWN_DECODERS).sort(), [...WELL_KNOWN].sort());
});

t.test('Time and MicroTime: RFC3339 UTC; zero is null; out-of-range is a 400', async (t) => {
  t.equal(dec('meta.v1.Time', msg(f(1, 0))), '1970-01-01T00:00:00Z');
  t.equal(dec('meta.v1.Time', msg(f(1, 1700000000), f(2, 999))), '2023-11-14T22:13:20Z');
  t.equal(dec('meta.v1.Time', msg()), null);
  t.equal(dec('meta.v1.MicroTime', msg(f(1, 1700000000), f(2, 123456789))), '2023-11-14T22:13:20.123456Z');
  t.equal(dec('meta.v1.Time', msg(f(1, -62135596800))), '0001-01-01T00:00:00Z', 'Go zero time itself, if sent');
  t.equal(statusOf(() => dec('meta.v1.Time', msg(f(1, 2n ** 62n)))), 400);
});

t.test('Duration prints as Go time.Duration.String()', async (t) => {
  const cases: [bigint, string][] = [
    [0n, '0s'], [999n, '999ns'], [1500n, '1.5µs'], [1_500_000n, '1.5ms'], [1_000_000_000n, '1s'],
    [90_000_000_000n, '1m30s'], [3_600_000_000_000n, '1h0m0s'], [3_723_500_000_000n, '1h2m3.5s'], [-2_000_000_000n, '-2s'],
  ];
  for (const [ns, s] of cases) t.equal(goDuration(ns), s, `${ns}ns`);
  t.equal(dec('meta.v1.Duration', msg(f(1, 30_000_000_000))), '30s');
});

t.test('IntOrString, Quantity, RawExtension, FieldsV1, string lists', async (t) => {
  t.equal(dec('intstr.IntOrString', msg(f(1, 0), f(2, 8080))), 8080);
  t.equal(dec('intstr.IntOrString', msg(f(1, 0), f(2, -1))), -1, 'negative int32 from a 10-byte varint');
  t.equal(dec('intstr.IntOrString', msg(f(1, 1), f(3, 'http'))), 'http');
  t.equal(dec('resource.Quantity', msg(f(1, '100Mi'))), '100Mi');
  t.equal(dec('resource.Quantity', msg()), '0');
  t.same(dec('runtime.RawExtension', msg(f(1, '{"a":[1]}'))), { a: [1] });
  t.same(dec('meta.v1.FieldsV1', msg(f(1, '{"f:data":{}}'))), { 'f:data': {} });
  t.equal(statusOf(() => dec('runtime.RawExtension', msg(f(1, 'not json')))), 400);
  t.same(dec('meta.v1.Verbs', msg(f(1, 'get'), f(1, 'list'))), ['get', 'list']);
});
