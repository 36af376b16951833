import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoSuite } from '@asep/local/demo-suite';
import { visibleText } from '@asep/teams-app/cards/card-conformance';
import { buildWeeklyDigestCard } from '@asep/teams-app/cards/digest-card';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { ApprovalRecord } from '../approvals/records';
import type { BookingRecord } from '../bookings/records';
import type { DealRecord } from '../crm/records';
import type { MessageRecord } from '../mail/message';
import { touchPartition } from '../mail/touches';
import type { RepRecord } from '../reps/records';
import { call } from '../../../tests/support/suite';

/*
 * A month of a three-rep team's activity, written straight into the local suite's store as the loop would have
 * left it (sends beside their prospects, triaged replies, bookings, deals, approvals), then read back through
 * `GET /api/v1/reports/roi` as JSON and CSV. Every expected figure below is counted by hand from the seed.
 * Only the fields the report reads are seeded, hence the casts.
 */

let demo: DemoSuite;
beforeAll(async () => {
  demo = await DemoSuite.start();
});
afterAll(async () => demo?.close());

const reps = [
  { mailbox: 'ava@team.example', name: 'Ava (New York)', timeZone: 'America/New_York' },
  { mailbox: 'ben@team.example', name: 'Ben (Berlin)', timeZone: 'Europe/Berlin' },
  { mailbox: 'kei@team.example', name: 'Kei (Tokyo)', timeZone: 'Asia/Tokyo' },
] as const;
const [ava, ben, kei] = reps.map((rep) => rep.mailbox);

// touch, sent at, campaign, step (from 0), mailbox, prospect, approval
const sends = [
  ['t1', '2026-11-02T14:00:00.000Z', 'c-fall', 0, ava, 'p1', 'a1'],
  ['t2', '2026-11-09T14:00:00.000Z', 'c-fall', 1, ava, 'p1', 'a6'],
  ['t3', '2026-11-03T08:00:00.000Z', 'c-fall', 0, ben, 'p2', 'a2'],
  ['t4', '2026-11-04T01:00:00.000Z', 'c-spring', 0, kei, 'p3', 'a3'],
  ['t5', '2026-11-05T01:00:00.000Z', 'c-spring', 0, kei, 'p4', undefined],
  ['t6', '2026-10-28T14:00:00.000Z', 'c-spring', 0, ava, 'p5', 'a4'], // October: its reply in November still counts
  ['t7', '2026-12-02T08:00:00.000Z', 'c-fall', 0, ben, 'p6', undefined], // December: outside the month
] as const;
// reply, to touch, at, label
const replies = [
  ['r1', 't1', '2026-11-02T16:00:00.000Z', 'positive'], // 2 h
  ['r2', 't3', '2026-11-03T09:00:00.000Z', 'ooo'],
  ['r3', 't4', '2026-11-04T02:00:00.000Z', 'bounce'], // t4 not delivered
  ['r4', 't5', '2026-11-05T05:00:00.000Z', 'objection'], // 4 h
  ['r5', 't6', '2026-11-02T14:00:00.000Z', 'positive'], // 120 h
  ['r6', 't2', '2026-11-09T20:00:00.000Z', 'neutral'], // 6 h
] as const;

