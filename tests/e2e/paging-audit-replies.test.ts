import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, everyPage, startSuite, type RunningSuite } from '../support/suite';
import { deliverabilityDriver } from './deliverability-support';

let suite: RunningSuite;
let driver: ReturnType<typeof deliverabilityDriver>;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
  driver = deliverabilityDriver(suite.baseUrl);
});
afterAll(async () => suite?.stop());

/** Every page of a list, following `x-continuation-token`, and the size of each page. */
async function pages(path: string, token: string): Promise<{ items: any[]; sizes: number[] }> {
  const all = await everyPage(suite.baseUrl, path, token);
  return { items: all.flat(), sizes: all.map((page) => page.length) };
}

describe('the audit log and the replies come a page at a time', () => {
  it('pages both in a stable order, filters them, and refuses a token from another filter', async () => {
    const { loop, touch } = await driver.firstTouch('email,first_name,company\nkai@paging.example,Kai,Paging');
    await driver.reply(loop, 'kai@paging.example', touch.internetMessageId, 'Yes, interested. Can we talk Thursday?');
    await driver.reply(loop, 'kai@paging.example', touch.internetMessageId, 'Not interested, we already have a vendor.');
    await driver.reply(loop, 'kai@paging.example', touch.internetMessageId, 'Sounds good, send me the pricing please.');

    const everything = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
    const audit = await pages('v1/audit?limit=3', loop.auditor.token);
    expect(audit.items.map((event) => event.seq)).toEqual(everything.map((event) => event.seq));
    expect(audit.sizes.slice(0, -1).every((size) => size === 3)).toBe(true);
    const imported = await pages('v1/audit?limit=1&type=prospects.imported', loop.auditor.token);
    expect(imported.items.map((event) => event.type)).toEqual(
      everything.filter((event) => event.type === 'prospects.imported').map(() => 'prospects.imported'),
    );
    expect(imported.items.length).toBeGreaterThan(0);

    const replies = await pages('v1/replies?limit=2', loop.operator.token);
    expect(replies.sizes).toEqual([2, 1]);
    expect(replies.items.map((reply) => reply.at)).toEqual([...replies.items.map((reply) => reply.at)].sort().reverse());
    expect(new Set(replies.items.map((reply) => reply.internetMessageId)).size).toBe(3);
    expect(
      replies.items.every((reply) => reply.from === 'kai@paging.example' && reply.status === 'done' && reply.campaignId === loop.campaignId),
    ).toBe(true);

    const label = replies.items[0].label as string;
    const labelled = await pages(`v1/replies?limit=1&label=${label}`, loop.operator.token);
    expect(labelled.items.map((reply) => reply.internetMessageId)).toEqual(
      replies.items.filter((reply) => reply.label === label).map((reply) => reply.internetMessageId),
    );
    expect(labelled.items[0]).toMatchObject({ label, subject: 'Re: Idea' });
    expect((await pages(`v1/replies?limit=10&campaignId=cmp-elsewhere`, loop.operator.token)).items).toEqual([]);

    // A token continues only the list that handed it out.
    const first = await fetch(`${suite.baseUrl}/api/v1/replies?limit=1`, { headers: { authorization: `Bearer ${loop.operator.token}` } });
    const token = first.headers.get('x-continuation-token')!;
    const elsewhere = await call(suite.baseUrl, 'GET', `v1/replies?limit=1&label=${label}&continuationToken=${encodeURIComponent(token)}`, {
      token: loop.operator.token,
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.errors[0].field).toBe('continuationToken');
    const auditFirst = await fetch(`${suite.baseUrl}/api/v1/audit?limit=1`, { headers: { authorization: `Bearer ${loop.auditor.token}` } });
    const auditElsewhere = await call(
      suite.baseUrl,
      'GET',
      `v1/audit?limit=1&type=prospects.imported&continuationToken=${encodeURIComponent(auditFirst.headers.get('x-continuation-token')!)}`,
      { token: loop.auditor.token },
    );
    expect(auditElsewhere.status).toBe(400);
    expect(auditElsewhere.body.errors[0].field).toBe('continuationToken');
  }, 180_000);
});
