// The real SDK clients, pointed at the spec-checking fakes: proof that adapters built on them can be contract-tested here.
import { Client as HubSpotClient } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { Client as GraphClient, GraphError, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { APIConnectionTimeoutError, AzureOpenAI, InternalServerError, RateLimitError } from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startAzureOpenAiFake, type AzureOpenAiFake } from './fakes/azure-openai';
import { graphClientOptions, startGraphFake, type GraphFake } from './fakes/graph';
import { startHubSpotFake, type HubSpotFake } from './fakes/hubspot';

const seller = 'seller@contoso.example';
const prospect = 'dana@fabrikam.example';

describe('Microsoft Graph client (@microsoft/microsoft-graph-client) against the Graph fake', () => {
  let fake: GraphFake;
  let graph: GraphClient;

  beforeEach(async () => {
    fake = await startGraphFake();
    graph = GraphClient.initWithMiddleware(graphClientOptions(fake, { getAccessToken: async () => 'graph-test-token' }));
  });
  afterEach(() => fake.close());

  it('sends mail as draft + send: the draft leaves Drafts and reaches Sent Items with its internetMessageId', async () => {
    const draft = await graph.api(`/users/${seller}/messages`).post({
      subject: 'Quick question',
      body: { contentType: 'text', content: 'Hello Dana' },
      toRecipients: [{ emailAddress: { address: prospect } }],
    });
    await graph.api(`/users/${seller}/messages/${draft.id}/send`).post(undefined);
    const sent = await graph.api(`/users/${seller}/mailFolders/sentitems/messages`).get();

    expect(draft.internetMessageId).toMatch(/^<.+@.+>$/);
    expect(sent.value).toEqual([expect.objectContaining({ internetMessageId: draft.internetMessageId, isDraft: false, subject: 'Quick question' })]);
    expect(fake.mailbox(seller).messages.filter((message) => message.parentFolderId === 'drafts')).toEqual([]);
    expect(fake.requests.every((request) => request.headers.authorization === 'Bearer [redacted]')).toBe(true);
    expect(fake.violations).toEqual([]);
  });

  it('creates an online meeting whose event carries a Teams join URL', async () => {
    const event = await graph.api(`/users/${seller}/events`).post({
      subject: 'Intro call',
      start: { dateTime: '2030-03-04T15:00:00', timeZone: 'UTC' },
      end: { dateTime: '2030-03-04T15:30:00', timeZone: 'UTC' },
      attendees: [{ emailAddress: { address: prospect }, type: 'required' }],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
    });

    expect(event.onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(fake.violations).toEqual([]);
  });

  it('answers getSchedule with the slots the seller’s events occupy', async () => {
    await graph.api(`/users/${seller}/calendar/events`).post({
      subject: 'Pipeline review',
      start: { dateTime: '2030-03-04T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2030-03-04T11:00:00', timeZone: 'UTC' },
    });

    const schedule = await graph.api(`/users/${seller}/calendar/getSchedule`).post({
      schedules: [seller],
      startTime: { dateTime: '2030-03-04T09:00:00', timeZone: 'UTC' },
      endTime: { dateTime: '2030-03-04T12:00:00', timeZone: 'UTC' },
      availabilityViewInterval: 30,
    });

    expect(schedule.value[0]).toMatchObject({
      scheduleId: seller,
      availabilityView: '002200',
      scheduleItems: [{ status: 'busy', subject: 'Pipeline review' }],
    });
    expect(fake.violations).toEqual([]);
  });

  it('records a violation, and answers 400, when sendMail carries toRecipients as a string', async () => {
    const malformed = graph.api(`/users/${seller}/sendMail`).post({ message: { subject: 'Hi', toRecipients: prospect } });

    await expect(malformed).rejects.toMatchObject({ statusCode: 400 });
    expect(fake.violations).toEqual([
      expect.objectContaining({ kind: 'request', operation: 'graph:user_sendMail', problems: ['body/message/toRecipients must be array'] }),
    ]);
  });

  it('retries a 429 itself after the Retry-After delay (RetryHandler)', async () => {
    fake.failNext('POST /users/{user-id}/sendMail', { status: 429, retryAfterSeconds: 1 });
    const startedAt = Date.now();

    await graph.api(`/users/${seller}/sendMail`).post({ message: { subject: 'Hi', toRecipients: [{ emailAddress: { address: prospect } }] } });

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(990);
    expect(fake.requestsTo('user_sendMail').map((request) => request.headers['retry-attempt'])).toEqual([undefined, '1']);
    expect(fake.mailbox(seller).messages).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('hands the 429 to the caller once its retry budget is spent', async () => {
    fake.failNext('POST /users/{user-id}/sendMail', { status: 429, retryAfterSeconds: 1 });

    const noRetries = graph
      .api(`/users/${seller}/sendMail`)
      .middlewareOptions([new RetryHandlerOptions(0, 0)])
      .post({ message: { subject: 'Hi', toRecipients: [{ emailAddress: { address: prospect } }] } });

    const error = await noRetries.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
  });
});

describe('HubSpot client (@hubspot/api-client) against the HubSpot fake', () => {
  let fake: HubSpotFake;
  let hubspot: HubSpotClient;

  beforeEach(async () => {
    fake = await startHubSpotFake();
    hubspot = new HubSpotClient({ accessToken: 'hubspot-test-token', basePath: fake.url });
  });
  afterEach(() => fake.close());

  it('upserts a contact by email: the second upsert updates the same record', async () => {
    const first = await hubspot.crm.contacts.batchApi.upsert({
      inputs: [{ id: prospect, idProperty: 'email', properties: { firstname: 'Dana' } }],
    });
    const second = await hubspot.crm.contacts.batchApi.upsert({
      inputs: [{ id: prospect.toUpperCase(), idProperty: 'email', properties: { lastname: 'Reyes' } }],
    });

    expect(first.results[0]?._new).toBe(true);
    expect(second.results[0]).toMatchObject({ id: first.results[0]?.id, _new: false });
    expect(fake.records('contacts')).toEqual([
      expect.objectContaining({ properties: expect.objectContaining({ email: prospect, firstname: 'Dana', lastname: 'Reyes' }) }),
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('finds a contact by email search, creating it only when the search comes back empty', async () => {
    const byEmail = {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: FilterOperatorEnum.Eq, value: prospect }] }],
      properties: ['email', 'firstname'],
      limit: 1,
      after: '0',
      sorts: [],
    };

    const before = await hubspot.crm.contacts.searchApi.doSearch(byEmail);
    await hubspot.crm.contacts.basicApi.create({ properties: { email: prospect, firstname: 'Dana' }, associations: [] });
    const after = await hubspot.crm.contacts.searchApi.doSearch(byEmail);
    const duplicate = await hubspot.crm.contacts.basicApi
      .create({ properties: { email: prospect }, associations: [] })
      .catch((caught: unknown) => caught);

    expect(before.total).toBe(0);
    expect(after.results[0]?.properties).toMatchObject({ email: prospect, firstname: 'Dana' });
    expect(duplicate).toMatchObject({ code: 409 });
    expect(fake.violations).toEqual([]);
  });

  it('creates a company and a deal and associates them with the contact through associations v4', async () => {
    const hubspotDefined = AssociationSpecAssociationCategoryEnum.HubspotDefined;
    const contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: prospect }, associations: [] });
    const company = await hubspot.crm.companies.basicApi.create({
      properties: { name: 'Fabrikam', domain: 'fabrikam.example' },
      associations: [],
    });
    const deal = await hubspot.crm.deals.basicApi.create({
      properties: { dealname: 'Fabrikam pilot', pipeline: 'default', dealstage: 'appointmentscheduled' },
      associations: [{ to: { id: company.id }, types: [{ associationCategory: hubspotDefined, associationTypeId: 341 }] }],
    });
    await hubspot.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', company.id, [
      { associationCategory: hubspotDefined, associationTypeId: 279 },
    ]);
    await hubspot.crm.associations.v4.batchApi.create('deals', 'contacts', {
      inputs: [{ _from: { id: deal.id }, to: { id: contact.id }, types: [{ associationCategory: hubspotDefined, associationTypeId: 3 }] }],
    });

    const companyContacts = await hubspot.crm.associations.v4.basicApi.getPage('companies', company.id, 'contacts');

    // Seen from the company, the contact-to-company association reads as company-to-contact (280).
    expect(companyContacts.results).toEqual([
      expect.objectContaining({ toObjectId: contact.id, associationTypes: [expect.objectContaining({ typeId: 280 })] }),
    ]);
    expect(fake.associations).toHaveLength(3);
    expect(fake.violations).toEqual([]);
  });

  it('rejects an association type id that HubSpot does not define between the two objects', async () => {
    const contact = await hubspot.crm.contacts.basicApi.create({ properties: { email: prospect }, associations: [] });
    const company = await hubspot.crm.companies.basicApi.create({ properties: { name: 'Fabrikam' }, associations: [] });

    // 280 is company-to-contact: using it from the contact is a classic swapped-direction bug.
    const swapped = hubspot.crm.associations.v4.basicApi.create('contacts', contact.id, 'companies', company.id, [
      { associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: 280 },
    ]);

    await expect(swapped).rejects.toMatchObject({ code: 400 });
  });

  it('hands a 429 to the caller untouched: numberOfApiCallRetries ignores Retry-After and retries only HubSpot’s named limits', async () => {
    const retrying = new HubSpotClient({ accessToken: 'hubspot-test-token', basePath: fake.url, numberOfApiCallRetries: 3 });
    fake.failNext('contacts:Basic_create', { status: 429, retryAfterSeconds: 1 });

    const throttled = await retrying.crm.contacts.basicApi
      .create({ properties: { email: prospect }, associations: [] })
      .catch((caught: unknown) => caught);

    expect(throttled).toMatchObject({ code: 429 });
    expect(fake.requestsTo('contacts:Basic_create')).toHaveLength(1);
  });

  it('retries a 5xx itself when numberOfApiCallRetries is set', async () => {
    const retryLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const retrying = new HubSpotClient({ accessToken: 'hubspot-test-token', basePath: fake.url, numberOfApiCallRetries: 2 });
    fake.failNext('contacts:Basic_create', { status: 503 });

    const contact = await retrying.crm.contacts.basicApi.create({ properties: { email: prospect }, associations: [] });

    expect(contact.properties.email).toBe(prospect);
    expect(fake.requestsTo('contacts:Basic_create')).toHaveLength(2);
    expect(retryLog).toHaveBeenCalledWith(expect.stringContaining('status code [503]'));
    retryLog.mockRestore();
  });
});

