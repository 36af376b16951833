import { AssociationTypes, Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as ObjectCategory } from '@hubspot/api-client/lib/codegen/crm/objects';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdjustableClock } from '../../functions/src/clock/clock';
import type { CrmContact, CrmDealInput, CrmEngagement } from '../../functions/src/crm/crm-provider';
import type { HubSpotAccess } from '../../functions/src/hubspot/connections';
import { defaultDealStageMapping } from '../../functions/src/hubspot/deal-stages';
import { HubSpotCrm, suppressionProperty } from '../../functions/src/hubspot/hubspot-crm';
import { HubSpotLinks } from '../../functions/src/hubspot/links';
import { HubSpotRateLimiter } from '../../functions/src/hubspot/rate-limit';
import { hubSpotCollections, type HubSpotCollections } from '../../functions/src/hubspot/records';
import { HubSpotRequests } from '../../functions/src/hubspot/requests';
import { emulatorKey, startCosmosEmulator, type RunningEmulator } from '../../local/src/cosmos-emulator';
import { createCosmosClient, ensureDatabase } from '../../functions/src/store/cosmos';
import { hubSpotError, startHubSpotFake, type HubSpotFake } from './fakes/hubspot';

const tenantId = '7a1e2d3c-0000-4000-8000-000000000042';
const dana: CrmContact = {
  email: 'dana@fabrikam.example',
  firstName: 'Dana',
  lastName: 'Reyes',
  company: 'Fabrikam',
  title: 'VP Sales',
  domain: 'fabrikam.example',
};
const dealInput: CrmDealInput = {
  dealId: 'deal-0123456789abcdef01234567',
  name: 'Fabrikam – Dana Reyes',
  stage: 'POSITIVE_REPLY',
  contactEmail: dana.email,
  companyDomain: dana.domain,
};
const evidence: CrmEngagement = {
  engagementId: `evidence:${dealInput.dealId}`,
  type: 'note',
  contactEmail: dana.email,
  dealId: dealInput.dealId,
  subject: 'Positive reply (confidence 0.91)',
  body: 'Sounds good – can you send two times next week?',
  at: '2030-03-04T10:00:00.000Z',
};

let emulator: RunningEmulator;
let collections: HubSpotCollections;
let database = 0;
const clock = new AdjustableClock();

beforeAll(async () => {
  emulator = await startCosmosEmulator();
});
afterAll(() => emulator.close());

let fake: HubSpotFake;
let renewals: number;
let crm: HubSpotCrm;

/** The adapter as the integration builds it, with a token source that counts renewals. */
function adapter(options: { timeoutMs?: number; maxAttempts?: number } = {}) {
  const access: HubSpotAccess = {
    hubId: 62515,
    accessToken: async () => 'hubspot-access-token',
    renewedAccessToken: async () => {
      renewals += 1;
      return `hubspot-access-token-renewed-${renewals}`;
    },
  };
  const requests = new HubSpotRequests(access, {
    basePath: fake.url,
    timeoutMs: options.timeoutMs ?? 5_000,
    limiter: new HubSpotRateLimiter(),
    maxAttempts: options.maxAttempts,
  });
  return new HubSpotCrm(requests, new HubSpotLinks(collections.links, tenantId, clock), async () => defaultDealStageMapping);
}

beforeEach(async () => {
  // A database per test keeps the link maps apart; the emulator is shared.
  database += 1;
  const store = await ensureDatabase(
    createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: `crm-${database}` }),
    `crm-${database}`,
  );
  collections = hubSpotCollections(store);
  fake = await startHubSpotFake();
  renewals = 0;
  crm = adapter();
});
afterEach(() => fake.close());

const typeIds = (fromId: string, toId: string) =>
  fake.associations
    .filter((link) => link.fromId === fromId && link.toId === toId)
    .flatMap((link) => link.types.map((type) => type.associationTypeId));

