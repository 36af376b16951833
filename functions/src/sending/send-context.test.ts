import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultPolicyRules, type PolicyRules } from '@asep/shared/policy/document';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '@asep/local/cosmos-emulator';
import { createCosmosClient, ensureDatabase } from '../store/cosmos';
import { createStore, type Store } from '../store/store';
import { claimSendSlots } from './send-context';

let emulator: RunningEmulator;
let store: Store;
/** The same database as another process of the app sees it: its claims take no turns with this one's. */
let otherProcessStore: Store;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  const database = () => ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'send-caps' }), 'send-caps');
  store = createStore(await database());
  otherProcessStore = createStore(await database());
});
afterAll(async () => emulator.close());

/** A clock the test moves by hand, starting Wednesday 12 March 2025 at 09:00 UTC. */
function handClock() {
  let now = Date.parse('2025-03-12T09:00:00Z');
  return { now: () => new Date(now), advanceMinutes: (minutes: number) => (now += minutes * 60_000) };
}

const caps = (overrides: Partial<PolicyRules['caps']>): PolicyRules['caps'] => ({
  ...defaultPolicyRules.caps,
  sendsPerMailboxPerMinute: 30,
  sendsPerMailboxPerHour: 1800,
  sendsPerMailboxPerDay: 10_000,
  newRecipientsPerMailboxPerDay: 10_000,
  sendsPerRecipientDomainPerDay: 10_000,
  ...overrides,
});

let tenants = 0;
const freshTenant = () => `tenant-${(tenants += 1)}`;

