import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, newTenantId, startSuite, type RunningSuite } from '../support/suite';
import { outbox, pendingApprovals, prepareCampaign, type LoopFixture } from '../support/governed-loop';

let suite: RunningSuite;
beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

/** Runs a fresh tenant's campaign up to the first touch to `email` and returns the fixture and that touch. */
async function firstTouch(csv: string, email: string) {
  const loop = await prepareCampaign(suite.baseUrl, newTenantId(), csv);
  await call(suite.baseUrl, 'POST', `v1/campaigns/${loop.campaignId}/start`, { token: loop.manager.token, json: {} });
  const approvals = await pendingApprovals(loop, 1);
  const approval = approvals.find((candidate) => candidate.to === email)!;
  await call(suite.baseUrl, 'POST', `v1/approvals/${approval.id}/approve`, { token: loop.manager.token, json: {} });
  const [touch] = await eventually(async () => {
    const sent = await outbox(loop, email);
    return sent.length > 0 ? sent : undefined;
  }, 'the first touch');
  return { loop, touch };
}

async function reply(loop: LoopFixture, from: string, inReplyTo: string, body: string, headers: Record<string, string> = {}) {
  const { body: delivered } = await call(suite.baseUrl, 'POST', 'dev/mailbox/inbound', {
    json: { tenantId: loop.tenantId, from, to: loop.mailbox, subject: 'Re: Idea', body, inReplyTo, headers },
  });
  return eventually(async () => {
    const insight = await call(suite.baseUrl, 'GET', `v1/insights/by-message?internetMessageId=${encodeURIComponent(delivered.internetMessageId)}`, {
      token: loop.operator.token,
    });
    // Triage is done once gating has chosen the next action.
    return insight.status === 200 && insight.body.nextAction.kind !== 'review'
      ? { ...insight.body, internetMessageId: delivered.internetMessageId }
      : undefined;
  }, 'the reply to be triaged');
}

const deals = async (loop: LoopFixture) => (await call<any[]>(suite.baseUrl, 'GET', 'v1/deals', { token: loop.operator.token })).body;

describe('reply triage', () => {
  it('asks a Manager "Create deal?" in the gray zone and creates the deal with the chosen stage and amount', async () => {
    const { loop, touch } = await firstTouch('email,first_name,company\nmia@gray.example,Mia,Gray', 'mia@gray.example');
    const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: loop.admin.token })).body;
    await call(suite.baseUrl, 'PUT', 'v1/policies', {
      token: loop.admin.token,
      json: { rules: { ...policy.rules, deals: { ...policy.rules.deals, createThreshold: 0.9999, askThreshold: 0.5 } } },
    });

    const insight = await reply(
      loop,
      'mia@gray.example',
      touch.internetMessageId,
      'Sounds good, happy to have a call next week. Send me some times.',
    );
    expect(insight.classification.label).toBe('positive');
    expect(insight.pendingDealApprovalId).toBeTruthy();
    expect(await deals(loop)).toHaveLength(0);

    const prompt = (await call<any[]>(suite.baseUrl, 'GET', 'v1/approvals?status=pending', { token: loop.manager.token })).body.find(
      (a) => a.kind === 'deal_create',
    );
    expect(prompt).toMatchObject({ to: 'mia@gray.example', evidence: { excerpt: expect.any(String), confidence: expect.any(Number) } });
    await call(suite.baseUrl, 'POST', `v1/approvals/${prompt.id}/approve`, {
      token: loop.manager.token,
      json: { stage: 'QUALIFIED', amount: 12000 },
    });
    const [deal] = await eventually(async () => {
      const list = await deals(loop);
      return list.length ? list : undefined;
    }, 'the approved deal');
    expect(deal).toMatchObject({ stage: 'QUALIFIED', amount: 12000, contactEmail: 'mia@gray.example' });
  });

  it('suppresses an unsubscribe, stops the sequence and never creates a deal', async () => {
    const { loop, touch } = await firstTouch('email,first_name,company\numa@unsub.example,Uma,Unsub', 'uma@unsub.example');
    const insight = await reply(loop, 'uma@unsub.example', touch.internetMessageId, 'Please remove me from your mailing list and stop emailing me.');
    expect(insight.classification.label).toBe('unsubscribe');
    expect(insight.nextAction.kind).toBe('none');
    const prospects = (await call<any[]>(suite.baseUrl, 'GET', 'v1/prospects?status=unsubscribed', { token: loop.operator.token })).body;
    expect(prospects.map((p) => p.email)).toEqual(['uma@unsub.example']);
    expect(await deals(loop)).toHaveLength(0);
    const dryRun = await call(suite.baseUrl, 'POST', 'v1/policies/test', {
      token: loop.revops.token,
      json: { action: { type: 'send_email', mailbox: loop.mailbox, to: 'uma@unsub.example', subject: 's', body: 'b', isFirstTouch: false } },
    });
    expect(dryRun.body.allow).toBe(false);
  });

  it('suppresses a hard bounce with its SMTP status', async () => {
    const { loop, touch } = await firstTouch('email,first_name,company\nghost@bounce.example,Gus,Bounce', 'ghost@bounce.example');
    const dsn = [
      'This is the mail system at host mx.bounce.example.',
      "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.",
      '<ghost@bounce.example>: host mx.bounce.example said: 550 5.1.1 <ghost@bounce.example>: Recipient address rejected: User unknown',
      'Final-Recipient: rfc822; ghost@bounce.example',
      'Action: failed',
      'Status: 5.1.1',
    ].join('\n');
    const insight = await reply(loop, 'mailer-daemon@bounce.example', touch.internetMessageId, dsn, {
      'Content-Type': 'multipart/report; report-type=delivery-status',
    });
    expect(insight.classification.label).toBe('bounce');
    expect(insight.bounce).toMatchObject({ kind: 'hard', status: '5.1.1' });
    const bounced = (await call<any[]>(suite.baseUrl, 'GET', 'v1/prospects?status=bounced', { token: loop.operator.token })).body;
    expect(bounced.map((p) => p.email)).toEqual(['ghost@bounce.example']);
  });

  it('lets a person correct a label, audits it, and gates the deal again', async () => {
    const { loop, touch } = await firstTouch('email,first_name,company\nned@neutral.example,Ned,Neutral', 'ned@neutral.example');
    const insight = await reply(loop, 'ned@neutral.example', touch.internetMessageId, 'What does it cost?');
    expect(insight.classification.label).not.toBe('positive');
    const corrected = await call(suite.baseUrl, 'POST', `v1/replies/${encodeURIComponent(insight.internetMessageId)}/label`, {
      token: loop.operator.token,
      json: { label: 'positive' },
    });
    expect(corrected.status).toBe(200);
    const [deal] = await eventually(async () => {
      const list = await deals(loop);
      return list.length ? list : undefined;
    }, 'a deal after the correction');
    expect(deal.contactEmail).toBe('ned@neutral.example');
    const audit = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
    expect(audit.find((event) => event.type === 'reply.corrected').payload).toMatchObject({ to: 'positive' });
    const precision = (await call(suite.baseUrl, 'GET', 'v1/reports/precision', { token: loop.manager.token })).body;
    expect(precision.labels.find((row: { label: string }) => row.label === insight.classification.label)).toMatchObject({
      classified: 1,
      corrected: 1,
      precision: 0,
    });
  });
});

