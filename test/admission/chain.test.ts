import t from 'tap';
import { AdmissionChain } from '../../src/admission/chain.js';
import { StatusError, badRequest } from '../../src/errors/status.js';
import type { AdmissionAttributes } from '../../src/registry/hooks.js';

const attrs = () => ({ warnings: [] as string[], dryRun: false }) as unknown as AdmissionAttributes;

t.test('mutating plugins run in order, then validating ones', async (t) => {
  const seen: string[] = [];
  const chain = new AdmissionChain([
    { name: 'a', mutate: () => { seen.push('a.m'); }, validate: () => { seen.push('a.v'); } },
    { name: 'b', mutate: async () => { seen.push('b.m'); } },
    { name: 'c', validate: async () => { seen.push('c.v'); } },
  ]);
  await chain.mutate(attrs());
  await chain.validate(attrs());
  t.same(seen, ['a.m', 'b.m', 'a.v', 'c.v']);
});

t.test('a StatusError passes through; anything else becomes a 500 naming the plugin', async (t) => {
  const refusing = new AdmissionChain([{ name: 'nope', validate: () => { throw badRequest('no'); } }]);
  await t.rejects(refusing.validate(attrs()), { code: 400, message: 'no' });
  const buggy = new AdmissionChain([{ name: 'buggy', mutate: () => { throw new TypeError('x is undefined'); } }, { name: 'after', mutate: () => { t.fail('not reached'); } }]);
  const err = await buggy.mutate(attrs()).then(() => undefined, (e: unknown) => e);
  t.type(err, StatusError);
  t.equal((err as StatusError).code, 500);
  t.equal((err as StatusError).message, 'Internal error occurred: admission plugin "buggy" failed: x is undefined');
});
