import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prospectFieldsSchema } from '@asep/shared/prospects/prospect';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import { startLocalSuite, type LocalSuite } from '../../local/src/start';
import { sendAtAnyHour } from '../support/governed-loop';
import { call, eventually, signIn, type Person } from '../support/suite';

/** What an attacker puts in a name to add a header of their own, in the line breaks mail and Unicode know. */
const injections = [
  '\r\nBcc: attacker@evil.example',
  '\nBcc: attacker@evil.example',
  '\rBcc: attacker@evil.example',
  '\u0085Bcc: a@evil.example',
  '\u2028Bcc: a@evil.example',
];
// eslint-disable-next-line no-control-regex
const lineBreaking = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Every text field a prospect import takes (email aside: an address with a line break is refused outright). */
const textFields = Object.keys(prospectFieldsSchema.shape).filter((field) => !['email', 'owner', 'doNotContact'].includes(field));

let suite: LocalSuite;
let revops: Person;
let manager: Person;
const tenantId = '99999999-3333-4444-8555-666666666666';

beforeAll(async () => {
  suite = await startLocalSuite({ port: 0, dataDir: await mkdtemp(join(tmpdir(), 'asep-headers-')), reset: true, seed: false, log: () => undefined });
  revops = await signIn(suite.baseUrl, tenantId, ['RevOps']);
  manager = await signIn(suite.baseUrl, tenantId, ['Manager']);
  await sendAtAnyHour(suite.baseUrl, await signIn(suite.baseUrl, tenantId, ['Admin']));
});
afterAll(async () => suite?.close());

const csvQuoted = (value: string) => `"${value.replaceAll('"', '""')}"`;

async function storedProspects(): Promise<Record<string, unknown>[]> {
  return (await call<Record<string, unknown>[]>(suite.baseUrl, 'GET', 'v1/prospects', { token: revops.token })).body;
}

function lineBreakingFields(record: Record<string, unknown>): string[] {
  return Object.entries(record)
    .filter(([, value]) => typeof value === 'string' && lineBreaking.test(value))
    .map(([field]) => field);
}

describe('header injection', () => {
  it('is stripped from every importable field of a CSV', async () => {
    expect(textFields.length).toBeGreaterThanOrEqual(8);
    const rows = injections.map((injection, row) =>
      // A CRM id names one person: each row has its own, or the import rejects the repeats as clashes.
      [`csv${row}@inject.example`, ...textFields.map((field) => csvQuoted(`${field}${field === 'crmId' ? row : ''}${injection}`))].join(','),
    );
    const csv = [['email', ...textFields].join(','), ...rows].join('\r\n');
    const imported = await call(suite.baseUrl, 'POST', 'v1/prospects/import', { token: revops.token, text: csv, contentType: 'text/csv' });
    expect(imported.status).toBe(200);
    expect(imported.body.imported).toBe(injections.length);
    const prospects = (await storedProspects()).filter((prospect) => String(prospect.email).startsWith('csv'));
    expect(prospects).toHaveLength(injections.length);
    for (const prospect of prospects) {
      expect(lineBreakingFields(prospect)).toEqual([]);
      expect(prospect.firstName).toMatch(/^firstName Bcc: a(ttacker)?@evil\.example$/);
    }
  });

  it('is stripped from every field of a prospect created through the API', async () => {
    for (const [index, injection] of injections.entries()) {
      const body = { email: `api${index}@inject.example`, ...Object.fromEntries(textFields.map((field) => [field, `${field}${injection}`])) };
      const created = await call(suite.baseUrl, 'POST', 'v1/prospects', { token: revops.token, json: body });
      expect(created.status).toBe(201);
      expect(lineBreakingFields(created.body)).toEqual([]);
    }
    const refused = await call(suite.baseUrl, 'POST', 'v1/prospects', {
      token: revops.token,
      json: { email: 'eve@x.example\r\nBcc: a@evil.example' },
    });
    expect(refused.status).toBe(400);
  });

  it('never reaches a subject, even from a record stored before imports were cleaned', async () => {
    // Written straight to the store, as an older version or another importer might have: render must clean it again.
    const id = 'prs-legacy-injected';
    await suite.services.store.prospects.upsert({
      id,
      pk: hashedPartition(tenantId, id),
      tenantId,
      email: 'legacy@inject.example',
      firstName: 'Eve\r\nBcc: attacker@evil.example',
      lastName: 'Adams\n',
      title: '\rCTO',
      company: 'Evil\r\n\r\nInc',
      domain: 'inject.example',
      status: 'new',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
    const named = await call(suite.baseUrl, 'POST', 'v1/prospects', {
      token: revops.token,
      json: {
        email: 'named@inject.example',
        firstName: 'Mal\r\nBcc: attacker@evil.example',
        lastName: 'Lory\n',
        company: 'Acme\u2028X-Evil: 1',
        title: 'CEO\r',
      },
    });
    const campaign = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
      token: revops.token,
      json: {
        name: 'Headers',
        mailbox: 'seller@tenant.example',
        sequence: {
          steps: [
            { type: 'email', subject: 'Hi {{firstName}} {{lastName}} of {{company}}, {{title}}', body: 'Hello {{firstName}}.', approval: 'every' },
          ],
        },
      },
    });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, {
      token: revops.token,
      json: { prospectIds: [id, named.body.id] },
    });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/start`, { token: manager.token, json: {} });
    const approvals = await eventually(async () => {
      const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: manager.token })).body;
      return pending.length >= 2 ? pending : undefined;
    }, 'two approvals');
    for (const approval of approvals) {
      expect(approval.subject).not.toMatch(lineBreaking);
      await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: manager.token, json: {} });
    }
    const sent = await eventually(async () => {
      const outbox = (await call<any[]>(suite.baseUrl, 'GET', `dev/mailbox/outbox?tenantId=${tenantId}`)).body;
      return outbox.length >= 2 ? outbox : undefined;
    }, 'both emails sent');
    for (const email of sent) {
      expect(email.subject).not.toMatch(lineBreaking);
      expect(Object.keys(email.headers).map((name) => name.toLowerCase())).not.toContain('bcc');
    }
    expect(sent.find((email) => email.to === 'legacy@inject.example').subject).toBe('Hi Eve Bcc: attacker@evil.example Adams of Evil Inc, CTO');
    expect(sent.find((email) => email.to === 'named@inject.example').subject).toBe('Hi Mal Bcc: attacker@evil.example Lory of Acme X-Evil: 1, CEO');
  });
});
