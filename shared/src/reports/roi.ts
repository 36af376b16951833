import { z } from 'zod';

/**
 * Managers' numbers: what the governed loop sent and what came of it, for one period, in all and split by rep
 * (the sending mailbox), campaign and sequence step. Pure: the records come in already read.
 */

export const roiPresetDays = [7, 30, 90] as const;

/** `?days=7|30|90`, or a custom `?from=&to=` (ISO dates or instants; `to` is exclusive). */
export const roiPeriodQuerySchema = z
  .strictObject({
    days: z.coerce
      .number()
      .refine((days) => (roiPresetDays as readonly number[]).includes(days), { message: `days must be one of ${roiPresetDays.join(', ')}` })
      .optional(),
    from: z.iso
      .date()
      .or(z.iso.datetime({ offset: true }))
      .optional(),
    to: z.iso
      .date()
      .or(z.iso.datetime({ offset: true }))
      .optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((query) => query.days === undefined || (query.from === undefined && query.to === undefined), {
    message: 'give either days or from and to, not both',
    path: ['days'],
  })
  .refine((query) => (query.from === undefined) === (query.to === undefined), { message: 'from and to go together', path: ['to'] })
  .refine((query) => query.from === undefined || query.to === undefined || Date.parse(query.from) < Date.parse(query.to), {
    message: 'from must be before to',
    path: ['from'],
  });
export type RoiPeriodQuery = z.infer<typeof roiPeriodQuerySchema>;

export type RoiPeriod = RoiReport['period'];

/** The period a query names, ending now for a preset (30 days when nothing is given). */
export function periodOf(query: Pick<RoiPeriodQuery, 'days' | 'from' | 'to'>, now: Date): RoiPeriod {
  if (query.from && query.to) return { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString() };
  const days = query.days ?? 30;
  return { from: new Date(now.getTime() - days * 86_400_000).toISOString(), to: now.toISOString() };
}

export interface RoiSend {
  touchId: string;
  at: string;
  campaignId: string;
  /** The sequence step, counted from 0. */
  step: number;
  mailbox: string;
  prospectId: string;
}

export interface RoiReply {
  at: string;
  label: 'positive' | 'neutral' | 'objection' | 'unsubscribe' | 'ooo' | 'bounce';
  /** The send it answers. Replies to nothing we sent are not ours to count. */
  touchId: string;
}

export interface RoiMeeting {
  bookedAt: string;
  prospectId: string;
}

export interface RoiDeal {
  createdAt: string;
  prospectId: string;
  campaignId?: string;
  amount?: number;
  stage: string;
  /** When the CRM says it was won, if it was. */
  wonAt?: string;
}

export interface RoiApproval {
  decidedAt: string;
  /** The send it approved, once sent: where it is counted. */
  touchId?: string;
  campaignId?: string;
}

export interface RoiInputs {
  sends: readonly RoiSend[];
  replies: readonly RoiReply[];
  meetings: readonly RoiMeeting[];
  deals: readonly RoiDeal[];
  /** Emails a person approved (not deals). */
  approvedDrafts: readonly RoiApproval[];
  /** Names to show for mailboxes (reps) and campaigns. */
  names: { mailboxes: Readonly<Record<string, string>>; campaigns: Readonly<Record<string, string>> };
  settings: { minutesSavedPerEmail: number; defaultDealAmount: number };
}

export const roiFiguresSchema = z.object({
  sent: z.number(),
  delivered: z.number(),
  /** Replies a person wrote: out-of-office and bounces left out. */
  humanReplies: z.number(),
  positive: z.number(),
  /** Positive among human replies; null when there were none. */
  positiveRate: z.number().nullable(),
  meetings: z.number(),
  deals: z.number(),
  /** Deals not disqualified, each at its own amount or the policy's default. */
  pipelineAmount: z.number(),
  wonAmount: z.number(),
  /** Median hours from a send to its human reply; null without replies. */
  medianReplyHours: z.number().nullable(),
  draftsApproved: z.number(),
  timeSavedMinutes: z.number(),
});
export type RoiFigures = z.infer<typeof roiFiguresSchema>;

export const roiRowSchema = roiFiguresSchema.extend({ key: z.string(), label: z.string() });
export type RoiRow = z.infer<typeof roiRowSchema>;

/** `GET /api/v1/reports/roi`. */
export const roiReportSchema = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  totals: roiFiguresSchema,
  byRep: z.array(roiRowSchema),
  byCampaign: z.array(roiRowSchema),
  byStep: z.array(roiRowSchema),
});
export type RoiReport = z.infer<typeof roiReportSchema>;

const automatic = new Set<RoiReply['label']>(['ooo', 'bounce']);

