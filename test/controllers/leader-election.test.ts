import t from 'tap';
import { StatusError } from '../../src/errors/status.js';
import { FakeClock, flushMicrotasks } from '../../src/client/testing/fake-clock.js';
import { LeaderElector, type Lease, type LeaseStore } from '../../src/controllers/leader-election.js';

/** One lease in memory with optimistic concurrency, shared by several electors. */
class FakeLeaseStore {
  lease: Lease | undefined;
  private rv = 0;
  failing = false;
  writes = 0;
  reads = 0;
  store(): LeaseStore {
    return {
      get: async () => { this.check(); this.reads++; return this.lease && structuredClone(this.lease); },
      create: async (lease) => {
        this.check();
        if (this.lease) throw new StatusError(409, 'AlreadyExists', 'exists');
        return this.write(lease);
      },
      update: async (lease) => {
        this.check();
        if (lease.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) throw new StatusError(409, 'Conflict', 'modified');
        return this.write(lease);
      },
    };
  }
  private check(): void {
    if (this.failing) throw new Error('connection refused');
  }
  /** Another writer's change (or our own write whose answer was lost): a new resourceVersion. */
  bump(): void {
    this.write(this.lease!);
  }
  private write(lease: Lease): Lease {
    this.writes++;
    this.lease = { ...structuredClone(lease), metadata: { ...lease.metadata, resourceVersion: String(++this.rv) } };
    return structuredClone(this.lease);
  }
}

function elector(fake: FakeLeaseStore, clock: FakeClock, identity: string, log: string[]) {
  return new LeaderElector({
    store: fake.store(), namespace: 'kube-system', name: 'tmc-controllers', identity, clock,
    leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000,
    onStartedLeading: () => log.push(`${identity} started`),
    onStoppedLeading: () => log.push(`${identity} stopped`),
  });
}

/** A fake Lease store and clock with candidate `a` started and settled (the lease is missing: it takes it). */
async function leaderA() {
  const clock = new FakeClock();
  const fake = new FakeLeaseStore();
  const log: string[] = [];
  const a = elector(fake, clock, 'a', log);
  a.start();
  await flushMicrotasks();
  return { clock, fake, log, a };
}

t.test('acquire a missing lease, renew it, a second candidate waits', async (t) => {
  const { clock, fake, log, a } = await leaderA();
  t.ok(a.isLeader());
  t.same(log, ['a started']);
  t.match(fake.lease?.spec, { holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
  t.match(fake.lease?.spec?.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, 'MicroTime format');
  const acquired = fake.lease?.spec?.acquireTime;

  const b = elector(fake, clock, 'b', log);
  b.start();
  await flushMicrotasks();
  await clock.advance(20_000);
  t.notOk(b.isLeader(), 'a renews every 2s so b never sees it expire');
  t.ok(a.isLeader());
  t.equal(fake.lease?.spec?.acquireTime, acquired, 'renewals keep acquireTime');
  t.not(fake.lease?.spec?.renewTime, acquired, 'renewals move renewTime');
  await a.stop();
  await b.stop();
});

t.test('a leader that cannot renew stops leading after the renew deadline; a candidate takes over on expiry', async (t) => {
  const { clock, fake, log, a } = await leaderA();
  t.ok(a.isLeader());

  // a is cut off from the server; b is not (its store is wrapped to bypass the outage).
  const bStore = fake.store();
  const b = new LeaderElector({
    store: { get: () => withServer(fake, bStore.get), create: (l) => withServer(fake, () => bStore.create(l)), update: (l) => withServer(fake, () => bStore.update(l)) },
    namespace: 'kube-system', name: 'tmc-controllers', identity: 'b', clock,
    leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000,
    onStartedLeading: () => log.push('b started'), onStoppedLeading: () => log.push('b stopped'),
  });
  b.start();
  await flushMicrotasks();
  fake.failing = true;
  await clock.advance(9_000);
  t.ok(a.isLeader(), 'within the renew deadline');
  await clock.advance(2_000);
  t.notOk(a.isLeader(), 'past the renew deadline');
  t.same(log, ['a started', 'a stopped']);
  t.notOk(b.isLeader(), 'the lease has not expired yet from b\'s view');
  await clock.advance(6_000);
  t.ok(b.isLeader(), 'b takes over once it has seen the lease unchanged for leaseDuration');
  t.match(fake.lease?.spec, { holderIdentity: 'b', leaseTransitions: 1 });
  t.same(log, ['a started', 'a stopped', 'b started']);

  fake.failing = false;
  await clock.advance(4_000);
  t.notOk(a.isLeader(), 'a sees b renewing and stays a candidate');
  await a.stop();
  await b.stop();
  t.same(log, ['a started', 'a stopped', 'b started', 'b stopped']);
  t.equal(fake.lease?.spec?.holderIdentity, undefined, 'stop releases the lease');
});

t.test('a released lease is taken at once', async (t) => {
  const clock = new FakeClock();
  const fake = new FakeLeaseStore();
  const log: string[] = [];
  const a = elector(fake, clock, 'a', log);
  const b = elector(fake, clock, 'b', log);
  a.start();
  await flushMicrotasks();
  b.start();
  await flushMicrotasks();
  await a.stop();
  await clock.advance(2_000);
  t.ok(b.isLeader());
  t.same(log, ['a started', 'a stopped', 'b started']);
  await b.stop();
});

async function withServer<T>(fake: FakeLeaseStore, fn: () => Promise<T>): Promise<T> {
  const was = fake.failing;
  fake.failing = false;
  try {
    return await fn();
  } finally {
    fake.failing = was;
  }
}

t.test('the holder renews in one round trip; a 409 makes it read the lease and carry on', async (t) => {
  const { clock, fake, log, a } = await leaderA();
  t.ok(a.isLeader());
  const reads = fake.reads;
  const writes = fake.writes;
  await clock.advance(10_000);
  t.equal(fake.reads, reads, 'renewals write without reading first');
  t.ok(fake.writes >= writes + 4, 'and they happen every retry period');
  fake.bump();
  await clock.advance(2_000);
  t.equal(fake.reads, reads + 1, 'a conflict is followed by one read');
  t.ok(a.isLeader(), 'still the holder: it renewed from what it read');
  t.equal(fake.lease?.spec?.holderIdentity, 'a');
  t.same(log, ['a started']);
  await a.stop();
});
