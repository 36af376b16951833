import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, signIn, sleep, startSuite, untilDone, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign, type LoopFixture } from '../support/governed-loop';

// Moves the suite's clock, so it has a suite of its own.
let suite: RunningSuite;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

const oneWeekHours = 7 * 24;
/** A first touch a Manager approves, two business days, then a follow-up that needs nobody. */
const sequence = {
  steps: [
    { type: 'email', subject: 'Idea for {{company}}', body: 'Hi {{firstName}}, a short idea for {{company}}. Worth a chat?', approval: 'every' },
    { type: 'wait', days: 2 },
    { type: 'email', subject: 'Idea for {{company}}', body: 'Hi {{firstName}}, following up on my note.', approval: 'none' },
  ],
};

/** A tenant whose policy keeps no sending window (the clock is moved by days), and a campaign of `size` prospects at as many companies. */
async function campaignOf(size: number): Promise<LoopFixture> {
  const rows = Array.from({ length: size }, (_, index) => `p${index}@company${index}.example,Pat${index},Company ${index}`);
  const loop = await prepareCampaign(suite.baseUrl, newTenantId(), ['email,first_name,company', ...rows].join('\n'));
  const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: loop.admin.token })).body;
  const saved = await call(suite.baseUrl, 'PUT', 'v1/policies', {
    token: loop.admin.token,
    json: { version: policy.version, rules: { ...policy.rules, sendingWindow: { ...policy.rules.sendingWindow, enabled: false } } },
  });
  expect(saved.status).toBe(200);
  const campaign = await call(suite.baseUrl, 'POST', 'v1/campaigns', {
    token: loop.revops.token,
    json: { name: 'Pause drill', mailbox: loop.mailbox, sequence },
  });
  await call(suite.baseUrl, 'POST', `v1/campaigns/${campaign.body.id}/prospects`, {
    token: loop.revops.token,
    json: { prospectIds: loop.prospectIds },
  });
  return { ...loop, campaignId: campaign.body.id };
}

