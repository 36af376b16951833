import { AssociationTypes, Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as ObjectCategory } from '@hubspot/api-client/lib/codegen/crm/objects';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../functions/src/audit/audit-log';
import { AdjustableClock } from '../../functions/src/clock/clock';
import type { Services } from '../../functions/src/composition/services';
import type { CrmNewDeal } from '../../functions/src/crm/crm-provider';
import { InternalCrm } from '../../functions/src/crm/internal-crm';
import { createDealFromReply } from '../../functions/src/deals/deals';
import type { HubSpotIntegration } from '../../functions/src/hubspot/integration';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '../../local/src/cosmos-emulator';
import type { ProspectRecord } from '../../functions/src/prospects/records';
import { createCosmosClient, ensureDatabase } from '../../functions/src/store/cosmos';
import { createStore, type Store } from '../../functions/src/store/store';
import { configureLog } from '../../functions/src/telemetry/telemetry';
import type { Campaign } from '@asep/shared/campaigns/campaign';
import { assignableProspects, assignCampaign } from '../../functions/src/campaigns/assignment';
import { hubspotRequestsPerLoop } from '../../bench/hubspot-requests';
import { hubSpotError, startHubSpotFake, type HubSpotFake } from './fakes/hubspot';
import { connectedHubSpot } from './fakes/hubspot-integration';

const connected = '3c0f9a52-0000-4000-8000-00000000c0c0';
const notConnected = '3c0f9a52-0000-4000-8000-00000000d1d1';

let emulator: RunningEmulator;
let database = 0;
beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(() => emulator.close());

let fake: HubSpotFake;
let store: Store;
let audit: AuditLog;
let hubspot: HubSpotIntegration;
const clock = new AdjustableClock();

beforeEach(async () => {
  database += 1;
  fake = await startHubSpotFake();
  store = createStore(
    await ensureDatabase(createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: `mirror-${database}` }), `mirror-${database}`),
  );
  audit = new AuditLog(store.auditContainer, clock);
  ({ hubspot } = await connectedHubSpot({ fakeUrl: fake.url, store, audit, clock, tenantId: connected, maxAttempts: 1 }));
});
afterEach(() => fake.close());

const dana = { email: 'dana@fabrikam.example', firstName: 'Dana', company: 'Fabrikam', domain: 'fabrikam.example' };

/** A deal with Dana as `createDealFromReply` hands it to the CRM. */
function dealWithDana(dealId: string): CrmNewDeal {
  const at = clock.now().toISOString();
  return {
    contact: dana,
    evidence: { engagementId: `evidence:${dealId}`, type: 'note', contactEmail: dana.email, dealId, subject: 'Positive reply', body: 'Yes.', at },
    record: {
      id: dealId,
      name: 'Fabrikam – Dana',
      stage: 'POSITIVE_REPLY',
      prospectId: 'prospect-dana',
      contactEmail: dana.email,
      companyDomain: dana.domain,
      sourceMessageId: `message-${dealId}`,
      confidence: 0.9,
      createdAt: at,
      updatedAt: at,
    },
  };
}

