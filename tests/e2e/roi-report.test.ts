import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, startSuite, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign } from '../support/governed-loop';

let suite: RunningSuite;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

const csv = ['email,first_name,company', 'ana@one.example,Ana,One', 'bea@two.example,Bea,Two', 'cy@three.example,Cy,Three'].join('\n');

describe('managers’ numbers over HTTP', () => {
  it('counts human replies only, credits the sending mailbox and prices time saved from the policy; as JSON and CSV', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), csv);
    const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: loop.admin.token })).body;
    const rules = { ...policy.rules, reporting: { minutesSavedPerEmail: 7 }, deals: { ...policy.rules.deals, defaultAmount: 4_000 } };
    expect((await call(suite.baseUrl, 'PUT', 'v1/policies', { token: loop.admin.token, json: { rules, version: policy.version } })).status).toBe(200);
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    for (const approval of await pendingApprovals(loop, 3)) {
      await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    }
    const sent = await eventually(async () => {
      const emails = await outbox(loop);
      return emails.length === 3 ? emails : undefined;
    }, 'three first touches');
    const touchTo = (to: string) => sent.find((email) => email.to === to)!;
    const reply = (from: string, body: string, headers: Record<string, string> = {}) =>
      call(suite.baseUrl, 'POST', 'dev/mailbox/inbound', {
        json: { tenantId: loop.tenantId, from, to: loop.mailbox, subject: 'Re: Idea', body, inReplyTo: touchTo(from).internetMessageId, headers },
      });
    await reply('ana@one.example', 'Yes, this is interesting. Could we talk on Thursday afternoon? Please send me an invite.');
    await reply('bea@two.example', 'I am out of the office until Monday with limited access to email.', { 'Auto-Submitted': 'auto-replied' });

    const report = await eventually(async () => {
      const { body } = await call(suite.baseUrl, 'GET', 'v1/reports/roi?days=7', { token: loop.manager.token });
      return body.totals?.deals === 1 ? body : undefined;
    }, 'the positive reply to become a deal');
    expect(report.totals).toMatchObject({
      sent: 3,
      delivered: 3,
      humanReplies: 1,
      positive: 1,
      positiveRate: 1,
      deals: 1,
      pipelineAmount: 4_000,
      draftsApproved: 3,
      timeSavedMinutes: 21,
    });
    expect(report.byRep).toEqual([expect.objectContaining({ key: loop.mailbox, sent: 3, humanReplies: 1 })]);
    expect(report.byStep.map((row: { label: string }) => row.label)).toEqual(['Step 1']);

    const asCsv = await call(suite.baseUrl, 'GET', 'v1/reports/roi?days=7&format=csv', { token: loop.manager.token });
    expect(asCsv.contentType).toContain('text/csv');
    expect(String(asCsv.body).split('\r\n')[1]).toMatch(/^total,,.*,3,3,1,1,1,0,1,4000,0,/);

    const bad = await call(suite.baseUrl, 'GET', 'v1/reports/roi?days=14', { token: loop.manager.token });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).toContain('days');
    expect((await call(suite.baseUrl, 'GET', 'v1/reports/roi', { token: loop.operator.token })).status).toBe(403);

    // Won in ASEP's CRM at the amount the Manager gives it: won counted apart from the pipeline, at the deal's own amount.
    const [deal] = (await call(suite.baseUrl, 'GET', 'v1/deals', { token: loop.manager.token })).body;
    const notAllowed = await call(suite.baseUrl, 'PATCH', `v1/deals/${deal.id}`, { token: loop.operator.token, json: { stage: 'WON' } });
    expect(notAllowed.status).toBe(403);
    const badAmount = await call(suite.baseUrl, 'PATCH', `v1/deals/${deal.id}`, { token: loop.manager.token, json: { amount: -5 } });
    expect(badAmount.status).toBe(400);
    expect(JSON.stringify(badAmount.body)).toContain('amount');
    const won = await call(suite.baseUrl, 'PATCH', `v1/deals/${deal.id}`, { token: loop.manager.token, json: { stage: 'WON', amount: 9_500 } });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ stage: 'WON', amount: 9_500, wonAt: expect.any(String) });
    const withWon = (await call(suite.baseUrl, 'GET', 'v1/reports/roi?days=7', { token: loop.manager.token })).body;
    expect(withWon.totals).toMatchObject({ deals: 1, pipelineAmount: 9_500, wonAmount: 9_500 });
    const lastYear = (await call(suite.baseUrl, 'GET', 'v1/reports/roi?from=2020-01-01&to=2020-02-01', { token: loop.manager.token })).body;
    expect(lastYear.totals.wonAmount).toBe(0);
  });
});
