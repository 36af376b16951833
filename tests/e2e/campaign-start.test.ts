import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { call, eventually, newTenantId, signIn } from '../support/suite';
import { sendAtAnyHour } from '../support/governed-loop';

let suite: LocalSuite;

beforeAll(async () => {
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-start-')), reset: true, seed: false, log: () => undefined });
});
afterAll(() => suite?.close());

const prospects = 250;

describe('starting a campaign', () => {
  it('answers at once, starts every sequence in the background with its progress to see, and a retry starts nobody twice', async () => {
    const { baseUrl } = suite;
    const tenantId = newTenantId();
    const admin = await signIn(baseUrl, tenantId, ['Admin', 'RevOps', 'Manager']);
    await sendAtAnyHour(baseUrl, admin);
    const rows = Array.from({ length: prospects }, (_, i) => `lead${i}@start${i}.example,Lead${i},Start ${i}`);
    const imported = await call(baseUrl, 'POST', 'v1/prospects/import', {
      token: admin.token,
      text: ['email,first_name,company', ...rows].join('\n'),
      contentType: 'text/csv',
    });
    expect(imported.status).toBe(200);
    const listed = await call<{ id: string }[]>(baseUrl, 'GET', 'v1/prospects?limit=1000', { token: admin.token });
    const campaign = await call(baseUrl, 'POST', 'v1/campaigns', {
      token: admin.token,
      json: {
        name: 'Big start',
        mailbox: 'seller@start.example',
        sequence: { steps: [{ type: 'email', subject: 'Hi', body: 'Hello {{firstName}}.', approval: 'every' }] },
      },
    });
    const campaignId = campaign.body.id as string;
    await call(baseUrl, 'POST', `v1/campaigns/${campaignId}/prospects`, { token: admin.token, json: { prospectIds: listed.body.map((p) => p.id) } });
    const progress = async () => (await call(baseUrl, 'GET', `v1/campaigns/${campaignId}/start`, { token: admin.token })).body;
    expect((await progress()).state).toBe('notStarted');

    const started = await call(baseUrl, 'POST', `v1/campaigns/${campaignId}/start`, { token: admin.token, json: {} });
    expect(started.status).toBe(202);
    // The answer comes at once, before any sequence of a campaign this large has started: they start in the background.
    expect(started.body).toMatchObject({
      campaignId,
      status: 'running',
      total: prospects,
      started: 0,
      alreadyRunning: 0,
      progress: `/api/v1/campaigns/${campaignId}/start`,
    });

    const done = await eventually(
      async () => {
        const now = await progress();
        return now.state === 'started' ? now : undefined;
      },
      'every sequence started',
      60_000,
    );
    expect(done).toMatchObject({ total: prospects, started: prospects, alreadyRunning: 0 });

    // A retried start (a client that timed out, say) starts nobody again.
    const again = await call(baseUrl, 'POST', `v1/campaigns/${campaignId}/start`, { token: admin.token, json: {} });
    expect(again.status).toBe(202);
    const second = await eventually(
      async () => {
        const now = await progress();
        return now.state === 'started' && now.alreadyRunning === prospects ? now : undefined;
      },
      'the retried start checked everyone',
      60_000,
    );
    expect(second.started).toBe(0);
    await suite.services.durableHost.idle();
    const approvals = await eventually(
      async () => {
        const pending = await suite.services.store.approvals.query(tenantId, "c.status = 'pending'");
        return pending.length >= prospects ? pending : undefined;
      },
      'an approval per prospect',
      60_000,
    );
    expect(new Set(approvals.map((approval) => approval.prospectId)).size).toBe(prospects);
    expect(approvals).toHaveLength(prospects);
  }, 180_000);
});
