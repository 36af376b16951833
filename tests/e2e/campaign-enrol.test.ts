import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { call, everyPage, newTenantId, signIn } from '../support/suite';

let suite: LocalSuite;

beforeAll(async () => {
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-enrol-')), reset: true, seed: false, log: () => undefined });
});
afterAll(() => suite?.close());

const prospects = 10_000;

describe('enrolling prospects in a campaign', () => {
  it('enrols 10,000 prospects in one request, each marked enrolled, reading and marking them in bulk', async () => {
    const { baseUrl } = suite;
    const admin = await signIn(baseUrl, newTenantId(), ['Admin', 'RevOps']);
    const rows = Array.from({ length: prospects }, (_, i) => `lead${i}@enrol${i % 300}.example,Lead${i},Enrol ${i % 300}`);
    const imported = await call(baseUrl, 'POST', 'v1/prospects/import', {
      token: admin.token,
      text: ['email,first_name,company', ...rows].join('\n'),
      contentType: 'text/csv',
    });
    expect(imported.body).toMatchObject({ imported: prospects });
    const ids = (await everyPage<{ id: string }>(baseUrl, 'v1/prospects?limit=1000', admin.token)).flat().map((prospect) => prospect.id);
    const campaign = await call(baseUrl, 'POST', 'v1/campaigns', {
      token: admin.token,
      json: {
        name: 'Everyone',
        mailboxes: Array.from({ length: 20 }, (_, i) => `seller${i}@vendor.example`),
        sequence: { steps: [{ type: 'email', subject: 'Hi', body: 'Hello {{firstName}}.', approval: 'every' }] },
      },
    });
    expect(campaign.status).toBe(201);

    const before = structuredClone(suite.cosmosRequests.tally('app'));
    const enrolled = await call(baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, { token: admin.token, json: { prospectIds: ids } });
    const spent = suite.cosmosRequests.since('app', before);
    expect(enrolled.status).toBe(200);
    expect(enrolled.body).toMatchObject({ enrolled: prospects, added: prospects });
    // A hundred reads and a hundred writes to a request, not one request per prospect for each.
    expect(spent.requests).toBeLessThan(250);

    const marked = (await everyPage<{ id: string }>(baseUrl, 'v1/prospects?status=enrolled&limit=1000', admin.token)).flat();
    expect(marked).toHaveLength(prospects);
  }, 120_000);
});