function within(at: string, period: RoiPeriod): boolean {
  return at >= period.from && at < period.to;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One send with what came of it: its replies, and the meeting and deal of its prospect in its campaign. */
interface Outcome {
  send: RoiSend;
  replies: RoiReply[];
}

export function roiReport(inputs: RoiInputs, period: RoiPeriod): RoiReport {
  const sendsById = new Map(inputs.sends.map((send) => [send.touchId, send]));
  const repliesByTouch = new Map<string, RoiReply[]>();
  for (const reply of inputs.replies) {
    if (!sendsById.has(reply.touchId)) continue;
    repliesByTouch.set(reply.touchId, [...(repliesByTouch.get(reply.touchId) ?? []), reply]);
  }
  // A prospect's first send in a campaign is who and where a meeting or deal with them is credited to.
  const firstSend = new Map<string, RoiSend>();
  for (const send of [...inputs.sends].sort((a, b) => a.at.localeCompare(b.at))) {
    if (!firstSend.has(send.prospectId)) firstSend.set(send.prospectId, send);
    if (!firstSend.has(`${send.campaignId}:${send.prospectId}`)) firstSend.set(`${send.campaignId}:${send.prospectId}`, send);
  }

  type Slice = (send: RoiSend) => boolean;
  const figures = (belongs: Slice): RoiFigures => {
    const sent = inputs.sends.filter((send) => within(send.at, period) && belongs(send));
    const outcomes: Outcome[] = sent.map((send) => ({ send, replies: repliesByTouch.get(send.touchId) ?? [] }));
    const bounced = outcomes.filter((outcome) => outcome.replies.some((reply) => reply.label === 'bounce'));
    const human = inputs.replies.filter((reply) => {
      const send = sendsById.get(reply.touchId);
      return send !== undefined && within(reply.at, period) && belongs(send) && !automatic.has(reply.label);
    });
    const positive = human.filter((reply) => reply.label === 'positive');
    const creditedTo = (prospectId: string, campaignId?: string) =>
      (campaignId ? firstSend.get(`${campaignId}:${prospectId}`) : undefined) ?? firstSend.get(prospectId);
    const meetings = inputs.meetings.filter((meeting) => {
      const send = creditedTo(meeting.prospectId);
      return send !== undefined && within(meeting.bookedAt, period) && belongs(send);
    });
    const deals = inputs.deals.filter((deal) => {
      const send = creditedTo(deal.prospectId, deal.campaignId);
      return send !== undefined && within(deal.createdAt, period) && belongs(send);
    });
    const amountOf = (deal: RoiDeal) => deal.amount ?? inputs.settings.defaultDealAmount;
    const won = inputs.deals.filter((deal) => {
      const send = creditedTo(deal.prospectId, deal.campaignId);
      return deal.wonAt !== undefined && within(deal.wonAt, period) && send !== undefined && belongs(send);
    });
    const drafts = inputs.approvedDrafts.filter((approval) => {
      const send = approval.touchId ? sendsById.get(approval.touchId) : undefined;
      return send !== undefined && within(approval.decidedAt, period) && belongs(send);
    });
    return {
      sent: sent.length,
      delivered: sent.length - bounced.length,
      humanReplies: human.length,
      positive: positive.length,
      positiveRate: human.length ? positive.length / human.length : null,
      meetings: meetings.length,
      deals: deals.length,
      pipelineAmount: deals.filter((deal) => deal.stage !== 'DISQUALIFIED').reduce((sum, deal) => sum + amountOf(deal), 0),
      wonAmount: won.reduce((sum, deal) => sum + amountOf(deal), 0),
      medianReplyHours: median(human.map((reply) => (Date.parse(reply.at) - Date.parse(sendsById.get(reply.touchId)!.at)) / 3_600_000)),
      draftsApproved: drafts.length,
      timeSavedMinutes: drafts.length * inputs.settings.minutesSavedPerEmail,
    };
  };

  const rows = (keyOf: (send: RoiSend) => string, labelOf: (key: string) => string): RoiRow[] =>
    [...new Set(inputs.sends.map(keyOf))].sort().map((key) => ({ key, label: labelOf(key), ...figures((send) => keyOf(send) === key) }));

  return {
    period,
    totals: figures(() => true),
    byRep: rows(
      (send) => send.mailbox,
      (mailbox) => inputs.names.mailboxes[mailbox] ?? mailbox,
    ),
    byCampaign: rows(
      (send) => send.campaignId,
      (campaignId) => inputs.names.campaigns[campaignId] ?? campaignId,
    ),
    byStep: rows(
      (send) => String(send.step),
      (step) => `Step ${Number(step) + 1}`,
    ),
  };
}

const csvColumns: (keyof RoiFigures)[] = [
  'sent',
  'delivered',
  'humanReplies',
  'positive',
  'positiveRate',
  'meetings',
  'deals',
  'pipelineAmount',
  'wonAmount',
  'medianReplyHours',
  'draftsApproved',
  'timeSavedMinutes',
];

/** The report as one CSV table: a row for the totals, then one per rep, campaign and step. */
export function roiCsv(report: RoiReport): string {
  const cell = (value: string | number | null) => {
    if (value === null) return '';
    // A name a spreadsheet would read as a formula is kept as text.
    const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const line = (group: string, key: string, label: string, values: RoiFigures) =>
    [group, key, label, ...csvColumns.map((column) => values[column])].map(cell).join(',');
  return [
    ['group', 'key', 'label', ...csvColumns].join(','),
    line('total', '', `${report.period.from} to ${report.period.to}`, report.totals),
    ...report.byRep.map((row) => line('rep', row.key, row.label, row)),
    ...report.byCampaign.map((row) => line('campaign', row.key, row.label, row)),
    ...report.byStep.map((row) => line('step', row.key, row.label, row)),
  ].join('\r\n');
}