describe('HubSpot CRM adapter (real SDK) against the HubSpot fake', () => {
  it('upserts a contact twice into one HubSpot contact, associated once with one company', async () => {
    const first = await crm.upsertContact(dana);
    const second = await crm.upsertContact({ ...dana, title: 'CRO' });

    expect(second.id).toBe(first.id);
    expect(fake.records('contacts')).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ email: dana.email, firstname: 'Dana', jobtitle: 'CRO' }) }),
    ]);
    const [company] = fake.records('companies');
    expect(fake.records('companies')).toHaveLength(1);
    expect(company?.properties).toMatchObject({ domain: 'fabrikam.example', name: 'Fabrikam' });
    expect(typeIds(first.id, company!.id)).toEqual([AssociationTypes.contactToCompany]);
    // The second upsert knew the company and the association already: one request, the contact itself.
    expect(fake.requestsTo('companies:Search_doSearch')).toHaveLength(1);
    expect(fake.requestsTo('associations:Batch_create')).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('finds a company someone created in HubSpot by its domain instead of creating a second one', async () => {
    const sdk = new Client({ accessToken: 'hubspot-access-token', basePath: fake.url });
    const existing = await sdk.crm.companies.basicApi.create({ properties: { name: 'Fabrikam Inc.', domain: 'fabrikam.example' }, associations: [] });

    const contact = await crm.upsertContact(dana);

    expect(fake.records('companies')).toHaveLength(1);
    expect(typeIds(contact.id, existing.id)).toEqual([AssociationTypes.contactToCompany]);
    expect(fake.violations).toEqual([]);
  });

  it('creates the deal once in the mapped stage with its contact and company, and moves it on a stage change', async () => {
    const created = await crm.upsertDeal(dealInput);
    const moved = await crm.upsertDeal({ ...dealInput, stage: 'MEETING_BOOKED', amount: 12000 });

    expect(moved.id).toBe(created.id);
    expect(fake.records('deals')).toEqual([
      expect.objectContaining({
        properties: expect.objectContaining({ dealname: dealInput.name, pipeline: 'default', dealstage: 'presentationscheduled', amount: '12000' }),
      }),
    ]);
    const [contact] = fake.records('contacts');
    const [company] = fake.records('companies');
    expect(typeIds(created.id, contact!.id)).toEqual([AssociationTypes.dealToContact]);
    expect(typeIds(created.id, company!.id)).toEqual([AssociationTypes.dealToCompany]);
    expect(fake.violations).toEqual([]);
  });

  it('logs the positive-reply evidence as one note on the contact and the deal, however often the step runs', async () => {
    const deal = await crm.upsertDeal(dealInput);
    const first = await crm.logEngagement(evidence);
    const again = await crm.logEngagement(evidence);

    expect(again.id).toBe(first.id);
    const notes = fake.records('notes');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.properties.hs_note_body).toContain('Positive reply (confidence 0.91)');
    expect(notes[0]?.properties.hs_note_body).toContain('Sounds good – can you send two times next week?');
    expect(notes[0]?.properties.hs_timestamp).toBe(String(Date.parse(evidence.at)));
    const [contact] = fake.records('contacts');
    expect(typeIds(first.id, contact!.id)).toEqual([AssociationTypes.noteToContact]);
    expect(typeIds(first.id, deal.id)).toEqual([AssociationTypes.noteToDeal]);
    expect(fake.violations).toEqual([]);
  });

  it('logs meetings and tasks on the timeline with their own properties', async () => {
    await crm.upsertDeal(dealInput);
    await crm.logEngagement({ ...evidence, engagementId: 'meeting-1', type: 'meeting', subject: 'Intro call', body: 'Teams meeting' });
    await crm.logEngagement({
      ...evidence,
      engagementId: 'task-1',
      type: 'task',
      subject: 'Send the pilot proposal',
      body: 'Dana asked for pricing',
    });
    await crm.logEngagement({ ...evidence, engagementId: 'email-1', type: 'email', subject: 'Idea for Fabrikam', body: 'Hi Dana' });

    expect(fake.records('meetings')[0]?.properties).toMatchObject({ hs_meeting_title: 'Intro call', hs_meeting_outcome: 'SCHEDULED' });
    expect(fake.records('tasks')[0]?.properties).toMatchObject({ hs_task_subject: 'Send the pilot proposal', hs_task_status: 'NOT_STARTED' });
    expect(fake.records('emails')[0]?.properties).toMatchObject({ hs_email_subject: 'Idea for Fabrikam', hs_email_direction: 'EMAIL' });
    expect(fake.violations).toEqual([]);
  });

  it('flags a suppressed contact with the do-not-contact property', async () => {
    await crm.upsertContact(dana);
    await crm.markSuppressed(dana.email);

    expect(fake.records('contacts')).toEqual([expect.objectContaining({ properties: expect.objectContaining({ [suppressionProperty]: 'true' }) })]);
    expect(fake.violations).toEqual([]);
  });

  it('upserts 150 contacts in two batches of at most 100', async () => {
    const many = Array.from({ length: 150 }, (_, index) => ({
      email: `person${index}@contoso.example`,
      domain: 'contoso.example',
      company: 'Contoso',
    }));

    const ids = await crm.upsertContacts(many);

    expect(ids.size).toBe(150);
    expect(fake.requestsTo('contacts:Batch_upsert').map((request) => (request.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 50]);
    expect(fake.requestsTo('associations:Batch_create').map((request) => (request.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 50]);
    expect(fake.records('companies')).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });
});

