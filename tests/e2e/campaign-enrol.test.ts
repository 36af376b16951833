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
    // A hundred prospects read and a hundred marked to a request, ninety-nine enrolments to a transactional batch
    // with the campaign's count: not one request per prospect for each.
    const batches = Math.ceil(prospects / 100) * 2 + Math.ceil(prospects / 99);
    expect(spent.requests).toBeLessThanOrEqual(batches + 5);

    // The campaign holds a count, not the prospects: it stays as small as it was (Cosmos DB caps a document at 2 MB).
    const stored = (await call(baseUrl, 'GET', `v1/campaigns/${campaign.body.id}`, { token: admin.token })).body;
    expect(stored).toMatchObject({ enrolled: prospects });
    expect(JSON.stringify(stored).length).toBeLessThan(5_000);
    expect(Object.values(stored.mailboxLoad as Record<string, number>)).toEqual(Array.from({ length: 20 }, () => prospects / 20));
    const enrolments = (
      await everyPage<{ prospectId: string; ordinal: number }>(baseUrl, `v1/campaigns/${campaign.body.id}/enrolments?limit=1000`, admin.token)
    ).flat();
    expect(enrolments.map((enrolment) => enrolment.prospectId)).toEqual(ids);
    expect(enrolments.map((enrolment) => enrolment.ordinal)).toEqual(ids.map((_, index) => index));

    // Enrolling them again enrols nobody twice.
    const again = await call(baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, { token: admin.token, json: { prospectIds: ids } });
    expect(again.body).toMatchObject({ enrolled: prospects, added: 0 });

    const marked = (await everyPage<{ id: string }>(baseUrl, 'v1/prospects?status=enrolled&limit=1000', admin.token)).flat();
    expect(marked).toHaveLength(prospects);
  }, 120_000);

  it('enrols each prospect once when enrolments of overlapping prospects race, in one unbroken order, capped per mailbox', async () => {
    const { baseUrl } = suite;
    const admin = await signIn(baseUrl, newTenantId(), ['Admin', 'RevOps']);
    const rows = Array.from({ length: 400 }, (_, i) => `racer${i}@race${i % 40}.example,Racer${i},Race ${i % 40}`);
    await call(baseUrl, 'POST', 'v1/prospects/import', {
      token: admin.token,
      text: ['email,first_name,company', ...rows].join('\n'),
      contentType: 'text/csv',
    });
    const ids = (await everyPage<{ id: string }>(baseUrl, 'v1/prospects?limit=1000', admin.token)).flat().map((prospect) => prospect.id);
    const mailboxes = ['ana@vendor.example', 'ben@vendor.example'];
    const campaign = await call(baseUrl, 'POST', 'v1/campaigns', {
      token: admin.token,
      json: {
        name: 'Raced',
        mailboxes,
        assignment: { rule: 'round_robin', capPerMailbox: 150 },
        sequence: { steps: [{ type: 'email', subject: 'Hi', body: 'Hello.', approval: 'every' }] },
      },
    });
    const enrol = (prospectIds: string[]) =>
      call(baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, { token: admin.token, json: { prospectIds } });
    // Three requests of 150, overlapping by 50: 250 distinct prospects, within the caps (300 in all).
    const answers = await Promise.all([enrol(ids.slice(0, 150)), enrol(ids.slice(100, 250)), enrol(ids.slice(50, 200))]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(answers.reduce((sum, answer) => sum + answer.body.added, 0)).toBe(250);

    const enrolments = (
      await everyPage<{ prospectId: string; ordinal: number; mailbox: string }>(baseUrl, `v1/campaigns/${campaign.body.id}/enrolments`, admin.token)
    ).flat();
    expect(new Set(enrolments.map((enrolment) => enrolment.prospectId))).toEqual(new Set(ids.slice(0, 250)));
    expect(enrolments.map((enrolment) => enrolment.ordinal)).toEqual(Array.from({ length: 250 }, (_, index) => index));
    const stored = (await call(baseUrl, 'GET', `v1/campaigns/${campaign.body.id}`, { token: admin.token })).body;
    const perMailbox = mailboxes.map((mailbox) => enrolments.filter((enrolment) => enrolment.mailbox === mailbox).length);
    expect(stored).toMatchObject({ enrolled: 250, mailboxLoad: Object.fromEntries(mailboxes.map((mailbox, i) => [mailbox, perMailbox[i]])) });

    // Past the caps nothing is enrolled, and the problem says how much room there is.
    const over = await enrol(ids.slice(250, 400));
    expect(over.status).toBe(409);
    expect(over.body.detail).toContain('room for 50 of these 150');
    expect((await call(baseUrl, 'GET', `v1/campaigns/${campaign.body.id}`, { token: admin.token })).body.enrolled).toBe(250);
  }, 60_000);
});