describe('claiming send slots against the Cosmos emulator', () => {
  it('gives 50 sends racing from two processes for the last 5 slots of a mailbox’s day exactly 5, and defers the rest to midnight', async () => {
    const tenantId = freshTenant();
    const clock = handClock();
    const services = { store, clock };
    const dayCap = caps({ sendsPerMailboxPerDay: 100 });
    for (let sent = 0; sent < 95; sent += 1) {
      if (sent > 0 && sent % 25 === 0) clock.advanceMinutes(1);
      const claim = {
        mailbox: 'seller@vendor.example',
        to: `earlier${sent}@buyer${sent}.example`,
        touchId: `out-earlier-${sent}`,
        isFirstTouch: false,
      };
      expect(await claimSendSlots(services, tenantId, claim, dayCap)).toBeUndefined();
    }
    clock.advanceMinutes(1);

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, racer) =>
        claimSendSlots(
          racer % 2 ? services : { store: otherProcessStore, clock },
          tenantId,
          { mailbox: 'seller@vendor.example', to: `racer${racer}@buyer${racer}.example`, touchId: `out-racer-${racer}`, isFirstTouch: false },
          dayCap,
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(5);
    const deferred = outcomes.filter((outcome) => outcome !== undefined);
    expect(new Set(deferred.map((outcome) => `${outcome!.rule} ${new Date(outcome!.retryAt).toISOString()}`))).toEqual(
      new Set(['caps.sendsPerMailboxPerDay 2025-03-13T00:00:00.000Z']),
    );
  });

  it('lets one process’s sends from a mailbox take turns: 40 at once cost one read and 40 writes, none retried', async () => {
    const tenantId = freshTenant();
    const services = { store, clock: handClock() };
    const items = store.sendCounters.container.items;
    const reads = vi.spyOn(items, 'query');
    const writes = vi.spyOn(items, 'batch');
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, (_, sender) =>
          claimSendSlots(
            services,
            tenantId,
            { mailbox: 'seller@vendor.example', to: `person${sender}@buyer${sender}.example`, touchId: `out-turns-${sender}`, isFirstTouch: true },
            caps({ sendsPerMailboxPerMinute: 100 }),
          ),
        ),
      );
      expect(outcomes.every((outcome) => outcome === undefined)).toBe(true);
      expect({ reads: reads.mock.calls.length, writes: writes.mock.calls.length }).toEqual({ reads: 1, writes: 40 });
    } finally {
      reads.mockRestore();
      writes.mockRestore();
    }
  });

  it('shares a recipient domain’s daily cap exactly among racing mailboxes', async () => {
    const tenantId = freshTenant();
    const services = { store, clock: handClock() };
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, racer) =>
        claimSendSlots(
          services,
          tenantId,
          { mailbox: `seller${racer}@vendor.example`, to: `person${racer}@acme.example`, touchId: `out-${racer}`, isFirstTouch: false },
          caps({ sendsPerRecipientDomainPerDay: 3 }),
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(3);
    expect(outcomes.find((outcome) => outcome !== undefined)?.message).toBe('acme.example has had its 3 emails from this tenant today.');
  });

  it('holds first touches to the new-recipient cap under a race, while follow-ups still go', async () => {
    const tenantId = freshTenant();
    const services = { store, clock: handClock() };
    const twoNew = caps({ newRecipientsPerMailboxPerDay: 2 });
    const firstTouches = await Promise.all(
      Array.from({ length: 8 }, (_, racer) =>
        claimSendSlots(
          services,
          tenantId,
          { mailbox: 'seller@vendor.example', to: `new${racer}@buyer${racer}.example`, touchId: `out-new-${racer}`, isFirstTouch: true },
          twoNew,
        ),
      ),
    );
    expect(firstTouches.filter((outcome) => outcome === undefined)).toHaveLength(2);
    expect(firstTouches.find((outcome) => outcome !== undefined)?.rule).toBe('caps.newRecipientsPerMailboxPerDay');
    const followUp = { mailbox: 'seller@vendor.example', to: 'known@old.example', touchId: 'out-follow-up', isFirstTouch: false };
    expect(await claimSendSlots(services, tenantId, followUp, twoNew)).toBeUndefined();
  });

  it('takes nothing more for a retried send, nor a second new-recipient slot for a recipient counted today', async () => {
    const tenantId = freshTenant();
    const services = { store, clock: handClock() };
    const oneEach = caps({ sendsPerMailboxPerDay: 2, newRecipientsPerMailboxPerDay: 1 });
    const first = { mailbox: 'seller@vendor.example', to: 'dana@acme.example', touchId: 'out-a', isFirstTouch: true };
    expect(await claimSendSlots(services, tenantId, first, oneEach)).toBeUndefined();
    expect(await claimSendSlots(services, tenantId, first, oneEach)).toBeUndefined();
    expect(await claimSendSlots(services, tenantId, { ...first, touchId: 'out-b' }, oneEach)).toBeUndefined();
    const third = await claimSendSlots(services, tenantId, { ...first, to: 'lee@acme.example', touchId: 'out-c' }, oneEach);
    expect(third?.rule).toBe('caps.sendsPerMailboxPerDay');
  });

  it('gives back a domain slot when the mailbox turns out to be full', async () => {
    const tenantId = freshTenant();
    const services = { store, clock: handClock() };
    const tight = caps({ sendsPerMailboxPerDay: 1, sendsPerRecipientDomainPerDay: 1 });
    expect(
      await claimSendSlots(
        services,
        tenantId,
        { mailbox: 'busy@vendor.example', to: 'a@elsewhere.example', touchId: 'out-1', isFirstTouch: false },
        tight,
      ),
    ).toBeUndefined();
    const refused = await claimSendSlots(
      services,
      tenantId,
      { mailbox: 'busy@vendor.example', to: 'b@acme.example', touchId: 'out-2', isFirstTouch: false },
      tight,
    );
    expect(refused?.rule).toBe('caps.sendsPerMailboxPerDay');
    expect(
      await claimSendSlots(
        services,
        tenantId,
        { mailbox: 'idle@vendor.example', to: 'c@acme.example', touchId: 'out-3', isFirstTouch: false },
        tight,
      ),
    ).toBeUndefined();
  });

  it('counts the minute and the hour: a full minute reopens at the next minute', async () => {
    const tenantId = freshTenant();
    const clock = handClock();
    const services = { store, clock };
    const perMinute = caps({ sendsPerMailboxPerMinute: 2 });
    const claim = (n: number) =>
      claimSendSlots(
        services,
        tenantId,
        { mailbox: 'seller@vendor.example', to: `p${n}@b${n}.example`, touchId: `out-${n}`, isFirstTouch: false },
        perMinute,
      );
    expect(await claim(1)).toBeUndefined();
    expect(await claim(2)).toBeUndefined();
    const full = await claim(3);
    expect(full && { rule: full.rule, retryAt: new Date(full.retryAt).toISOString() }).toEqual({
      rule: 'caps.sendsPerMailboxPerMinute',
      retryAt: '2025-03-12T09:01:00.000Z',
    });
    clock.advanceMinutes(1);
    expect(await claim(3)).toBeUndefined();
  });
  it('holds a cap another process filled after this one last wrote the counter', async () => {
    const tenantId = freshTenant();
    const clock = handClock();
    const twoADay = caps({ sendsPerMailboxPerDay: 2 });
    const claim = (n: number) => ({ mailbox: 'shared@vendor.example', to: `p${n}@b${n}.example`, touchId: `out-${n}`, isFirstTouch: false });
    expect(await claimSendSlots({ store, clock }, tenantId, claim(1), twoADay)).toBeUndefined();
    expect(await claimSendSlots({ store: otherProcessStore, clock }, tenantId, claim(2), twoADay)).toBeUndefined();

    const third = await claimSendSlots({ store, clock }, tenantId, claim(3), twoADay);
    expect(third?.rule).toBe('caps.sendsPerMailboxPerDay');
    const counters = await store.forTenant(tenantId).sendCounters.query();
    expect(counters.find((counter) => counter.mailbox === 'shared@vendor.example')?.recipients).toHaveLength(2);
  });

  it('holds a cap another process filled when this one presumed the counter unwritten: one refused write and one read', async () => {
    const tenantId = freshTenant();
    const clock = handClock();
    const twoADay = caps({ sendsPerMailboxPerDay: 2 });
    const claim = (n: number) => ({ mailbox: 'fresh@vendor.example', to: `p${n}@b${n}.example`, touchId: `out-${n}`, isFirstTouch: false });
    expect(await claimSendSlots({ store: otherProcessStore, clock }, tenantId, claim(1), twoADay)).toBeUndefined();
    expect(await claimSendSlots({ store: otherProcessStore, clock }, tenantId, claim(2), twoADay)).toBeUndefined();

    const items = store.sendCounters.container.items;
    const reads = vi.spyOn(items, 'query');
    const writes = vi.spyOn(items, 'batch');
    try {
      const presumedUnwritten = {};
      const third = await claimSendSlots({ store, clock }, tenantId, claim(3), twoADay, presumedUnwritten);
      expect(third?.rule).toBe('caps.sendsPerMailboxPerDay');
      expect({ reads: reads.mock.calls.length, writes: writes.mock.calls.length }).toEqual({ reads: 1, writes: 1 });
      // What that read found is remembered: the next send looks at the store again before deferring, writing nothing.
      const fourth = await claimSendSlots({ store, clock }, tenantId, claim(4), twoADay, presumedUnwritten);
      expect(fourth?.rule).toBe('caps.sendsPerMailboxPerDay');
      expect({ reads: reads.mock.calls.length, writes: writes.mock.calls.length }).toEqual({ reads: 2, writes: 1 });
    } finally {
      reads.mockRestore();
      writes.mockRestore();
    }
    const counters = await store.forTenant(tenantId).sendCounters.query();
    expect(counters.find((counter) => counter.mailbox === 'fresh@vendor.example')?.recipients).toHaveLength(2);
  });

  it('sends into a slot given back elsewhere instead of deferring on what this process remembers', async () => {
    const tenantId = freshTenant();
    const clock = handClock();
    const oneADay = caps({ sendsPerRecipientDomainPerDay: 1 });
    const claim = (n: number) => ({ mailbox: `seller${n}@vendor.example`, to: `p${n}@acme.example`, touchId: `out-${n}`, isFirstTouch: false });
    expect(await claimSendSlots({ store, clock }, tenantId, claim(1), oneADay)).toBeUndefined();
    const domainCounter = (await otherProcessStore.forTenant(tenantId).sendCounters.query()).find((counter) => counter.mailbox === 'acme.example')!;
    await otherProcessStore.forTenant(tenantId).sendCounters.update(domainCounter.id, (counter) => ({ ...counter, recipients: [] }));

    expect(await claimSendSlots({ store, clock }, tenantId, claim(2), oneADay)).toBeUndefined();
  });
});