async function audit(loop: LoopFixture): Promise<any[]> {
  return (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
}

async function sentCount(loop: LoopFixture, count: number, what: string): Promise<any[]> {
  return eventually(
    async () => {
      const sent = await outbox(loop);
      return sent.length >= count ? sent : undefined;
    },
    what,
    60_000,
  );
}

function approve(loop: LoopFixture, approvalId: string) {
  return call(suite.baseUrl, 'POST', `v1/approvals/${approvalId}/approve`, { token: loop.manager.token, json: {} });
}

// Each case drives a campaign through approvals, a week of durable timers and a release: minutes on a busy 2-core CI.
describe('the kill switch pauses', { timeout: 180_000 }, () => {
  it('holds 20 in-flight sequences while the tenant switch is on and resumes them all when it is off: nothing twice, nothing lost', async () => {
    const loop = await campaignOf(20);
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const approvals = await pendingApprovals(loop, 20);

    // Ten first touches leave; those ten sequences now wait out their two business days on durable timers.
    for (const approval of approvals.slice(0, 10)) expect((await approve(loop, approval.id)).status).toBe(200);
    await sentCount(loop, 10, 'ten first touches');

    const on = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.admin.token,
      json: { scope: 'tenant', active: true, reason: 'incident drill' },
    });
    expect(on.status).toBe(200);

    // The other ten are approved under the switch: the approver is told they are held, and nothing leaves.
    for (const approval of approvals.slice(10)) {
      const approved = await approve(loop, approval.id);
      expect(approved.body).toMatchObject({ status: 'approved', delivery: { status: 'held' } });
    }
    // The waiting ten come due under the switch: their follow-ups are held before anything is prepared to send.
    await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: oneWeekHours } });
    await eventually(
      async () => {
        const events = await audit(loop);
        const heldSends = events.filter((event) => event.type === 'email.held').length;
        const heldFollowUps = events.filter(
          (event) => event.type === 'policy.decided' && event.payload.step === 2 && event.payload.rules.includes('killSwitch:block'),
        ).length;
        return heldSends === 10 && heldFollowUps === 10 ? true : undefined;
      },
      'ten approved sends and ten follow-ups held',
      60_000,
    );
    await sleep(500);
    expect(await outbox(loop)).toHaveLength(10);
    expect((await audit(loop)).filter((event) => event.type === 'email.blocked')).toHaveLength(0);

    const off = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.admin.token,
      json: { scope: 'tenant', active: false, reason: 'drill over', release: 'resume' },
    });
    // The switch is off at once; the held sequences are woken in the background, and the answer says where to watch.
    expect(off.status).toBe(202);
    expect(off.body.tenant).toMatchObject({ active: false, release: 'resume', resumption: { done: false } });
    expect(off.location).toBe(`v1/killswitch/releases/${off.body.tenant.resumption.releaseId}`);
    const progress = await untilDone(suite.baseUrl, off, loop.admin.token, 'the release of the held sequences');
    expect(progress).toMatchObject({ state: 'done', scope: 'tenant', sequences: 20, checked: 20, held: 20, resumed: 20, done: true });
    const released = (await audit(loop)).filter((event) => event.type === 'killswitch.released');
    expect(released.map((event) => event.payload)).toEqual([
      expect.objectContaining({ scope: 'tenant', release: 'resume', sequencesResumed: 20, sequencesEnded: 0 }),
    ]);
    const switches = (await call(suite.baseUrl, 'GET', 'v1/killswitch', { token: loop.auditor.token })).body;
    expect(switches.tenant.resumption).toEqual({ releaseId: off.body.tenant.resumption.releaseId, done: true, sequencesResumed: 20 });

    // Asked again, the release is the same one: nothing is woken twice, nothing audited twice.
    const again = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.admin.token,
      json: { scope: 'tenant', active: false, reason: 'drill over', release: 'resume' },
    });
    expect(again.status).toBe(200);
    expect(again.location).toBe(off.location);
    expect((await audit(loop)).filter((event) => event.type === 'killswitch.released')).toHaveLength(1);

    // The ten held first touches and the ten held follow-ups leave; then the last ten follow-ups, two days on.
    await sentCount(loop, 30, 'the twenty held emails');
    await call(suite.baseUrl, 'POST', 'dev/clock/advance', { json: { hours: oneWeekHours } });
    const sent = await sentCount(loop, 40, 'the last ten follow-ups');
    await sleep(1_000);
    const final = await outbox(loop);
    expect(final).toHaveLength(40);
    expect(new Set(final.map((email) => email.internetMessageId)).size).toBe(40);
    for (let index = 0; index < 20; index += 1) {
      const to = `p${index}@company${index}.example`;
      expect(
        sent
          .filter((email) => email.to === to)
          .map((email) => email.subject)
          .sort(),
      ).toEqual([`Idea for Company ${index}`, `Re: Idea for Company ${index}`]);
    }
    // The approvals held by the switch now say their email left.
    const decided = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=approved', { token: loop.manager.token })).body;
    const heldIds = new Set(approvals.slice(10).map((approval) => approval.id));
    expect(decided.filter((approval) => heldIds.has(approval.id)).map((approval) => approval.delivery?.status)).toEqual(Array(10).fill('sent'));
  });

  it('ends every sequence in scope when the switch is turned off with "end all": the held email never leaves', async () => {
    const loop = await campaignOf(2);
    await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
    const approvals = await pendingApprovals(loop, 2);
    const on = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.manager.token,
      json: { scope: 'campaign', campaignId: loop.campaignId, active: true, reason: 'wrong list' },
    });
    expect(on.status).toBe(200);
    await approve(loop, approvals[0]!.id);
    await eventually(async () => ((await audit(loop)).some((event) => event.type === 'email.held') ? true : undefined), 'the approved send held');

    const refused = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.manager.token,
      json: { scope: 'campaign', campaignId: loop.campaignId, active: true, reason: 'again', release: 'end' },
    });
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/problem+json');
    expect(JSON.stringify(refused.body)).toContain('release');

    const off = await call(suite.baseUrl, 'PUT', 'v1/killswitch', {
      token: loop.manager.token,
      json: { scope: 'campaign', campaignId: loop.campaignId, active: false, reason: 'list was wrong, start over', release: 'end' },
    });
    // The answer comes at once; the sequences end in the background, the switch holding every send until they have.
    expect(off.status).toBe(202);
    expect(off.body.campaigns[loop.campaignId]).toMatchObject({ active: false, release: 'end', resumption: { done: false } });
    const progress = await untilDone(suite.baseUrl, off, loop.manager.token, 'ending the campaign’s sequences');
    expect(progress).toMatchObject({ state: 'done', release: 'end', scope: 'campaign', sequences: 2, checked: 2, held: 1, ended: 2, resumed: 0 });
    const switches = (await call(suite.baseUrl, 'GET', 'v1/killswitch', { token: loop.auditor.token })).body;
    expect(switches.campaigns[loop.campaignId].resumption).toEqual({
      releaseId: off.body.campaigns[loop.campaignId].resumption.releaseId,
      done: true,
      sequencesEnded: 2,
    });
    const events = await audit(loop);
    expect(events.find((event) => event.type === 'killswitch.released').payload).toMatchObject({ release: 'end', sequencesEnded: 2 });
    expect(events.filter((event) => event.type === 'killswitch.released')).toHaveLength(1);
    expect(events.find((event) => event.type === 'campaign.stopped').payload).toMatchObject({ campaignId: loop.campaignId, sequencesStopped: 2 });
    const campaign = (await call(suite.baseUrl, 'GET', `v1/campaigns/${loop.campaignId}`, { token: loop.manager.token })).body;
    expect(campaign.status).toBe('stopped');
    const stillPending = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body;
    expect(stillPending).toHaveLength(0);
    await sleep(1_000);
    expect(await outbox(loop)).toHaveLength(0);
  });

  it('shows a release’s progress only to its own tenant, and answers a malformed release id with problem+json', async () => {
    const owner = await signIn(suite.baseUrl, newTenantId(), ['Owner'], 'Olive Owner');
    const stranger = await signIn(suite.baseUrl, newTenantId(), ['Owner'], 'Sam Stranger');
    await call(suite.baseUrl, 'PUT', 'v1/killswitch', { token: owner.token, json: { scope: 'tenant', active: true, reason: 'drill' } });
    const off = await call(suite.baseUrl, 'PUT', 'v1/killswitch', { token: owner.token, json: { scope: 'tenant', active: false, reason: 'over' } });
    expect(off.status).toBe(202);
    expect(await untilDone(suite.baseUrl, off, owner.token, 'an empty release')).toMatchObject({ sequences: 0, resumed: 0, done: true });

    const foreign = await call(suite.baseUrl, 'GET', off.location!, { token: stranger.token });
    expect(foreign.status).toBe(404);
    expect(foreign.contentType).toContain('application/problem+json');
    const malformed = await call(suite.baseUrl, 'GET', 'v1/killswitch/releases/%20release', { token: owner.token });
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toContain('application/problem+json');
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });
});