async function seedMonth(): Promise<void> {
  const { store } = demo.suite.services;
  const tenantId = demo.tenantId;
  const scoped = store.forTenant(tenantId);
  const base = { tenantId, subject: 'Idea', body: '…', headers: {}, from: '', to: '' };
  for (const rep of reps) {
    await scoped.reps.upsert({ id: `rep-${rep.mailbox}`, ...rep, source: 'manual', updatedAt: '2026-10-01T00:00:00.000Z' } as unknown as RepRecord);
  }
  for (const [id, at, campaignId, step, mailbox, prospectId, approvalId] of sends) {
    await store.touches.upsert({
      ...base,
      id,
      pk: touchPartition(tenantId, prospectId),
      direction: 'outbound',
      status: 'sent',
      internetMessageId: `<${id}@team.example>`,
      conversationId: `conv-${prospectId}`,
      mailbox,
      at,
      campaignId,
      step,
      prospectId,
      ...(approvalId ? { approvalId } : {}),
    } as unknown as MessageRecord);
  }
  for (const [id, touchId, at, label] of replies) {
    await store.messages.upsert({
      ...base,
      id,
      pk: hashedPartition(tenantId, id),
      direction: 'inbound',
      internetMessageId: `<${id}@prospect.example>`,
      conversationId: `conv-${touchId}`,
      mailbox: ava,
      at,
      triage: { status: 'done', matchedTouchId: touchId, classification: { label, confidence: 0.95 } },
    } as unknown as MessageRecord);
  }
  const bookings: [string, string, string, string][] = [
    ['b1', 'p1', '2026-11-03T10:00:00.000Z', 'booked'],
    ['b2', 'p5', '2026-11-04T10:00:00.000Z', 'booked'],
    ['b3', 'p2', '2026-11-20T10:00:00.000Z', 'cancelled'], // cancelled: no meeting
  ];
  for (const [id, prospectId, bookedAt, status] of bookings) {
    await store.forTenant(tenantId).bookings.upsert({ id, prospectId, bookedAt, status } as unknown as BookingRecord);
  }
  const deals: Partial<DealRecord>[] = [
    {
      id: 'd1',
      prospectId: 'p1',
      campaignId: 'c-fall',
      amount: 12_000,
      stage: 'WON',
      createdAt: '2026-11-03T12:00:00.000Z',
      wonAt: '2026-11-25T12:00:00.000Z',
    },
    // Created in October at no amount (the policy's default), won in November.
    { id: 'd2', prospectId: 'p5', campaignId: 'c-spring', stage: 'WON', createdAt: '2026-10-30T12:00:00.000Z', wonAt: '2026-11-12T12:00:00.000Z' },
    { id: 'd3', prospectId: 'p4', campaignId: 'c-spring', amount: 3_000, stage: 'DISQUALIFIED', createdAt: '2026-11-06T12:00:00.000Z' },
  ];
  for (const deal of deals) {
    await store.forTenant(tenantId).deals.upsert({ ...deal, name: deal.id, updatedAt: deal.createdAt } as unknown as DealRecord);
  }
  const approvals: [string, string, string][] = [
    ['a1', 'first_touch', '2026-11-02T13:00:00.000Z'],
    ['a2', 'first_touch', '2026-11-03T07:00:00.000Z'],
    ['a3', 'first_touch', '2026-11-04T00:30:00.000Z'],
    ['a4', 'first_touch', '2026-10-28T13:00:00.000Z'], // October
    ['a5', 'deal_create', '2026-11-03T11:00:00.000Z'], // a deal, not a drafted email
    ['a6', 'follow_up', '2026-11-09T13:00:00.000Z'],
  ];
  for (const [id, kind, decidedAt] of approvals) {
    await store.approvals.upsert({
      id,
      pk: hashedPartition(tenantId, id),
      tenantId,
      kind,
      status: 'approved',
      decidedAt,
    } as unknown as ApprovalRecord);
  }
}

const figures = (
  sent: number,
  delivered: number,
  humanReplies: number,
  positive: number,
  positiveRate: number | null,
  meetings: number,
  deals: number,
  pipelineAmount: number,
  wonAmount: number,
  medianReplyHours: number | null,
  draftsApproved: number,
  timeSavedMinutes: number,
) => ({
  sent,
  delivered,
  humanReplies,
  positive,
  positiveRate,
  meetings,
  deals,
  pipelineAmount,
  wonAmount,
  medianReplyHours,
  draftsApproved,
  timeSavedMinutes,
});