describe('the mirrored CRM (internal system of record, HubSpot mirror)', () => {
  it('writes a deal to the internal CRM first and mirrors it, its contact and its note to HubSpot', async () => {
    const crm = hubspot.mirror(new InternalCrm(store, clock, () => 'https://asep.example/console/'));

    const made = await crm.createDeal(connected, dealWithDana('deal-first'));

    expect(made.crm?.system).toBe('internal');
    expect(await store.crmObjects.query(connected, "c.objectType = 'contact'")).toHaveLength(1);
    expect(fake.records('deals')).toHaveLength(1);
    expect(fake.records('notes')).toHaveLength(1);
    expect(fake.records('contacts')).toEqual([expect.objectContaining({ properties: expect.objectContaining({ email: dana.email }) })]);
  });

  it('leaves HubSpot alone for a tenant that has not connected it', async () => {
    const crm = hubspot.mirror(new InternalCrm(store, clock, () => 'https://asep.example/console/'));

    await crm.createDeal(notConnected, dealWithDana('deal-alone'));

    expect(await store.crmObjects.query(notConnected, "c.objectType = 'contact'")).toHaveLength(1);
    expect(await store.deals.query(notConnected)).toHaveLength(1);
    expect(fake.requests).toEqual([]);
  });

  it('keeps ASEP’s write when HubSpot fails, audits the deferral, and replays it later without a twin', async () => {
    const crm = hubspot.mirror(new InternalCrm(store, clock, () => 'https://asep.example/console/'));
    fake.failNext('contacts:Batch_upsert', { status: 503, body: hubSpotError(503, 'Service unavailable') });

    await crm.createDeal(connected, dealWithDana('deal-deferred'));
    const deferred = (await audit.all(connected)).filter((event) => event.type === 'crm.mirror_deferred');
    const outstanding = await crm.replayBacklog(connected);
    const again = await crm.replayBacklog(connected);

    expect(await store.crmObjects.query(connected, "c.objectType = 'contact'")).toHaveLength(1);
    expect(deferred).toEqual([
      expect.objectContaining({ payload: expect.objectContaining({ operation: 'upsertContact', error: '503 INTERNAL_ERROR', retryable: true }) }),
    ]);
    expect(JSON.stringify(deferred)).not.toContain(dana.email);
    expect(outstanding).toBe(0);
    expect(again).toBe(0);
    expect(fake.records('contacts')).toHaveLength(1);
  });

  it('mirrors a deal a retry found made as it was made, creating no second deal or note in HubSpot', async () => {
    const crm = hubspot.mirror(new InternalCrm(store, clock, () => 'https://asep.example/console/'));
    const first = dealWithDana('deal-retried');
    await crm.createDeal(connected, first);
    clock.advance(60_000);
    const retry = dealWithDana('deal-retried');

    const made = await crm.createDeal(connected, { ...retry, record: { ...retry.record, stage: 'QUALIFIED' } });

    expect(made).toMatchObject({ stage: 'POSITIVE_REPLY', createdAt: first.record.createdAt });
    expect(fake.records('deals')).toEqual([expect.objectContaining({ properties: expect.objectContaining({ dealstage: 'appointmentscheduled' }) })]);
    expect(fake.records('notes')).toHaveLength(1);
    expect(await store.crmObjects.query(connected, "c.objectType = 'note'")).toHaveLength(1);
  });

  it('does not replay an older failed stage over a newer one that went through', async () => {
    const crm = hubspot.mirror(new InternalCrm(store, clock, () => 'https://asep.example/console/'));
    const deal = {
      dealId: 'deal-mirror-1',
      name: 'Fabrikam – Dana',
      stage: 'POSITIVE_REPLY' as const,
      contactEmail: dana.email,
      companyDomain: dana.domain,
    };
    await crm.upsertDeal(connected, deal);
    fake.failNext('deals:Basic_update', { status: 503, body: hubSpotError(503, 'Service unavailable') });
    await crm.upsertDeal(connected, { ...deal, stage: 'MEETING_BOOKED' });
    await crm.upsertDeal(connected, { ...deal, stage: 'QUALIFIED' });

    await crm.replayBacklog(connected);

    expect(fake.records('deals')).toEqual([expect.objectContaining({ properties: expect.objectContaining({ dealstage: 'qualifiedtobuy' }) })]);
  });

  it('turns a positive reply into a HubSpot deal with its contact, company and evidence note', async () => {
    const crm = hubspot.mirror(new InternalCrm(store, clock, () => 'https://asep.example/console/'));
    const services = { store, clock, audit, crm } as unknown as Services;
    const now = clock.now().toISOString();
    const prospect: ProspectRecord = {
      id: 'prospect-dana',
      pk: connected,
      tenantId: connected,
      docType: 'prospect',
      ...dana,
      lastName: 'Reyes',
      status: 'replied',
      createdAt: now,
      updatedAt: now,
    };

    const deal = await createDealFromReply(services, {
      tenantId: connected,
      prospect,
      sourceMessageId: 'message-1',
      confidence: 0.93,
      stage: 'POSITIVE_REPLY',
      excerpt: 'Sounds good, send me two times for next week.',
      correlationId: 'test',
      actor: { type: 'system', id: 'test' },
    });

    const [contact] = fake.records('contacts');
    const [company] = fake.records('companies');
    const [hubSpotDeal] = fake.records('deals');
    const [note] = fake.records('notes');
    expect(hubSpotDeal?.properties).toMatchObject({ dealname: deal.name, dealstage: 'appointmentscheduled' });
    expect(note?.properties.hs_note_body).toContain('confidence 0.93');
    expect(note?.properties.hs_note_body).toContain('send me two times');
    const links = fake.associations.map((link) => [link.fromId, link.toId, link.types[0]?.associationTypeId]);
    expect(links).toEqual(
      expect.arrayContaining([
        [contact!.id, company!.id, AssociationTypes.contactToCompany],
        [hubSpotDeal!.id, contact!.id, AssociationTypes.dealToContact],
        [hubSpotDeal!.id, company!.id, AssociationTypes.dealToCompany],
        [note!.id, contact!.id, AssociationTypes.noteToContact],
        [note!.id, hubSpotDeal!.id, AssociationTypes.noteToDeal],
      ]),
    );
    expect(fake.violations).toEqual([]);
  });

  it('researches a connected tenant’s account in HubSpot itself, where people’s notes are, and another tenant’s in ASEP’s own CRM', async () => {
    const internal = new InternalCrm(store, clock, () => 'https://asep.example/console/');
    const crm = hubspot.mirror(internal);
    const sdk = new Client({ accessToken: 'access', basePath: fake.url });
    const company = await sdk.crm.objects.basicApi.create('companies', {
      properties: { name: 'Fabrikam', domain: dana.domain, industry: 'Logistics' },
      associations: [],
    });
    await sdk.crm.objects.basicApi.create('notes', {
      properties: { hs_note_body: '<p>Typed in HubSpot by the account owner.</p>', hs_timestamp: '2030-02-01T09:00:00.000Z' },
      associations: [
        {
          to: { id: company.id },
          types: [{ associationCategory: ObjectCategory.HubspotDefined, associationTypeId: AssociationTypes.noteToCompany }],
        },
      ],
    });
    await internal.describeAccount(notConnected, dana.domain, { industry: 'Retail' });
    const seeded = fake.requests.length;

    const fromHubSpot = await crm.accountHistory(connected, dana);
    const fromInternal = await crm.accountHistory(notConnected, dana);

    expect(fromHubSpot.company).toMatchObject({ id: company.id, properties: { industry: 'Logistics' } });
    expect(fromHubSpot.notes.map((note) => note.body)).toEqual(['Typed in HubSpot by the account owner.']);
    expect(fromInternal.company?.properties).toMatchObject({ industry: 'Retail' });
    // Research never writes to the portal.
    expect(
      fake.requests.slice(seeded).filter((request) => request.method !== 'GET' && !/Search_doSearch|Batch_read/.test(request.operation ?? '')),
    ).toEqual([]);
    expect(fake.violations).toEqual([]);
  });
});

