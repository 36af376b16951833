import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, sleep, startSuite, type RunningSuite } from '../support/suite';
import { changePolicy, outbox, pendingApprovals, prepareCampaign, type LoopFixture } from '../support/governed-loop';

let suite: RunningSuite;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

async function auditEvents(loop: LoopFixture): Promise<any[]> {
  return (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
}

/** A second campaign in the fixture's tenant, with its own one-step sequence, enrolling every prospect. */
async function campaignWith(
  loop: LoopFixture,
  step: { subject: string; body: string; approval: string },
  extra: Record<string, unknown> = {},
): Promise<string> {
  const created = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
    token: loop.revops.token,
    json: { name: 'Policy test', mailbox: loop.mailbox, sequence: { steps: [{ type: 'email', ...step }] }, ...extra },
  });
  if (created.status !== 201) throw new Error(`campaign create failed: ${JSON.stringify(created.body)}`);
  await call(suite.baseUrl, 'POST', `v1/campaigns/${created.body.id}/prospects`, {
    token: loop.revops.token,
    json: { prospectIds: loop.prospectIds },
  });
  return created.body.id;
}

describe('policy on real sends', () => {
  it('never sends an approved email to an address suppressed after the approval was asked for', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nlate@suppressed.example,Lou,Suppressed');
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const [approval] = await pendingApprovals(loop, 1);
    const suppressed = await call(suite.baseUrl, 'POST', 'v1/suppressions', {
      token: loop.operator.token,
      json: { email: 'late@suppressed.example' },
    });
    expect(suppressed.status).toBe(201);
    const approved = await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    expect(approved.status).toBe(200);

    const blocked = await eventually(async () => (await auditEvents(loop)).find((event) => event.type === 'email.blocked'), 'the send to be blocked');
    expect(blocked.payload.rules).toEqual(['suppression']);
    expect(blocked.payload.reasons).toEqual(["late@suppressed.example is on the tenant's suppression list (reason: manual)."]);
    await sleep(500);
    expect(await outbox(loop)).toHaveLength(0);
    expect((await auditEvents(loop)).some((event) => event.type === 'email.sent')).toBe(false);
  });

  it('asks nobody and sends nothing for an address suppressed before the campaign starts', async () => {
    const loop = await prepareCampaign(
      suite.baseUrl,
      newTenantId(),
      'email,first_name,company\nearly@suppressed.example,Eli,Early\nok@fine.example,Ola,Fine',
    );
    await call(suite.baseUrl, 'POST', 'v1/suppressions', { token: loop.operator.token, json: { email: 'early@suppressed.example' } });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    await pendingApprovals(loop, 1);
    await sleep(500);
    const pending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body;
    expect(pending.map((approval) => approval.to)).toEqual(['ok@fine.example']);
  });

  it('sends an email with a prohibited claim or an unsourced figure to a Manager as content risk', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nrisk@claims.example,Rita,Claims');
    await changePolicy(loop, (rules) => ({ ...rules, approvals: { ...rules.approvals, firstTouch: false } }));
    const campaignId = await campaignWith(loop, {
      subject: 'Results for {{company}}',
      body: 'Hi {{firstName}}, we guarantee results: guaranteed 40% more meetings.',
      approval: 'none',
    });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaignId}/start`, { token: loop.manager.token, json: {} });

    const [approval] = await pendingApprovals(loop, 1);
    expect(approval).toMatchObject({ kind: 'content_risk', campaignId, to: 'risk@claims.example' });
    expect(approval.decision.reasons.map((reason: { rule: string }) => reason.rule)).toEqual([
      'content.prohibitedClaims',
      'content.claimsNeedEvidence',
    ]);
    expect(await outbox(loop)).toHaveLength(0);
    await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
    const [sent] = await eventually(async () => ((await outbox(loop)).length > 0 ? outbox(loop) : undefined), 'the approved send');
    expect(sent.body).toContain('guaranteed 40% more meetings');
  });

  it('lets a figure through unasked when the campaign’s facts source it', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\nsourced@facts.example,Sam,Facts');
    await changePolicy(loop, (rules) => ({ ...rules, approvals: { ...rules.approvals, firstTouch: false } }));
    const campaignId = await campaignWith(
      loop,
      { subject: 'An idea for {{company}}', body: 'Hi {{firstName}}, Contoso booked 40% more meetings with us.', approval: 'none' },
      { facts: [{ fact: 'Contoso booked 40% more meetings in Q3', source: 'https://vendor.example/case-studies/contoso' }] },
    );
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaignId}/start`, { token: loop.manager.token, json: {} });
    await eventually(async () => ((await outbox(loop)).length > 0 ? true : undefined), 'the send');
    expect((await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals', { token: loop.manager.token })).body).toHaveLength(0);
  });

  it('refuses to start a campaign without a canary when the policy requires one, and runs it started with one', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), 'email,first_name,company\ncanary@bird.example,Cal,Bird');
    await changePolicy(loop, (rules) => ({ ...rules, canary: { required: true } }));
    const refused = await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    expect(refused.status).toBe(409);
    await sleep(300);
    expect((await auditEvents(loop)).some((event) => event.type === 'policy.decided')).toBe(false);
    expect((await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body).toHaveLength(0);

    const canaryCampaign = await campaignWith(loop, { subject: 'Hello {{firstName}}', body: 'A short note for {{company}}.', approval: 'every' });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${canaryCampaign}/start`, { token: loop.manager.token, json: { canary: { size: 1 } } });
    const [approval] = await pendingApprovals(loop, 1);
    expect(approval.campaignId).toBe(canaryCampaign);
  });

  it('defers the send past a recipient domain’s daily cap to the next day instead of dropping it', async () => {
    const loop = await prepareCampaign(
      suite.baseUrl,
      newTenantId(),
      'email,first_name,company\none@capped.example,Uno,Capped\ntwo@capped.example,Dos,Capped',
    );
    await changePolicy(loop, (rules) => ({
      ...rules,
      approvals: { ...rules.approvals, firstTouch: false },
      caps: { ...rules.caps, sendsPerRecipientDomainPerDay: 1 },
    }));
    const campaignId = await campaignWith(loop, { subject: 'Hello {{firstName}}', body: 'A short note for {{company}}.', approval: 'none' });
    await call(suite.baseUrl, 'POST', `v1/campaigns/${campaignId}/start`, { token: loop.manager.token, json: {} });

    const deferred = await eventually(async () => (await auditEvents(loop)).find((event) => event.type === 'email.deferred'), 'a deferred send');
    expect(deferred.payload).toMatchObject({ rule: 'caps.sendsPerRecipientDomainPerDay' });
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(deferred.payload.retryAt).toBe(tomorrow.toISOString());
    await sleep(500);
    expect(await outbox(loop)).toHaveLength(1);
    expect((await auditEvents(loop)).some((event) => event.type === 'email.blocked')).toBe(false);
  });
});
