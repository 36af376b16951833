import { describe, expect, it } from 'vitest';
import { periodOf, roiCsv, roiPeriodQuerySchema, roiReport, type RoiInputs } from './roi';

/*
 * A seeded March: two reps (Ann sends campaign Fintech, Bo campaign Retail), counted by hand below.
 * Sends in March: s1 s2 s3 (Ann), s4 s5 (Bo); s6 (Bo) went out in February, s7 (Ann) in April.
 */
const march = { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' };
const send = (touchId: string, mailbox: string, campaignId: string, step: number, prospectId: string, at: string) => ({
  touchId,
  mailbox,
  campaignId,
  step,
  prospectId,
  at,
});
const inputs: RoiInputs = {
  sends: [
    send('s1', 'ann@contoso.example', 'c1', 0, 'p1', '2025-03-02T09:00:00Z'),
    send('s2', 'ann@contoso.example', 'c1', 0, 'p2', '2025-03-03T09:00:00Z'),
    send('s3', 'ann@contoso.example', 'c1', 2, 'p1', '2025-03-06T09:00:00Z'),
    send('s4', 'bo@contoso.example', 'c2', 0, 'p3', '2025-03-04T09:00:00Z'),
    send('s5', 'bo@contoso.example', 'c2', 0, 'p4', '2025-03-05T09:00:00Z'),
    send('s6', 'bo@contoso.example', 'c2', 0, 'p5', '2025-02-27T09:00:00Z'),
    send('s7', 'ann@contoso.example', 'c1', 0, 'p6', '2025-04-02T09:00:00Z'),
  ],
  replies: [
    { touchId: 's1', label: 'positive', at: '2025-03-02T13:00:00Z' }, // 4 h
    { touchId: 's2', label: 'ooo', at: '2025-03-03T09:05:00Z' }, // not a person
    { touchId: 's2', label: 'neutral', at: '2025-03-04T09:00:00Z' }, // 24 h
    { touchId: 's4', label: 'bounce', at: '2025-03-04T09:01:00Z' }, // s4 not delivered
    { touchId: 's5', label: 'objection', at: '2025-03-05T11:00:00Z' }, // 2 h
    { touchId: 's6', label: 'positive', at: '2025-03-01T09:00:00Z' }, // 48 h, to a February send
    { touchId: 's3', label: 'unsubscribe', at: '2025-03-07T09:00:00Z' }, // 24 h
    { touchId: 'not-ours', label: 'positive', at: '2025-03-08T09:00:00Z' },
  ],
  meetings: [
    { prospectId: 'p1', bookedAt: '2025-03-10T10:00:00Z' },
    { prospectId: 'p6', bookedAt: '2025-04-03T10:00:00Z' },
  ],
  deals: [
    { prospectId: 'p1', campaignId: 'c1', amount: 12_000, stage: 'MEETING_BOOKED', createdAt: '2025-03-10T10:00:00Z', wonAt: '2025-03-20T10:00:00Z' },
    { prospectId: 'p5', campaignId: 'c2', stage: 'POSITIVE_REPLY', createdAt: '2025-03-01T10:00:00Z' }, // the policy's default amount
    { prospectId: 'p3', campaignId: 'c2', amount: 3_000, stage: 'DISQUALIFIED', createdAt: '2025-03-06T10:00:00Z' },
  ],
  approvedDrafts: [
    { touchId: 's1', decidedAt: '2025-03-01T20:00:00Z' },
    { touchId: 's2', decidedAt: '2025-03-02T20:00:00Z' },
    { touchId: 's4', decidedAt: '2025-03-03T20:00:00Z' },
    { touchId: 's7', decidedAt: '2025-04-01T10:00:00Z' },
  ],
  names: { mailboxes: { 'ann@contoso.example': 'Ann Archer', 'bo@contoso.example': 'Bo Brandt' }, campaigns: { c1: 'Fintech', c2: '=Retail' } },
  settings: { minutesSavedPerEmail: 6, defaultDealAmount: 5_000 },
};

describe('managers’ numbers for a seeded month', () => {
  const report = roiReport(inputs, march);

  it('matches the hand count in all', () => {
    expect(report.totals).toEqual({
      sent: 5,
      delivered: 4,
      humanReplies: 5,
      positive: 2,
      positiveRate: 0.4,
      meetings: 1,
      deals: 3,
      pipelineAmount: 17_000,
      wonAmount: 12_000,
      medianReplyHours: 24,
      draftsApproved: 3,
      timeSavedMinutes: 18,
    });
  });

  it('matches the hand count per rep (the sending mailbox), named', () => {
    expect(report.byRep).toEqual([
      {
        key: 'ann@contoso.example',
        label: 'Ann Archer',
        sent: 3,
        delivered: 3,
        humanReplies: 3,
        positive: 1,
        positiveRate: 1 / 3,
        meetings: 1,
        deals: 1,
        pipelineAmount: 12_000,
        wonAmount: 12_000,
        medianReplyHours: 24,
        draftsApproved: 2,
        timeSavedMinutes: 12,
      },
      {
        key: 'bo@contoso.example',
        label: 'Bo Brandt',
        sent: 2,
        delivered: 1,
        humanReplies: 2,
        positive: 1,
        positiveRate: 0.5,
        meetings: 0,
        deals: 2,
        pipelineAmount: 5_000,
        wonAmount: 0,
        medianReplyHours: 25,
        draftsApproved: 1,
        timeSavedMinutes: 6,
      },
    ]);
    expect(report.byCampaign.map(({ key, label, sent, deals }) => ({ key, label, sent, deals }))).toEqual([
      { key: 'c1', label: 'Fintech', sent: 3, deals: 1 },
      { key: 'c2', label: '=Retail', sent: 2, deals: 2 },
    ]);
  });

  it('matches the hand count per sequence step', () => {
    const [first, third] = report.byStep;
    expect(first).toMatchObject({
      label: 'Step 1',
      sent: 4,
      delivered: 3,
      humanReplies: 4,
      positive: 2,
      meetings: 1,
      deals: 3,
      medianReplyHours: 14,
    });
    expect(third).toMatchObject({ label: 'Step 3', sent: 1, humanReplies: 1, positive: 0, positiveRate: 0, deals: 0, medianReplyHours: 24 });
  });

  it('says "none" rather than dividing by zero for a period with nothing in it', () => {
    const empty = roiReport(inputs, { from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' });
    expect(empty.totals).toMatchObject({ sent: 0, humanReplies: 0, positiveRate: null, medianReplyHours: null, timeSavedMinutes: 0 });
  });

  it('exports the same numbers as CSV, a name that looks like a formula kept as text', () => {
    const lines = roiCsv(report).split('\r\n');
    expect(lines[0]).toBe(
      'group,key,label,sent,delivered,humanReplies,positive,positiveRate,meetings,deals,pipelineAmount,wonAmount,medianReplyHours,draftsApproved,timeSavedMinutes',
    );
    expect(lines[1]).toBe('total,,2025-03-01T00:00:00.000Z to 2025-04-01T00:00:00.000Z,5,4,5,2,0.4,1,3,17000,12000,24,3,18');
    expect(lines).toContain("campaign,c2,'=Retail,2,1,2,1,0.5,0,2,5000,0,25,1,6");
    expect(lines).toHaveLength(1 + 1 + 2 + 2 + 2);
  });
});

describe('the period asked for', () => {
  const now = new Date('2025-03-31T12:00:00Z');

  it('is the last 7, 30 or 90 days, 30 by default, or a custom range', () => {
    expect(periodOf(roiPeriodQuerySchema.parse({ days: '7' }), now)).toEqual({ from: '2025-03-24T12:00:00.000Z', to: '2025-03-31T12:00:00.000Z' });
    expect(periodOf(roiPeriodQuerySchema.parse({}), now).from).toBe('2025-03-01T12:00:00.000Z');
    expect(periodOf(roiPeriodQuerySchema.parse({ from: '2025-03-01', to: '2025-04-01' }), now)).toEqual(march);
  });

  it('refuses other presets, half a range and a range that ends before it starts, naming the field', () => {
    const issues = (query: object) => roiPeriodQuerySchema.safeParse(query).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ days: '14' })).toEqual(['days']);
    expect(issues({ from: '2025-03-01' })).toEqual(['to']);
    expect(issues({ from: '2025-04-01', to: '2025-03-01' })).toEqual(['from']);
    expect(issues({ days: '7', from: '2025-03-01', to: '2025-04-01' })).toEqual(['days']);
  });
});