describe('researching an account in HubSpot', () => {
  const sdk = () => new Client({ accessToken: 'hubspot-access-token', basePath: fake.url });
  const on = (id: string, associationTypeId: number) => ({
    to: { id },
    types: [{ associationCategory: ObjectCategory.HubspotDefined, associationTypeId }],
  });

  /** An account as people keep it in HubSpot: company facts, a won deal, notes on the company and the contact, an email and a meeting. */
  async function seedAccount() {
    const client = sdk();
    const company = await client.crm.objects.basicApi.create('companies', {
      properties: {
        name: 'Fabrikam',
        domain: 'fabrikam.example',
        industry: 'Logistics',
        numberofemployees: '420',
        city: 'Leeds',
        phone: '+44 113 000',
      },
      associations: [],
    });
    const contact = await client.crm.objects.basicApi.create('contacts', {
      properties: { email: dana.email, firstname: 'Dana' },
      associations: [on(company.id, AssociationTypes.contactToCompany)],
    });
    const deal = await client.crm.objects.basicApi.create('deals', {
      properties: { dealname: 'Fabrikam pilot', dealstage: 'closedwon', amount: '18000', closedate: '2030-01-15T00:00:00.000Z' },
      associations: [on(company.id, AssociationTypes.dealToCompany)],
    });
    const olderNote = await client.crm.objects.basicApi.create('notes', {
      properties: { hs_note_body: '<p>Renewal is owned by <strong>procurement</strong>.</p>', hs_timestamp: '2030-01-20T09:00:00.000Z' },
      associations: [on(company.id, AssociationTypes.noteToCompany)],
    });
    const newerNote = await client.crm.objects.basicApi.create('notes', {
      properties: {
        hs_note_body: '<p>Dana asked about route planning &amp; fleet data.</p>',
        hs_timestamp: String(Date.parse('2030-02-01T09:00:00.000Z')),
      },
      associations: [on(contact.id, AssociationTypes.noteToContact)],
    });
    await client.crm.objects.basicApi.create('emails', {
      properties: { hs_email_subject: 'Pilot wrap-up', hs_timestamp: '2030-01-25T09:00:00.000Z', hs_email_direction: 'EMAIL' },
      associations: [on(contact.id, AssociationTypes.emailToContact)],
    });
    const meeting = await client.crm.objects.basicApi.create('meetings', {
      properties: { hs_meeting_title: 'Quarterly review', hs_timestamp: '2030-02-10T15:00:00.000Z' },
      associations: [on(company.id, AssociationTypes.meetingToCompany)],
    });
    return { company, deal, olderNote, newerNote, meeting, seeded: fake.requests.length };
  }

  it('reads the company, its deals, the notes on company and contact newest first, and the last email or meeting, each linked to its record', async () => {
    const { company, deal, olderNote, newerNote, meeting, seeded } = await seedAccount();
    const record = (typeId: string, id: string) => `https://app.hubspot.com/contacts/62515/record/${typeId}/${id}`;

    const history = await crm.accountHistory({ email: dana.email, domain: dana.domain });

    expect(history).toEqual({
      // Only what describes the account: the phone number people keep on the company is not research.
      company: {
        id: company.id,
        url: record('0-2', company.id),
        properties: { name: 'Fabrikam', industry: 'Logistics', numberofemployees: '420', city: 'Leeds' },
      },
      deals: [{ id: deal.id, name: 'Fabrikam pilot', stage: 'WON', amount: 18000, at: '2030-01-15T00:00:00.000Z', url: record('0-3', deal.id) }],
      notes: [
        { id: newerNote.id, body: 'Dana asked about route planning & fleet data.', at: '2030-02-01T09:00:00.000Z', url: record('0-2', company.id) },
        { id: olderNote.id, body: 'Renewal is owned by procurement.', at: '2030-01-20T09:00:00.000Z', url: record('0-2', company.id) },
      ],
      lastActivity: { id: meeting.id, type: 'meeting', subject: 'Quarterly review', at: '2030-02-10T15:00:00.000Z', url: record('0-2', company.id) },
    });
    // Reads only, each accepted by HubSpot's spec: one search, two association reads, one batch read per kind of record.
    expect(
      fake.requests
        .slice(seeded)
        .map((request) => request.operation)
        .sort(),
    ).toEqual(
      [
        'companies:Search_doSearch',
        'companies:Basic_getById',
        'contacts:Basic_getById',
        'deals:Batch_read',
        'notes:Batch_read',
        'emails:Batch_read',
        'meetings:Batch_read',
      ].sort(),
    );
    expect(fake.violations).toEqual([]);
  });

  it('answers an empty history for an account HubSpot does not know, after one search and one contact lookup', async () => {
    const history = await crm.accountHistory({ email: 'nobody@unknown.example', domain: 'unknown.example' });

    expect(history).toEqual({ company: undefined, deals: [], notes: [], lastActivity: undefined });
    expect(fake.requests.map((request) => request.operation)).toEqual(['companies:Search_doSearch', 'contacts:Basic_getById']);
    expect(fake.violations).toEqual([]);
  });
});