describe('assigning prospects by the account owner in HubSpot', () => {
  const ana = 'ana@contoso.example';
  const ben = 'ben@contoso.example';
  const campaign = { mailbox: ana, mailboxes: [ana, ben], assignment: { rule: 'account_owner' }, mailboxLoad: {} } as unknown as Campaign;
  const prospect = (id: string, email: string) => ({ id, email, domain: email.split('@')[1]! }) as unknown as ProspectRecord;
  const prospects = [
    prospect('p-dana', 'dana@fabrikam.example'),
    prospect('p-dora', 'dora@fabrikam.example'),
    prospect('p-eli', 'eli@northwind.example'),
    prospect('p-fay', 'fay@litware.example'),
    prospect('p-gus', 'gus@adatum.example'),
  ];

  /** Ben owns Dana and Dora's contacts and Northwind's company; someone who is no rep owns Fay's contact. */
  async function arrangePortal() {
    const sdk = new Client({ accessToken: 'access', basePath: fake.url });
    const benId = fake.addOwner({ email: 'Ben@contoso.example', firstName: 'Ben' });
    const outsiderId = fake.addOwner({ email: 'pat@partner.example' });
    for (const email of ['dana@fabrikam.example', 'dora@fabrikam.example'])
      await sdk.crm.contacts.basicApi.create({ properties: { email, hubspot_owner_id: benId }, associations: [] });
    await sdk.crm.contacts.basicApi.create({ properties: { email: 'eli@northwind.example' }, associations: [] });
    await sdk.crm.companies.basicApi.create({ properties: { domain: 'northwind.example', hubspot_owner_id: benId }, associations: [] });
    await sdk.crm.contacts.basicApi.create({ properties: { email: 'fay@litware.example', hubspot_owner_id: outsiderId }, associations: [] });
    return fake.requests.length;
  }

  async function assign(tenantId: string) {
    const internal = new InternalCrm(store, clock, () => 'https://asep.example/console/');
    // ASEP's own record names Ana as Litware's owner: it answers where HubSpot's owner is no rep.
    await internal.setAccountOwner(tenantId, 'litware.example', ana);
    const services = { store, clock, audit, crm: hubspot.mirror(internal) } as unknown as Services;
    return assignCampaign(campaign, await assignableProspects(services, tenantId, campaign, prospects)).assignments;
  }

  it("gives a prospect whose HubSpot contact (or company) rep Ben owns to Ben's mailbox, asking each owner once", async () => {
    const seeded = await arrangePortal();

    const assignments = await assign(connected);

    expect(assignments).toEqual({
      'p-dana': { mailbox: ben, reason: 'account owner' },
      'p-dora': { mailbox: ben, reason: 'account owner' },
      'p-eli': { mailbox: ben, reason: 'account owner' },
      'p-fay': { mailbox: ana, reason: 'account owner' },
      'p-gus': { mailbox: ana, reason: 'round-robin' },
    });
    // One batch read of the five contacts, one company search per owner-less domain, one read per distinct owner.
    expect(fake.requests.slice(seeded).map((request) => request.operation)).toEqual([
      'contacts:Batch_read',
      'companies:Search_doSearch',
      'companies:Search_doSearch',
      'owners:Owners_getById',
      'owners:Owners_getById',
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('assigns by ASEP’s own account owners and the campaign’s rule when HubSpot fails, without failing', async () => {
    await arrangePortal();
    fake.failNext('contacts:Batch_read', { status: 503, body: hubSpotError(503, 'Service unavailable') });

    const assignments = await assign(connected);

    expect(assignments['p-dana']).toEqual({ mailbox: ana, reason: 'round-robin' });
    expect(assignments['p-fay']).toEqual({ mailbox: ana, reason: 'account owner' });
    expect(Object.values(assignments).filter((assignment) => assignment.mailbox === ben)).toHaveLength(2);
  });

  it('logs that HubSpot failed when assigning falls back to ASEP’s own owners: which call and status, no address or token', async () => {
    await arrangePortal();
    fake.failNext('contacts:Batch_read', { status: 503, body: hubSpotError(503, 'Service unavailable for dana@fabrikam.example') });
    const lines: string[] = [];
    const previous = configureLog({ sink: (line) => lines.push(line) });
    try {
      const assignments = await assign(connected);
      expect(assignments['p-fay']).toEqual({ mailbox: ana, reason: 'account owner' });
    } finally {
      configureLog(previous);
    }

    const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.level === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('HubSpot account owners unavailable'),
        tenantId: connected,
        operation: expect.stringContaining('contacts'),
        status: 503,
        retryable: true,
      }),
    ]);
    expect(lines.join('\n')).not.toMatch(/fabrikam\.example|access|refresh|Bearer/);
  });

  it('asks HubSpot nothing for a tenant that has not connected it', async () => {
    await arrangePortal();
    const before = fake.requests.length;

    const assignments = await assign(notConnected);

    expect(assignments['p-fay']).toEqual({ mailbox: ana, reason: 'account owner' });
    expect(fake.requests.length).toBe(before);
  });
});

describe('bench helper', () => {
  it('counts the HubSpot requests of one positive reply: six, all accepted by the spec', async () => {
    expect(await hubspotRequestsPerLoop()).toBe(6);
  });
});
