import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DurableClient } from 'durable-functions';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '@asep/local/cosmos-emulator';
import type { Services } from '../composition/services';
import { triageInstanceId } from '../orchestrations/instance-ids';
import { createCosmosClient, ensureDatabase } from '../store/cosmos';
import { createStore, type Store } from '../store/store';
import { ensureTenant } from '../tenants/directory';
import { receiveMessage, type ReceivedMessage } from './inbound';
import type { MessageRecord } from './message';
import { earlierInboundId, findReceived, indexTouch, messageKey } from './message-index';
import { touchPartition } from './touches';

let emulator: RunningEmulator;
let store: Store;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = createStore(await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'inbound' }), 'inbound'));
});
afterAll(async () => emulator.close());

const now = new Date('2026-11-20T10:00:00Z');
let tenants = 0;

/** A fresh services (so nothing is remembered between tests) over the shared store, and the triages it started. */
function intake() {
  const started: { instanceId: string; messageId: string; handedOver: boolean }[] = [];
  const finished = new Set<string>();
  const services = {
    store,
    clock: { now: () => now },
    mayProvision: async () => true,
    audit: { append: async () => undefined },
  } as unknown as Services;
  const durable = {
    startNew: async (_name: string, options: { instanceId: string; input: { messageId: string; message?: unknown } }) => {
      started.push({ instanceId: options.instanceId, messageId: options.input.messageId, handedOver: Boolean(options.input.message) });
      finished.add(options.instanceId);
      return options.instanceId;
    },
    getStatus: async (instanceId: string) => (finished.has(instanceId) ? { runtimeStatus: 'Completed' } : { runtimeStatus: undefined }),
  } as unknown as DurableClient;
  return { services, durable, started, finished, tenantId: `tenant-inbound-${(tenants += 1)}` };
}

function reply(internetMessageId: string, receivedAt = now.toISOString()): ReceivedMessage {
  return {
    internetMessageId,
    mailbox: 'seller@inbound.example',
    from: 'pat@buyer.example',
    to: 'seller@inbound.example',
    subject: 'Re: Hello',
    body: 'Thanks, not now.',
    headers: { 'In-Reply-To': '<first@inbound.example>' },
    receivedAt,
  };
}

async function storedUnder(tenantId: string, id: string): Promise<MessageRecord | undefined> {
  return store.forTenant(tenantId).messages.read(id);
}

describe('taking in a received message', () => {
  it('stores a reply under its message key and starts its triage once, however often it is delivered', async () => {
    const { services, durable, started, tenantId } = intake();
    await ensureTenant(services, tenantId);

    const first = await receiveMessage(services, durable, tenantId, reply('<r1@buyer.example>'));
    const again = await receiveMessage(services, durable, tenantId, reply('<r1@buyer.example>'));

    expect([first.triaged, again.triaged]).toEqual([true, true]);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ messageId: messageKey(tenantId, '<r1@buyer.example>').id, handedOver: true });
    expect((await findReceived(services, tenantId, '<r1@buyer.example>'))?.from).toBe('pat@buyer.example');
  });

  it('leaves one of ASEP’s own touches, arriving in a connected mailbox, untriaged and unstored', async () => {
    const { services, durable, started, tenantId } = intake();
    await ensureTenant(services, tenantId);
    const sent = {
      id: 'out-own',
      pk: touchPartition(tenantId, 'pat'),
      tenantId,
      internetMessageId: '<own@inbound.example>',
      mailbox: 'seller@inbound.example',
      to: 'team@inbound.example',
      at: now.toISOString(),
      prospectId: 'pat',
    };
    await indexTouch(services, sent);

    const outcome = await receiveMessage(services, durable, tenantId, { ...reply('<own@inbound.example>'), from: 'seller@inbound.example' });

    expect(outcome.triaged).toBe(false);
    expect(started).toHaveLength(0);
    expect(await findReceived(services, tenantId, '<own@inbound.example>')).toBeUndefined();
  });

  describe('on a tenant whose messages were stored under keys of their own before', () => {
    /** A message the version before triaged and stored under its earlier key. */
    async function storedBefore(tenantId: string, internetMessageId: string, receivedAt: string, finished: Set<string>) {
      const { receivedAt: _receivedAt, ...then } = reply(internetMessageId, receivedAt);
      await store.forTenant(tenantId).messages.create({
        ...then,
        id: earlierInboundId(internetMessageId),
        internetMessageId,
        direction: 'inbound',
        at: receivedAt,
        conversationId: '<first@inbound.example>',
        triage: { status: 'done' },
      });
      finished.add(triageInstanceId(tenantId, internetMessageId));
    }

    async function tenantFromBefore() {
      const setup = intake();
      await store.forTenant(setup.tenantId).tenants.create({ id: 'tenant', name: setup.tenantId, createdAt: '2026-01-05T09:00:00Z' });
      await storedBefore(setup.tenantId, '<then@buyer.example>', '2026-11-01T08:00:00Z', setup.finished);
      return setup;
    }

    it('does not store or triage again a message delivered again that was stored under its earlier key', async () => {
      const { services, durable, started, tenantId } = await tenantFromBefore();

      const outcome = await receiveMessage(services, durable, tenantId, reply('<then@buyer.example>', '2026-11-01T08:00:00Z'));

      expect(outcome.triaged).toBe(true);
      expect(started).toHaveLength(0);
      expect(await storedUnder(tenantId, messageKey(tenantId, '<then@buyer.example>').id)).toBeUndefined();
      expect((await findReceived(services, tenantId, '<then@buyer.example>'))?.triage?.status).toBe('done');
    });

    it('stores a message received since under its message key, and marks the tenant', async () => {
      const { services, durable, started, tenantId } = await tenantFromBefore();

      await receiveMessage(services, durable, tenantId, reply('<since@buyer.example>', new Date(now.getTime() + 60_000).toISOString()));

      expect(started.map((start) => start.messageId)).toEqual([messageKey(tenantId, '<since@buyer.example>').id]);
      expect((await store.forTenant(tenantId).tenants.read('tenant'))?.messageKeysSince).toBe(now.toISOString());
    });

    it('does not triage again a message the version before stored under its earlier key just after the tenant was marked', async () => {
      const { services, durable, started, tenantId, finished } = await tenantFromBefore();
      await receiveMessage(services, durable, tenantId, reply('<marks@buyer.example>'));
      // Still running during a rolling deployment, the version before stored this one an hour later.
      const anHourLater = new Date(now.getTime() + 3_600_000).toISOString();
      await storedBefore(tenantId, '<rolling@buyer.example>', anHourLater, finished);

      await receiveMessage(services, durable, tenantId, reply('<rolling@buyer.example>', anHourLater));

      expect(started.map((start) => start.messageId)).toEqual([messageKey(tenantId, '<marks@buyer.example>').id]);
      expect(await storedUnder(tenantId, messageKey(tenantId, '<rolling@buyer.example>').id)).toBeUndefined();
    });
  });
});
