import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashedPartition, tenantPartition } from '@asep/shared/tenancy/partitioning';
import { createDealFromReply } from '../../functions/src/deals/deals';
import { suppressionProperty } from '../../functions/src/hubspot/hubspot-crm';
import type { HubSpotIntegration } from '../../functions/src/hubspot/integration';
import { hubSpotSignature, verifyHubSpotSignature, type SignedRequest } from '../../functions/src/hubspot/webhook-signature';
import { provideIntegrations } from '../../functions/src/integrations/integrations';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { suppressionId } from '../../functions/src/sending/send-context';
import { startHubSpotFake, type HubSpotFake } from './fakes/hubspot';
import { connectedHubSpot, hubSpotAppSecrets } from './fakes/hubspot-integration';

const specs = resolve(__dirname, '..', '..', '..', 'shared', 'specs');

interface Vector {
  signatureVersion: 'v1' | 'v2' | 'v3';
  method: string;
  url: string;
  requestBody: string;
  timestamp?: number;
  clientSecret: string;
  expectedSignature: string;
}

describe('HubSpot webhook signatures', () => {
  let vectors: Vector[];
  beforeAll(async () => {
    vectors = JSON.parse(await readFile(join(specs, 'hubspot', 'webhook-signature.json'), 'utf8')).testVectors;
  });

  it('computes every published test vector (v1, v2 and v3)', () => {
    expect(vectors.map((vector) => vector.signatureVersion)).toEqual(['v1', 'v2', 'v3', 'v3']);
    for (const vector of vectors) {
      const request = { method: vector.method, url: vector.url, body: vector.requestBody, timestamp: vector.timestamp?.toString() };
      expect(hubSpotSignature(vector.signatureVersion, vector.clientSecret, request)).toBe(vector.expectedSignature);
    }
  });

  it('accepts the v3 vectors within five minutes of their timestamp, and refuses them after', () => {
    for (const vector of vectors.filter((candidate) => candidate.signatureVersion === 'v3')) {
      const request = { method: vector.method, url: vector.url, body: vector.requestBody, timestamp: String(vector.timestamp) };
      const sentAt = vector.timestamp!;
      expect(verifyHubSpotSignature(vector.clientSecret, request, vector.expectedSignature, new Date(sentAt + 4 * 60_000))).toEqual({ valid: true });
      expect(verifyHubSpotSignature(vector.clientSecret, request, vector.expectedSignature, new Date(sentAt + 5 * 60_000 + 1))).toEqual({
        valid: false,
        reason: 'the request is older than five minutes',
      });
    }
  });

  it('refuses a changed body, a changed URL, another secret and missing headers', () => {
    const vector = vectors.find((candidate) => candidate.signatureVersion === 'v3' && candidate.method === 'POST')!;
    const request: SignedRequest = { method: 'POST', url: vector.url, body: vector.requestBody, timestamp: String(vector.timestamp) };
    const now = new Date(vector.timestamp! + 1000);
    const check = (changed: SignedRequest, secret = vector.clientSecret, signature = vector.expectedSignature) =>
      verifyHubSpotSignature(secret, changed, signature, now).valid;

    expect(check(request)).toBe(true);
    expect(check({ ...request, body: vector.requestBody.replace('"objectId":123', '"objectId":124') })).toBe(false);
    expect(check({ ...request, url: `${vector.url}?extra=1` })).toBe(false);
    expect(check(request, 'another-secret')).toBe(false);
    expect(verifyHubSpotSignature(vector.clientSecret, request, undefined, now).valid).toBe(false);
    expect(check({ ...request, timestamp: undefined })).toBe(false);
    expect(check(request, vector.clientSecret, 'c2hvcnQ=')).toBe(false);
  });

  it('signs the URI with the characters HubSpot decodes first, so an escaped colon still verifies', () => {
    const timestamp = '1700000000000';
    const signedAsSent = hubSpotSignature('v3', 'secret', { method: 'POST', url: 'https://example.test/hook?at=10:30', body: '[]', timestamp });

    const received = { method: 'POST', url: 'https://example.test/hook?at=10%3A30', body: '[]', timestamp };

    expect(verifyHubSpotSignature('secret', received, signedAsSent, new Date(1700000001000))).toEqual({ valid: true });
  });
});

