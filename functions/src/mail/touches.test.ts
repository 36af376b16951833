import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '@asep/local/cosmos-emulator';
import type { ProspectRecord } from '../prospects/records';
import { createCosmosClient, ensureDatabase } from '../store/cosmos';
import { createStore, type Store } from '../store/store';
import type { MessageRecord } from './message';
import { findTouch, indexTouch } from './message-index';
import { queryTouches, readProspectAndTouch, recordTouchSent, touchPartition } from './touches';

let emulator: RunningEmulator;
let store: Store;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = createStore(await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'touches' }), 'touches'));
});
afterAll(async () => emulator.close());

let tenants = 0;
const freshTenant = () => `tenant-${(tenants += 1)}`;

async function enrolledProspect(tenantId: string, id: string): Promise<ProspectRecord> {
  return store.prospects.create({
    id,
    pk: hashedPartition(tenantId, id),
    tenantId,
    email: `${id}@touches.example`,
    domain: 'touches.example',
    status: 'enrolled',
    createdAt: '2025-03-12T09:00:00Z',
    updatedAt: '2025-03-12T09:00:00Z',
  });
}

function touch(tenantId: string, prospectId: string, id: string, pk = touchPartition(tenantId, prospectId)): Omit<MessageRecord, 'docType'> {
  return {
    id,
    pk,
    tenantId,
    direction: 'outbound',
    status: 'claimed',
    internetMessageId: `<${id}@touches.example>`,
    mailbox: 'seller@touches.example',
    from: 'seller@touches.example',
    to: `${prospectId}@touches.example`,
    subject: 'Hello',
    body: 'Hello there.',
    headers: {},
    at: '2025-03-12T09:00:00Z',
    conversationId: id,
    prospectId,
  };
}

describe('touches kept beside their prospect', () => {
  it('reads a prospect with the touch of its current step, and marks both sent and contacted together', async () => {
    const tenantId = freshTenant();
    await enrolledProspect(tenantId, 'pat');
    await store.touches.create(touch(tenantId, 'pat', 'out-1'));

    const { prospect, touch: claimed } = await readProspectAndTouch(store, tenantId, 'pat', 'out-1');
    expect(prospect?.status).toBe('enrolled');
    expect(claimed?.status).toBe('claimed');
    await recordTouchSent(store, claimed!, '2025-03-12T09:01:00Z', prospect);

    const after = await readProspectAndTouch(store, tenantId, 'pat', 'out-1');
    expect(after.touch).toMatchObject({ status: 'sent', at: '2025-03-12T09:01:00Z' });
    expect(after.prospect).toMatchObject({ status: 'contacted', updatedAt: '2025-03-12T09:01:00Z' });
    expect((await readProspectAndTouch(store, tenantId, 'pat', 'out-2')).touch).toBeUndefined();
  });

  it('keeps a prospect replied when the reply marked it while its email was being sent; the touch still says sent', async () => {
    const tenantId = freshTenant();
    const asRead = await enrolledProspect(tenantId, 'sam');
    const claimed = await store.touches.create(touch(tenantId, 'sam', 'out-1'));
    await store.prospects.replace({ ...asRead, status: 'replied', updatedAt: '2025-03-12T09:00:30Z' });

    await recordTouchSent(store, claimed, '2025-03-12T09:01:00Z', asRead);

    const after = await readProspectAndTouch(store, tenantId, 'sam', 'out-1');
    expect(after.touch?.status).toBe('sent');
    expect(after.prospect?.status).toBe('replied');
  });

  it('still counts and finds touches recorded in the messages container before touches moved beside their prospect', async () => {
    const tenantId = freshTenant();
    const earlier = await store.messages.create({ ...touch(tenantId, 'kim', 'out-old', hashedPartition(tenantId, 'out-old')), status: 'sent' });
    // Its index entry as written then: without the mark that the touch is kept beside its prospect.
    await indexTouch({ store }, earlier);
    const index = await store.messageIndex.query(tenantId, 'c.messageId = @id', [{ name: '@id', value: earlier.id }]);
    await store.messageIndex.replace({ ...index[0]!, besideProspect: undefined });

    await enrolledProspect(tenantId, 'kim');
    const beside = await store.touches.create({ ...touch(tenantId, 'kim', 'out-new'), status: 'sent' });
    await indexTouch({ store }, beside);

    const sent = await queryTouches(store, tenantId, "c.status = 'sent'");
    expect(sent.map((record) => record.id).sort()).toEqual(['out-new', 'out-old']);
    expect((await findTouch({ store }, tenantId, earlier.internetMessageId))?.id).toBe('out-old');
    expect((await findTouch({ store }, tenantId, beside.internetMessageId))?.id).toBe('out-new');
  });
});
