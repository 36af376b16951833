import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { costOf, oneEmailCampaign, unattendedTenant } from '../support/loop-cost';

let suite: LocalSuite;

beforeAll(async () => {
  suite = await startLocalSuite({
    port: 0,
    dataDir: await mkdtemp(join(tmpdir(), 'asep-sent-today-')),
    reset: true,
    seed: false,
    log: () => undefined,
  });
});
afterAll(() => suite?.close());

describe('the bot’s status card', () => {
  it('counts the emails each campaign sent today, read from the touches kept beside their prospects', async () => {
    const tenant = await unattendedTenant(suite);
    const sent = await oneEmailCampaign(suite, tenant, 'ana@sent-today.example');
    await costOf(suite, [sent.instanceId], sent.start);
    const idle = await oneEmailCampaign(suite, tenant, 'bo@sent-today.example');

    // Imported only now: the backend pulls in route modules, which must register after the local host is in place.
    const { createBotBackend } = await import('@asep/functions/bot/backend');
    const backend = createBotBackend(suite.services, suite.services.durableHost.directClient(), randomUUID());
    const report = await backend.status({ tenantId: tenant.tenantId, userId: 'manager', name: 'Manager', roles: ['Manager'] });
    const sentToday = Object.fromEntries(report.campaigns.map((campaign) => [campaign.id, campaign.sentToday]));
    expect(sentToday).toEqual({ [sent.campaignId]: 1, [idle.campaignId]: 0 });
  });
});
