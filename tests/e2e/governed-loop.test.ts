import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, sleep, startSuite, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign } from '../support/governed-loop';

let suite: RunningSuite;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => {
  await suite?.stop();
});

const csv = ['email,first_name,last_name,company,title', 'Dana.Lee@Acme.example ,Dana,Lee,Acme,Head of Sales'].join('\n');

describe('the governed loop', () => {
  it('takes one prospect from CSV import to a deal through one approval and exactly one send', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), csv);
    const started = await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    expect(started.status).toBe(202);

    const [approval] = await pendingApprovals(loop, 1);
    expect(approval).toMatchObject({ kind: 'first_touch', campaignId: loop.campaignId, to: 'dana.lee@acme.example', subject: 'Idea for Acme' });
    expect(approval.body).toContain('Hi Dana');
    expect(approval.decision.reasons.map((reason: { rule: string }) => reason.rule)).toContain('approvals.firstTouch');
    expect(await outbox(loop)).toHaveLength(0);

    const approved = await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');

    const [sent] = await eventually(async () => ((await outbox(loop)).length > 0 ? outbox(loop) : undefined), 'the first touch to leave');
    await sleep(500);
    expect(await outbox(loop, 'dana.lee@acme.example')).toHaveLength(1);

    const reply = await call(suite.baseUrl, 'POST', 'dev/mailbox/inbound', {
      json: {
        tenantId: loop.tenantId,
        from: 'dana.lee@acme.example',
        to: loop.mailbox,
        subject: 'Re: Idea for Acme',
        body: 'Yes, this is interesting. Could we talk on Thursday afternoon? Please send me an invite.',
        inReplyTo: sent.internetMessageId,
      },
    });
    expect(reply.status).toBe(202);

    const deals = await eventually(async () => {
      const { body } = await call<any[]>(suite.baseUrl, 'GET', 'v1/deals', { token: loop.operator.token });
      return body.length > 0 ? body : undefined;
    }, 'a deal');
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({ contactEmail: 'dana.lee@acme.example', stage: 'POSITIVE_REPLY' });

    const insight = await call(suite.baseUrl, 'GET', `v1/insights/by-message?internetMessageId=${encodeURIComponent(reply.body.internetMessageId)}`, {
      token: loop.operator.token,
    });
    expect(insight.status).toBe(200);
    expect(insight.body.classification.label).toBe('positive');
    expect(insight.body.intent).toMatchObject({ type: 'positive_reply' });
    expect(insight.body.deal.id).toBe(deals[0].id);

    const audit = await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token });
    const types = audit.body.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'policy.decided',
        'approval.requested',
        'approval.approved',
        'email.sent',
        'reply.classified',
        'intent.positive_reply',
        'deal.created',
      ]),
    );
    const verified = await call(suite.baseUrl, 'GET', 'v1/audit/verify', { token: loop.auditor.token });
    expect(verified.body).toMatchObject({ valid: true, count: audit.body.length });
  });

  it('never emails a .gov recipient and asks nobody to approve it', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,company\nofficer@agency.gov,Agency\nbuyer@shop.example,Shop');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const approvals = await pendingApprovals(loop, 1);
    await sleep(500);
    const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body;
    expect(pending.map((a) => a.to)).toEqual(['buyer@shop.example']);
    expect(approvals).toHaveLength(1);
    const audit = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
    expect(
      audit.some(
        (event) => event.type === 'policy.decided' && event.payload.allow === false && event.payload.rules.includes('recipients.blockedTlds:block'),
      ),
    ).toBe(true);
  });

  it('approving twice sends once', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nkim@twice.example,Kim,Twice');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const [approval] = await pendingApprovals(loop, 1);
    const [first, second] = await Promise.all([
      call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} }),
      call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} }),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    expect(third.status).toBe(200);
    await eventually(async () => ((await outbox(loop)).length > 0 ? true : undefined), 'the send');
    await sleep(1000);
    expect(await outbox(loop)).toHaveLength(1);
    const audit = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
    expect(audit.filter((event) => event.type === 'approval.approved')).toHaveLength(1);
    const rejected = await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/reject`, {
      token: loop.manager.token,
      json: { reason: 'changed my mind' },
    });
    expect(rejected.status).toBe(409);
    expect(rejected.contentType).toContain('application/problem+json');
  });

  it('holds an approval given while the kill switch is on', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nlee@halt.example,Lee,Halt');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const [approval] = await pendingApprovals(loop, 1);
    const halted = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.admin.token,
      json: { scope: 'tenant', active: true, reason: 'incident drill' },
    });
    expect(halted.status).toBe(200);
    await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    const audit = await eventually(async () => {
      const events = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
      return events.some((event) => event.type === 'email.held') ? events : undefined;
    }, 'the send to be held');
    expect(audit.filter((event) => event.type === 'email.blocked')).toHaveLength(0);
    expect(await outbox(loop)).toHaveLength(0);
  });

  it('holds a queued email once the campaign kill switch is turned on', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nqueued@later.example,Quinn,Later');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const [approval] = await pendingApprovals(loop, 1);
    // The mailbox fails once, so the approved send waits in the retry queue for a couple of seconds.
    await call(suite.baseUrl, 'POST', 'dev/mailbox/faults', { json: { transientFailures: 1 } });
    await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    await sleep(300);
    const halted = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.manager.token,
      json: { scope: 'campaign', campaignId: loop.campaignId, active: true, reason: 'wrong list' },
    });
    expect(halted.status).toBe(200);
    await eventually(
      async () => {
        const events = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
        return events.some((event) => event.type === 'email.held') ? true : undefined;
      },
      'the queued send to be held',
      20_000,
    );
    expect(await outbox(loop)).toHaveLength(0);
  });

  it('retries a send that fails transiently and delivers it once', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nretry@flaky.example,Rae,Flaky');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const [approval] = await pendingApprovals(loop, 1);
    await call(suite.baseUrl, 'POST', 'dev/mailbox/faults', { json: { transientFailures: 1 } });
    await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    await eventually(async () => ((await outbox(loop)).length > 0 ? true : undefined), 'the retried send', 20_000);
    await sleep(500);
    expect(await outbox(loop)).toHaveLength(1);
  });
});