describe('Azure OpenAI client (openai AzureOpenAI) against the Azure OpenAI fake', () => {
  const deployment = 'gpt-4o-outreach';
  const replyIntent = {
    type: 'object',
    properties: { intent: { type: 'string', enum: ['interested', 'not_interested', 'out_of_office'] }, confidence: { type: 'number' } },
    required: ['intent', 'confidence'],
    additionalProperties: false,
  };
  const classify = (client: AzureOpenAI) =>
    client.chat.completions.create({
      model: deployment,
      messages: [
        { role: 'system', content: 'Classify the reply.' },
        { role: 'user', content: 'Sounds good, send me times.' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'reply_intent', schema: replyIntent, strict: true } },
      temperature: 0,
    });
  const keyClient = (options: { maxRetries?: number; timeout?: number } = {}) =>
    new AzureOpenAI({
      endpoint: fake.url,
      apiVersion: '2024-10-21',
      deployment,
      apiKey: 'azure-openai-test-key',
      maxRetries: 0,
      ...options,
    });
  let fake: AzureOpenAiFake;

  beforeEach(async () => {
    fake = await startAzureOpenAiFake({ deployments: [deployment], respond: () => ({ intent: 'interested', confidence: 0.92 }) });
  });
  afterEach(() => fake.close());

  it('returns the structured output for a json_schema response_format, authenticated by api-key', async () => {
    const completion = await classify(keyClient());

    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ intent: 'interested', confidence: 0.92 });
    expect(fake.requests[0]).toMatchObject({ query: { 'api-version': '2024-10-21' }, headers: { 'api-key': '[redacted]' } });
    expect(fake.violations).toEqual([]);
  });

  it('authenticates with an Entra ID token as a bearer token', async () => {
    const entra = new AzureOpenAI({
      endpoint: fake.url,
      apiVersion: '2024-10-21',
      deployment,
      azureADTokenProvider: async () => 'entra-test-token',
    });

    await classify(entra);

    expect(fake.requests[0]?.headers.authorization).toBe('Bearer [redacted]');
    expect(fake.violations).toEqual([]);
  });

  it('retries a 429 itself after Retry-After when maxRetries allows it', async () => {
    fake.failNext('ChatCompletions_Create', { status: 429, retryAfterSeconds: 1 });
    const startedAt = Date.now();

    await classify(keyClient({ maxRetries: 1 }));

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(990);
    expect(fake.requests.map((request) => request.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    expect(fake.violations).toEqual([]);
  });

  it('hands the 429 to the caller as a RateLimitError when retries are off', async () => {
    fake.failNext('ChatCompletions_Create', { status: 429, retryAfterSeconds: 1 });

    await expect(classify(keyClient())).rejects.toBeInstanceOf(RateLimitError);
  });

  it('times out a call the service leaves hanging', async () => {
    fake.failNext('ChatCompletions_Create', { hangMs: 5_000 });

    await expect(classify(keyClient({ timeout: 200 }))).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('refuses model output that breaks the requested schema, so a test cannot fake what a constrained model never says', async () => {
    fake.respondWith(() => ({ intent: 'maybe later', confidence: 'high' }));

    await expect(classify(keyClient())).rejects.toBeInstanceOf(InternalServerError);
    expect(fake.violations).toEqual([
      expect.objectContaining({ kind: 'handler-failed', problems: [expect.stringContaining("response_format 'reply_intent'")] }),
    ]);
  });
});