describe('HubSpot failures the adapter handles', () => {
  it('401: renews the access token and retries once', async () => {
    fake.failNext('contacts:Batch_upsert', { status: 401, body: hubSpotError(401, 'Authentication credentials not found.') });

    await crm.upsertContact(dana);

    expect(renewals).toBe(1);
    expect(fake.requestsTo('contacts:Batch_upsert')).toHaveLength(2);
    expect(fake.records('contacts')).toHaveLength(1);
  });

  it('401 again after renewing: gives up without a second renewal', async () => {
    fake.failNext('contacts:Batch_upsert', { status: 401, body: hubSpotError(401, 'Authentication credentials not found.') });
    fake.failNext('contacts:Batch_upsert', { status: 401, body: hubSpotError(401, 'Authentication credentials not found.') });

    await expect(crm.upsertContact(dana)).rejects.toMatchObject({ status: 401, retryable: false });
    expect(renewals).toBe(1);
  });

  it('404: creates a new deal when the mirrored one was deleted in HubSpot', async () => {
    const first = await crm.upsertDeal(dealInput);
    await new Client({ accessToken: 'hubspot-access-token', basePath: fake.url }).crm.deals.basicApi.archive(first.id);

    const second = await crm.upsertDeal({ ...dealInput, stage: 'QUALIFIED' });

    expect(second.id).not.toBe(first.id);
    expect(fake.records('deals')).toEqual([
      expect.objectContaining({ id: second.id, properties: expect.objectContaining({ dealstage: 'qualifiedtobuy' }) }),
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('409: reports the conflict as final, without retrying', async () => {
    fake.failNext('contacts:Batch_upsert', { status: 409, body: hubSpotError(409, 'Contact already exists. Existing ID: 1001') });

    await expect(crm.upsertContact(dana)).rejects.toMatchObject({ status: 409, category: 'CONFLICT', retryable: false });
    expect(fake.requestsTo('contacts:Batch_upsert')).toHaveLength(1);
  });

  it('429: waits out Retry-After itself and retries', async () => {
    fake.failNext('contacts:Batch_upsert', {
      status: 429,
      retryAfterSeconds: 1,
      body: hubSpotError(429, 'You have reached your ten_secondly_rolling limit.'),
    });
    const startedAt = Date.now();

    await crm.upsertContact(dana);

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(990);
    expect(fake.requestsTo('contacts:Batch_upsert')).toHaveLength(2);
    expect(fake.records('contacts')).toHaveLength(1);
  });

  it('429 that outlasts the attempts: fails as retryable', async () => {
    const impatient = adapter({ maxAttempts: 1 });
    fake.failNext('contacts:Batch_upsert', { status: 429, retryAfterSeconds: 1, body: hubSpotError(429, 'Too many requests') });

    await expect(impatient.upsertContact(dana)).rejects.toMatchObject({ status: 429, retryable: true });
  });

  it('5xx on an idempotent upsert: retried with backoff', async () => {
    fake.failNext('contacts:Batch_upsert', { status: 503, body: hubSpotError(503, 'Service unavailable') });

    await crm.upsertContact(dana);

    expect(fake.requestsTo('contacts:Batch_upsert')).toHaveLength(2);
    expect(fake.records('contacts')).toHaveLength(1);
  });

  it('5xx on a create: not repeated blindly; the retried step creates the company once', async () => {
    fake.failNext('companies:Basic_create', { status: 502, body: hubSpotError(502, 'Bad gateway') });

    await expect(crm.upsertContact(dana)).rejects.toMatchObject({ status: 502, retryable: true, ambiguous: true });
    await crm.upsertContact(dana);

    expect(fake.records('companies')).toHaveLength(1);
    expect(fake.records('contacts')).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('timeout on an idempotent upsert: retried, and the late answer changes nothing', async () => {
    const quick = adapter({ timeoutMs: 300 });
    fake.failNext('contacts:Batch_upsert', { hangMs: 600 });

    await quick.upsertContact(dana);
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(fake.requestsTo('contacts:Batch_upsert')).toHaveLength(2);
    expect(fake.records('contacts')).toHaveLength(1);
  });

  it('timeout on a deal create: the retried step finds the deal the lost answer created instead of creating a twin', async () => {
    const quick = adapter({ timeoutMs: 300 });
    await quick.upsertContact(dana);
    fake.failNext('deals:Basic_create', { hangMs: 600 });

    await expect(quick.upsertDeal(dealInput)).rejects.toMatchObject({ category: 'TIMEOUT', retryable: true, ambiguous: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const retried = await quick.upsertDeal(dealInput);

    expect(fake.records('deals')).toEqual([expect.objectContaining({ id: retried.id })]);
    expect(fake.requestsTo('deals:Search_doSearch')).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });
});

describe('the portal rate limit', () => {
  it('holds back the request that would exceed the window until a slot frees up', async () => {
    const limiter = new HubSpotRateLimiter({ requests: 3, windowMs: 400, searchesPerSecond: 5 });
    const startedAt = Date.now();

    for (let call = 0; call < 4; call += 1) await limiter.acquire(62515, false);

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(395);
  });

  it('limits searches to five per second on top of the general limit', async () => {
    const limiter = new HubSpotRateLimiter({ requests: 110, windowMs: 10_000, searchesPerSecond: 5 });
    const startedAt = Date.now();

    for (let call = 0; call < 6; call += 1) await limiter.acquire(62515, true);
    const afterSearches = Date.now() - startedAt;
    await limiter.acquire(62515, false);

    expect(afterSearches).toBeGreaterThanOrEqual(995);
    expect(Date.now() - startedAt - afterSearches).toBeLessThan(50);
  });
});
