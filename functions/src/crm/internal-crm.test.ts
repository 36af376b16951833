import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '@asep/local/cosmos-emulator';
import { touchPartition } from '../mail/touches';
import { createCosmosClient, ensureDatabase } from '../store/cosmos';
import { createStore, type Store } from '../store/store';
import { InternalCrm } from './internal-crm';

let emulator: RunningEmulator;
let store: Store;
let crm: InternalCrm;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  store = createStore(
    await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'internal-crm' }), 'internal-crm'),
  );
  crm = new InternalCrm(store, { now: () => new Date('2025-03-12T10:00:00Z') }, () => 'http://console.example');
});
afterAll(async () => emulator.close());

describe('the internal CRM', () => {
  it('shows an email ASEP sent as the account’s last activity, read from its touch rather than a second copy', async () => {
    const tenantId = 'tenant-crm';
    await store.touches.create({
      id: 'out-1',
      pk: touchPartition(tenantId, 'dana'),
      tenantId,
      direction: 'outbound',
      status: 'sent',
      internetMessageId: '<out-1@crm.example>',
      mailbox: 'seller@crm.example',
      from: 'seller@crm.example',
      to: 'dana@fabrikam.example',
      subject: 'Idea for Fabrikam',
      body: 'Hi Dana',
      headers: {},
      at: '2025-03-12T09:00:00Z',
      conversationId: 'out-1',
      prospectId: 'dana',
    });
    const engagement = {
      engagementId: 'out-1',
      type: 'email',
      contactEmail: 'dana@fabrikam.example',
      subject: 'Idea for Fabrikam',
      body: 'Hi Dana',
    } as const;
    const logged = await crm.logEngagement(tenantId, { ...engagement, at: '2025-03-12T09:00:00Z', sentTouch: true });
    await crm.logEngagement(tenantId, {
      engagementId: 'note-1',
      type: 'note',
      contactEmail: 'dana@fabrikam.example',
      subject: 'Met at expo',
      body: 'Met at expo',
      at: '2025-03-11T09:00:00Z',
    });

    expect(await store.crmObjects.query(tenantId, "c.objectType = 'email'")).toEqual([]);
    const history = await crm.accountHistory(tenantId, { email: 'dana@fabrikam.example', domain: 'fabrikam.example' });
    expect(history.lastActivity).toEqual({ id: logged.id, type: 'email', subject: 'Idea for Fabrikam', at: '2025-03-12T09:00:00Z' });
    expect(history.notes.map((note) => note.body)).toEqual(['Met at expo']);
    // Someone else's email is not this account's activity.
    expect((await crm.accountHistory(tenantId, { email: 'lee@contoso.example', domain: 'contoso.example' })).lastActivity).toBeUndefined();
  });

  it('records a deal with its contact, its company and its evidence once, keeping what the account already held', async () => {
    const tenantId = 'tenant-crm-deal';
    await crm.setAccountOwner(tenantId, 'northwind.example', 'Rep@Seller.example', 'Northwind Traders');
    const newDeal = {
      contact: { email: 'kim@northwind.example', firstName: 'Kim', domain: 'northwind.example' },
      evidence: {
        engagementId: 'evidence:deal-kim',
        type: 'note',
        contactEmail: 'kim@northwind.example',
        dealId: 'deal-kim',
        subject: 'Positive reply (confidence 0.91)',
        body: 'Yes, let us talk on Thursday.',
        at: '2025-03-12T10:00:00Z',
      },
      record: {
        id: 'deal-kim',
        name: 'Northwind – Kim',
        stage: 'POSITIVE_REPLY',
        prospectId: 'kim',
        contactEmail: 'kim@northwind.example',
        companyDomain: 'northwind.example',
        sourceMessageId: 'mid-kim',
        confidence: 0.91,
        createdAt: '2025-03-12T10:00:00Z',
        updatedAt: '2025-03-12T10:00:00Z',
      },
    } as const;

    const first = await crm.createDeal(tenantId, newDeal);
    const again = await crm.createDeal(tenantId, { ...newDeal, record: { ...newDeal.record, confidence: 0.5 } });

    expect(first).toMatchObject({ id: 'deal-kim', crm: { system: 'internal', id: 'deal-kim', url: 'http://console.example#/deals/deal-kim' } });
    expect(again.confidence).toBe(0.91);
    expect(await store.deals.query(tenantId)).toHaveLength(1);
    const history = await crm.accountHistory(tenantId, { email: 'kim@northwind.example', domain: 'northwind.example' });
    expect(history.notes.map((note) => note.body)).toEqual(['Yes, let us talk on Thursday.']);
    expect(history.deals.map((deal) => deal.id)).toEqual(['deal-kim']);
    expect(history.company?.properties).toMatchObject({ owner: 'rep@seller.example', name: 'Northwind Traders' });
    const owners = await crm.accountOwners(tenantId, [{ email: 'kim@northwind.example', domain: 'northwind.example' }], ['rep@seller.example']);
    expect(owners.get('kim@northwind.example')).toBe('rep@seller.example');
  });
});