describe('managers’ numbers for a seeded month of three reps in three zones', () => {
  it('match a hand count in all, by rep, by campaign, by step and by period, as JSON and as CSV', async () => {
    await seedMonth();
    const manager = await demo.token('Manager');
    const admin = await demo.token('Admin');
    const policy = (await call(demo.baseUrl, 'GET', 'v1/policies', { token: admin })).body;
    const rules = { ...policy.rules, reporting: { minutesSavedPerEmail: 6 }, deals: { ...policy.rules.deals, defaultAmount: 5_000 } };
    expect((await call(demo.baseUrl, 'PUT', 'v1/policies', { token: admin, json: { rules, version: policy.version } })).status).toBe(200);

    const month = 'from=2026-11-01&to=2026-12-01';
    const { status, body: report } = await call(demo.baseUrl, 'GET', `v1/reports/roi?${month}`, { token: manager });
    expect(status).toBe(200);
    // Sent t1–t5; t4 bounced; human replies r1 r4 r5 r6 (r2 away, r3 bounce); positive r1 r5; meetings b1 b2;
    // deals made this month d1 d3 (d3 disqualified: no pipeline); won d1 12 000 + d2 at the default 5 000;
    // reply hours 2 4 6 120 → median 5; drafts approved a1 a2 a3 a6 × 6 min.
    expect(report.totals).toEqual(figures(5, 4, 4, 2, 0.5, 2, 2, 12_000, 17_000, 5, 4, 24));
    expect(report.byRep).toEqual([
      { key: ava, label: 'Ava (New York)', ...figures(2, 2, 3, 2, 2 / 3, 2, 1, 12_000, 17_000, 6, 2, 12) },
      { key: ben, label: 'Ben (Berlin)', ...figures(1, 1, 0, 0, null, 0, 0, 0, 0, null, 1, 6) },
      { key: kei, label: 'Kei (Tokyo)', ...figures(2, 1, 1, 0, 0, 0, 1, 0, 0, 4, 1, 6) },
    ]);
    expect(report.byCampaign).toEqual([
      { key: 'c-fall', label: 'c-fall', ...figures(3, 3, 2, 1, 0.5, 1, 1, 12_000, 12_000, 4, 3, 18) },
      { key: 'c-spring', label: 'c-spring', ...figures(2, 1, 2, 1, 0.5, 1, 1, 0, 5_000, 62, 1, 6) },
    ]);
    expect(report.byStep).toEqual([
      { key: '0', label: 'Step 1', ...figures(4, 3, 3, 2, 2 / 3, 2, 2, 12_000, 17_000, 4, 3, 18) },
      { key: '1', label: 'Step 2', ...figures(1, 1, 1, 0, 0, 0, 0, 0, 0, 6, 1, 6) },
    ]);

    const asCsv = String((await call(demo.baseUrl, 'GET', `v1/reports/roi?${month}&format=csv`, { token: manager })).body).split('\r\n');
    expect(asCsv.slice(1)).toEqual([
      'total,,2026-11-01T00:00:00.000Z to 2026-12-01T00:00:00.000Z,5,4,4,2,0.5,2,2,12000,17000,5,4,24',
      `rep,${ava},Ava (New York),2,2,3,2,0.6666666666666666,2,1,12000,17000,6,2,12`,
      `rep,${ben},Ben (Berlin),1,1,0,0,,0,0,0,0,,1,6`,
      `rep,${kei},Kei (Tokyo),2,1,1,0,0,0,1,0,0,4,1,6`,
      'campaign,c-fall,c-fall,3,3,2,1,0.5,1,1,12000,12000,4,3,18',
      'campaign,c-spring,c-spring,2,1,2,1,0.5,1,1,0,5000,62,1,6',
      'step,0,Step 1,4,3,3,2,0.6666666666666666,2,2,12000,17000,4,3,18',
      'step,1,Step 2,1,1,1,0,0,0,0,0,0,6,1,6',
    ]);

    // The first week alone (t2 and r6 fall on the 9th, after it; nothing was won yet).
    const week = (await call(demo.baseUrl, 'GET', 'v1/reports/roi?from=2026-11-02&to=2026-11-09', { token: manager })).body;
    expect(week.totals).toEqual(figures(4, 3, 3, 2, 2 / 3, 2, 2, 12_000, 0, 4, 3, 18));
    // The weekly Teams digest of that week says the same, in all and per rep.
    const digest = visibleText(buildWeeklyDigestCard(week, 'https://console.example/roi'));
    expect(digest).toContain('Weekly digest: 2026-11-02 to 2026-11-09');
    expect(digest).toContain('Time saved: 18 min');
    expect(digest).toContain('Ava (New York): 1 sent, 2 human replies, 2 meetings, 1 deals');
    expect(digest).toContain('Ben (Berlin): 1 sent, 0 human replies, 0 meetings, 0 deals');
    expect(digest).toContain('Kei (Tokyo): 2 sent, 1 human replies, 0 meetings, 1 deals');
    // October: t6, its approval a4 and d2 (made then, won later); t6's reply came in November.
    const october = (await call(demo.baseUrl, 'GET', 'v1/reports/roi?from=2026-10-01&to=2026-11-01', { token: manager })).body;
    expect(october.totals).toEqual(figures(1, 1, 0, 0, null, 0, 1, 5_000, 0, null, 1, 6));
  });
});
