import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, sleep, startSuite, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign, type LoopFixture } from '../support/governed-loop';
import { deliverabilityDriver, deliveryReport } from './deliverability-support';

let suite: RunningSuite;
let driver: ReturnType<typeof deliverabilityDriver>;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
  driver = deliverabilityDriver(suite.baseUrl);
});
afterAll(async () => suite?.stop());

const fiveProspects = [
  'email,first_name,company',
  'ann@one.example,Ann,One',
  'ben@two.example,Ben,Two',
  'cay@three.example,Cay,Three',
  'dov@four.example,Dov,Four',
  'eve@five.example,Eve,Five',
].join('\n');

const campaignCall = (loop: LoopFixture, verb: string, json: unknown = {}, token = loop.manager.token) =>
  call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/${verb}`, { token, json });
const canary = async (loop: LoopFixture) =>
  (await call(suite.baseUrl, 'GET', `v1/campaigns/${loop.campaignId}/canary`, { token: loop.operator.token })).body;

/** Approves every first touch the canary asked for and waits until they are sent. */
async function sendCanary(loop: LoopFixture, size: number) {
  const approvals = await pendingApprovals(loop, size);
  for (const approval of approvals) await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
  return eventually(async () => {
    const sent = await outbox(loop);
    return sent.length === size ? sent : undefined;
  }, 'the canary sends');
}

describe('canary', () => {
  it('halts the campaign when bounces among a canary of 2 out of 5 cross the threshold, and the rest start only once promoted', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), fiveProspects);
    const started = await campaignCall(loop, 'start', { canary: { size: 2 } });
    expect(started.body).toMatchObject({ started: 2, canary: { size: 2 } });
    const [first] = await sendCanary(loop, 2);
    expect(await driver.pending(loop)).toEqual([]);
    expect(await canary(loop)).toMatchObject({ campaignName: 'Loop test', sent: 2, bounces: 0, status: 'running', thresholds: { bounceRate: 0.05 } });

    const bounce = deliveryReport(first.to, 'hard');
    await driver.reply(loop, `mailer-daemon@${first.to.split('@')[1]}`, first.internetMessageId, bounce.body, { headers: bounce.headers });
    const halted = await eventually(async () => ((await canary(loop)).status === 'halted' ? canary(loop) : undefined), 'the canary to halt');
    expect(halted).toMatchObject({ sent: 2, bounces: 1, decidedBy: 'Canary monitor', decidedAt: expect.any(String) });
    const killSwitch = (await call(suite.baseUrl, 'GET', 'v1/killswitch', { token: loop.operator.token })).body;
    expect(killSwitch.campaigns[loop.campaignId]).toMatchObject({
      active: true,
      reason: expect.stringMatching(/^canary halted: bounces 1 of 2 sent \(50%\)/),
    });
    const audit = await driver.auditEvents(loop);
    expect(audit.find((event) => event.type === 'canary.halted')).toMatchObject({ actor: { type: 'system', id: 'canary-monitor' } });
    expect(audit.find((event) => event.type === 'killswitch.activated').payload.campaignId).toBe(loop.campaignId);

    // Halted: the canary's other prospect gets no follow-up and nobody else is started.
    expect(
      await driver.daysPassUntil(async () => ((await outbox(loop)).length > 2 || (await driver.pending(loop)).length > 0 ? true : undefined), 5),
    ).toBeUndefined();
    const refused = await campaignCall(loop, 'promote');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/kill switch/);

    // A Manager looks into it, releases the kill switch on purpose (the held follow-up resumes), and promotes: the other three start.
    await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.manager.token,
      json: { scope: 'campaign', campaignId: loop.campaignId, active: false, reason: 'list cleaned' },
    });
    expect((await campaignCall(loop, 'promote', {}, loop.operator.token)).status).toBe(403);
    expect((await campaignCall(loop, 'promote')).status).toBe(202);
    const rest = await pendingApprovals(loop, 4);
    const firstTouches = rest.filter((approval) => approval.kind === 'first_touch');
    expect(firstTouches.map((approval) => approval.to).sort()).toEqual(['cay@three.example', 'dov@four.example', 'eve@five.example']);
    const otherCanaryProspect = (await outbox(loop)).find((email) => email.to !== first.to)!.to;
    expect(rest.filter((approval) => approval.kind === 'step').map((approval) => approval.to)).toEqual([otherCanaryProspect]);
    expect(await canary(loop)).toMatchObject({ status: 'promoted', decidedBy: 'Manager person' });
    expect((await driver.auditEvents(loop)).find((event) => event.type === 'canary.promoted')).toMatchObject({
      actor: { type: 'user', name: 'Manager person' },
    });
  });

  it('starts a canary by percentage and promotes a healthy one to everyone', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), fiveProspects);
    expect((await campaignCall(loop, 'start', { canary: { percent: 40 } })).body).toMatchObject({ started: 2, canary: { size: 2 } });
    await sendCanary(loop, 2);
    await sleep(300);
    expect(await driver.pending(loop)).toEqual([]);

    const promoted = await campaignCall(loop, 'promote');
    expect(promoted.status).toBe(202);
    expect((await pendingApprovals(loop, 3)).length).toBe(3);
    expect(await canary(loop)).toMatchObject({ sent: 2, bounces: 0, unsubscribes: 0, negativeReplies: 0, status: 'promoted' });
    expect((await campaignCall(loop, 'promote')).status).toBe(409);
    expect((await campaignCall(loop, 'halt')).status).toBe(409);
  });

  it('refuses a full start while the policy requires a canary, and halts by hand', async () => {
    const loop = await prepareCampaign(suite.baseUrl, newTenantId(), fiveProspects);
    const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: loop.admin.token })).body;
    await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: loop.admin.token,
      json: { rules: { ...policy.rules, canary: { ...policy.rules.canary, required: true } }, version: policy.version },
    });

    const refused = await campaignCall(loop, 'start');
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/requires a canary/);
    await sleep(300);
    expect(await driver.pending(loop)).toEqual([]);

    await campaignCall(loop, 'start', { canary: { size: 1 } });
    await pendingApprovals(loop, 1);
    const halted = await campaignCall(loop, 'halt', { reason: 'wrong offer' });
    expect(halted.body).toMatchObject({ status: 'halted', decidedBy: 'Manager person' });
    const killSwitch = (await call(suite.baseUrl, 'GET', 'v1/killswitch', { token: loop.operator.token })).body;
    expect(killSwitch.campaigns[loop.campaignId]).toMatchObject({ active: true, reason: 'canary halted: wrong offer' });
  });
});