describe('booking', () => {
  it('books a free slot once, even when asked twice, and moves the deal to MEETING_BOOKED', async () => {
    const { loop, touch } = await firstTouch('email,first_name,company,timezone\nbo@book.example,Bo,Book,Europe/Berlin', 'bo@book.example');
    const insight = await reply(loop, 'bo@book.example', touch.internetMessageId, 'Yes, interested! Let us find a time for a call.');
    const prospectId = insight.prospect.id;
    const availability = await call(suite.baseUrl, 'GET', `v1/availability?prospectId=${prospectId}&days=7`, { token: loop.operator.token });
    expect(availability.status).toBe(200);
    expect(availability.body.slots.length).toBeGreaterThan(0);
    expect(availability.body.prospectTimeZone).toBe('Europe/Berlin');
    const slot = availability.body.slots[0];

    const [first, second] = await Promise.all([
      call(suite.baseUrl, 'POST', 'v1/bookings', { token: loop.operator.token, json: { prospectId, ...slot } }),
      call(suite.baseUrl, 'POST', 'v1/bookings', { token: loop.operator.token, json: { prospectId, ...slot } }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(first.body.meetingId).toBe(second.body.meetingId);
    expect(first.body.joinUrl).toMatch(/^https:\/\//);

    const after = await call(suite.baseUrl, 'GET', `v1/availability?prospectId=${prospectId}&days=7`, { token: loop.operator.token });
    expect(after.body.slots.map((s: { start: string }) => s.start)).not.toContain(slot.start);
    const [deal] = await deals(loop);
    expect(deal.stage).toBe('MEETING_BOOKED');
    const audit = (await call<any[]>(suite.baseUrl, 'GET', 'v1/audit?limit=1000', { token: loop.auditor.token })).body;
    expect(audit.filter((event) => event.type === 'meeting.booked')).toHaveLength(1);

    const summary = (await call(suite.baseUrl, 'GET', 'v1/reports/summary', { token: loop.manager.token })).body;
    expect(summary).toMatchObject({ sent: 1, replies: 1, positive: 1, meetings: 1, dealsCreated: 1 });
  });

  it('offers meetings only after the minimum notice set by the policy', async () => {
    const { loop } = await firstTouch('email,first_name,company\nnoa@notice.example,Noa,Notice', 'noa@notice.example');
    const prospectId = loop.prospectIds[0];
    const before = await call(suite.baseUrl, 'GET', `v1/availability?prospectId=${prospectId}&days=5`, { token: loop.operator.token });
    expect(before.body.slots.length).toBeGreaterThan(0);
    const policy = (await call(suite.baseUrl, 'GET', 'v1/policies', { token: loop.admin.token })).body;
    const weekOfNotice = { ...policy.rules, meetings: { ...policy.rules.meetings, minimumNoticeMinutes: 7 * 24 * 60 } };
    expect((await call(suite.baseUrl, 'PUT', 'v1/policies', { token: loop.admin.token, json: { rules: weekOfNotice } })).status).toBe(200);
    const after = await call(suite.baseUrl, 'GET', `v1/availability?prospectId=${prospectId}&days=5`, { token: loop.operator.token });
    expect(after.body.slots).toEqual([]);
  });

  it('refuses a slot that was never offered', async () => {
    const { loop } = await firstTouch('email,first_name,company\nzed@book.example,Zed,Book', 'zed@book.example');
    const prospectId = loop.prospectIds[0];
    const midnight = new Date(Date.UTC(2030, 0, 6, 0, 0)).toISOString();
    const refused = await call(suite.baseUrl, 'POST', 'v1/bookings', {
      token: loop.operator.token,
      json: { prospectId, start: midnight, end: new Date(Date.parse(midnight) + 1_800_000).toISOString() },
    });
    expect(refused.status).toBe(409);
    expect(refused.contentType).toContain('application/problem+json');
  });
});