describe('the webhook route', () => {
  const tenantId = '9e8d7c6b-0000-4000-8000-0000000000e1';
  const clientSecret = 'webhook-test-client-secret';
  let suite: LocalSuite;
  let fake: HubSpotFake;
  let hubspot: HubSpotIntegration;
  let eventId = 0;

  beforeAll(async () => {
    fake = await startHubSpotFake();
    suite = await startLocalSuite({
      port: 0,
      dataDir: await mkdtemp(join(tmpdir(), 'asep-webhook-')),
      reset: true,
      seed: false,
      log: () => undefined,
    });
    const { services } = suite;
    ({ hubspot } = await connectedHubSpot({
      fakeUrl: fake.url,
      secrets: hubSpotAppSecrets(clientSecret),
      store: services.store,
      audit: services.audit,
      clock: services.clock,
      tenantId,
    }));
    provideIntegrations(() => ({ hubspot }));
  });
  afterAll(async () => {
    provideIntegrations(() => ({}));
    await suite?.close();
    await fake?.close();
  });

  const event = (fields: Record<string, unknown>) => ({
    eventId: (eventId += 1),
    subscriptionId: 4711,
    portalId: 62515,
    appId: 54321,
    occurredAt: suite.services.clock.now().getTime(),
    attemptNumber: 0,
    changeSource: 'CRM',
    ...fields,
  });

  /** The deal ASEP creates from `name`'s positive reply while the tenant's CRM is HubSpot, so HubSpot holds its mirror. */
  async function positiveReplyDealMirroredToHubSpot(name: string, email: string, excerpt: string) {
    const services = suite.services;
    const internal = services.crm;
    services.crm = hubspot.mirror(internal);
    const now = services.clock.now().toISOString();
    try {
      return await createDealFromReply(services, {
        tenantId,
        prospect: {
          id: `prospect-${name}`,
          pk: tenantId,
          tenantId,
          docType: 'prospect',
          email,
          domain: email.split('@')[1]!,
          status: 'replied',
          createdAt: now,
          updatedAt: now,
        },
        sourceMessageId: `message-${name}`,
        confidence: 0.9,
        stage: 'POSITIVE_REPLY',
        excerpt,
        correlationId: 'test',
        actor: { type: 'system', id: 'test' },
      });
    } finally {
      services.crm = internal;
    }
  }

  /** Posts the events signed the way HubSpot signs them, with the suite's clock as HubSpot's. */
  async function deliver(events: unknown[], tamper: { timestamp?: number; secret?: string } = {}) {
    const url = `${suite.baseUrl}/api/integrations/hubspot/webhook`;
    const body = JSON.stringify(events);
    const timestamp = String(tamper.timestamp ?? suite.services.clock.now().getTime());
    const signature = hubSpotSignature('v3', tamper.secret ?? clientSecret, { method: 'POST', url, body, timestamp });
    const send = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
        body,
      });
    const response = await send();
    return { status: response.status, body: await response.json(), replay: send };
  }

  it('suppresses a contact who unsubscribed in HubSpot, once, and refuses the same signed request played back', async () => {
    const sdk = new Client({ accessToken: 'access', basePath: fake.url });
    const contact = await sdk.crm.contacts.basicApi.create({ properties: { email: 'Erin@Tailspin.example' }, associations: [] });
    const optOut = event({
      subscriptionType: 'contact.propertyChange',
      objectId: Number(contact.id),
      propertyName: 'hs_email_optout',
      propertyValue: 'true',
    });

    const first = await deliver([optOut]);
    const redelivered = await deliver([optOut]);
    const replay = await first.replay();

    expect(first).toMatchObject({ status: 200, body: { applied: 1, duplicates: 0, ignored: 0 } });
    expect(redelivered.body).toEqual({ applied: 0, duplicates: 1, ignored: 0 });
    expect(replay.status).toBe(401);
    const id = suppressionId('erin@tailspin.example');
    expect(await suite.services.store.suppressions.read(hashedPartition(tenantId, id), id)).toMatchObject({
      reason: 'unsubscribe',
      source: 'hubspot',
    });
    expect((await suite.services.audit.all(tenantId)).filter((entry) => entry.type === 'suppression.added')).toHaveLength(1);
  });

  it('treats ASEP’s do-not-contact property ticked in HubSpot as a manual suppression', async () => {
    const sdk = new Client({ accessToken: 'access', basePath: fake.url });
    const contact = await sdk.crm.contacts.basicApi.create({ properties: { email: 'gil@proseware.example' }, associations: [] });

    const ticked = await deliver([
      event({ subscriptionType: 'contact.propertyChange', objectId: Number(contact.id), propertyName: suppressionProperty, propertyValue: 'true' }),
    ]);

    expect(ticked.body).toEqual({ applied: 1, duplicates: 0, ignored: 0 });
    const id = suppressionId('gil@proseware.example');
    expect(await suite.services.store.suppressions.read(hashedPartition(tenantId, id), id)).toMatchObject({ reason: 'manual', source: 'hubspot' });
  });

  it('moves ASEP’s deal when a HubSpot user moves the mirrored deal to a mapped stage', async () => {
    const services = suite.services;
    const deal = await positiveReplyDealMirroredToHubSpot('fay', 'fay@litware.example', 'Yes, let us talk.');
    const [mirrored] = fake.records('deals');

    const moved = await deliver([
      event({ subscriptionType: 'deal.propertyChange', objectId: Number(mirrored!.id), propertyName: 'dealstage', propertyValue: 'qualifiedtobuy' }),
    ]);
    const unmapped = await deliver([
      event({ subscriptionType: 'deal.propertyChange', objectId: Number(mirrored!.id), propertyName: 'dealstage', propertyValue: 'contractsent' }),
    ]);

    expect(moved.body).toEqual({ applied: 1, duplicates: 0, ignored: 0 });
    expect(unmapped.body).toEqual({ applied: 0, duplicates: 0, ignored: 1 });
    expect(await services.store.deals.read(tenantPartition(tenantId), deal.id)).toMatchObject({ stage: 'QUALIFIED' });
    expect((await services.audit.all(tenantId)).filter((entry) => entry.type === 'deal.stage_changed')).toEqual([
      expect.objectContaining({
        actor: { type: 'system', id: 'hubspot' },
        payload: expect.objectContaining({ from: 'POSITIVE_REPLY', to: 'QUALIFIED' }),
      }),
    ]);
  });

  it('counts a deal won in HubSpot (closed won) as won when it was won, at the amount HubSpot gives it', async () => {
    const services = suite.services;
    const deal = await positiveReplyDealMirroredToHubSpot('gus', 'gus@wingtip.example', 'Sounds good.');
    const mirrored = fake.records('deals').find((record) => record.properties.dealname?.includes('gus@wingtip.example'));
    const wonAt = Date.parse('2026-03-04T15:00:00Z');

    const applied = await deliver([
      event({ subscriptionType: 'deal.propertyChange', objectId: Number(mirrored!.id), propertyName: 'amount', propertyValue: '18500' }),
      event({
        subscriptionType: 'deal.propertyChange',
        objectId: Number(mirrored!.id),
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
        occurredAt: wonAt,
      }),
    ]);

    expect(applied.body).toEqual({ applied: 2, duplicates: 0, ignored: 0 });
    expect(await services.store.deals.read(tenantPartition(tenantId), deal.id)).toMatchObject({
      stage: 'WON',
      amount: 18_500,
      wonAt: '2026-03-04T15:00:00.000Z',
    });
  });

  it('refuses unsigned, stale and wrongly signed deliveries before reading them', async () => {
    const optOut = event({ subscriptionType: 'contact.propertyChange', objectId: 1, propertyName: 'hs_email_optout', propertyValue: 'true' });
    const unsigned = await fetch(`${suite.baseUrl}/api/integrations/hubspot/webhook`, { method: 'POST', body: JSON.stringify([optOut]) });
    const stale = await deliver([optOut], { timestamp: suite.services.clock.now().getTime() - 6 * 60_000 });
    const forged = await deliver([optOut], { secret: 'not-the-app-secret' });

    expect([unsigned.status, stale.status, forged.status]).toEqual([401, 401, 401]);
    expect(stale.body.detail).toContain('older than five minutes');
  });

  it('ignores events from portals no tenant connected', async () => {
    const foreign = await deliver([
      event({ portalId: 999, subscriptionType: 'contact.propertyChange', objectId: 1, propertyName: 'hs_email_optout', propertyValue: 'true' }),
    ]);

    expect(foreign.body).toEqual({ applied: 0, duplicates: 0, ignored: 1 });
  });
});
