import type { Approval } from '@asep/shared/approvals/approval';
import { replyLabels, type ReplyLabel } from '@asep/shared/classification/labels';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { approvalKindTitles, recipientOf } from './approval-parts';
import type { RoiFigures, RoiReport } from '@asep/shared/reports/roi';
import { type AdaptiveCard, bulletList, card, cleanText, heading, openUrlButton, ourText, percent, section, textLimits } from './elements';

export type DigestApproval = Pick<Approval, 'id' | 'kind' | 'prospectId' | 'prospectName' | 'to' | 'company'>;

/** One day of the governed loop, for the managers' channel. */
export interface DigestSummary {
  /** The day covered, shown as written (e.g. `2025-03-14`). */
  day: string;
  pendingApprovals: {
    count: number;
    /** The few most urgent (the card shows up to five), most urgent first. */
    top: readonly DigestApproval[];
  };
  repliesByClass: Partial<Record<ReplyLabel, number>>;
  meetingsBooked: number;
  dealsCreated: number;
  consoleUrl: string;
}

const maxPendingShown = 5;

export function buildDigestCard(summary: DigestSummary): AdaptiveCard {
  const day = cleanText(summary.day, 40);
  const { count, top } = summary.pendingApprovals;
  const replies = replyLabels.map((label) => ({ title: replyLabelNames[label], value: String(summary.repliesByClass[label] ?? 0) }));
  const totalReplies = replyLabels.reduce((total, label) => total + (summary.repliesByClass[label] ?? 0), 0);
  const pendingLines = top.slice(0, maxPendingShown).map((approval) => {
    const company = approval.company ? ` (${cleanText(approval.company, textLimits.name)})` : '';
    return `${approvalKindTitles[approval.kind]}: ${cleanText(recipientOf(approval), textLimits.name)}${company}`;
  });
  return card({
    summary: `Daily digest for ${day}: ${count} approvals pending, ${summary.meetingsBooked} meetings booked, ${summary.dealsCreated} deals created`,
    body: [
      heading(`Daily digest: ${day}`),
      ...section('Waiting for you', [
        ...ourText(count === 0 ? 'No approvals are pending.' : `**${count}** ${count === 1 ? 'approval is' : 'approvals are'} pending.`),
        ...bulletList(pendingLines, { maxItems: maxPendingShown, maxChars: textLimits.subject, more: 'more' }),
        ...(count > pendingLines.length && pendingLines.length > 0
          ? ourText(`and ${count - pendingLines.length} more in the console.`, { isSubtle: true })
          : []),
      ]),
      ...section(`Replies (${totalReplies})`, [{ type: 'FactSet', facts: replies }]),
      ...section('Outcomes', [
        {
          type: 'FactSet',
          facts: [
            { title: 'Meetings booked', value: String(summary.meetingsBooked) },
            { title: 'Deals created', value: String(summary.dealsCreated) },
          ],
        },
      ]),
    ],
    actions: [openUrlButton('Open the console', summary.consoleUrl)],
  });
}

const weekFacts: { title: string; value: (figures: RoiFigures) => string }[] = [
  { title: 'Sent', value: (f) => String(f.sent) },
  { title: 'Delivered', value: (f) => String(f.delivered) },
  { title: 'Human replies', value: (f) => String(f.humanReplies) },
  { title: 'Positive rate', value: (f) => (f.positiveRate === null ? 'n/a' : percent(f.positiveRate)) },
  { title: 'Meetings', value: (f) => String(f.meetings) },
  { title: 'Deals', value: (f) => String(f.deals) },
  { title: 'Pipeline', value: (f) => new Intl.NumberFormat('en-US').format(f.pipelineAmount) },
  { title: 'Won', value: (f) => new Intl.NumberFormat('en-US').format(f.wonAmount) },
  { title: 'Median reply time', value: (f) => (f.medianReplyHours === null ? 'n/a' : `${f.medianReplyHours.toFixed(1)} h`) },
  { title: 'Time saved', value: (f) => `${f.timeSavedMinutes} min` },
];

/** The week's managers' numbers (the ROI report for 7 days), in all and per rep: the same figures as the console. */
export function buildWeeklyDigestCard(report: RoiReport, consoleUrl: string): AdaptiveCard {
  const week = `${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)}`;
  const { totals } = report;
  return card({
    summary: `Weekly digest ${week}: ${totals.sent} sent, ${totals.humanReplies} human replies, ${totals.meetings} meetings, ${totals.deals} deals`,
    body: [
      heading(`Weekly digest: ${week}`),
      ...section('This week', [{ type: 'FactSet', facts: weekFacts.map((fact) => ({ title: fact.title, value: fact.value(totals) })) }]),
      ...section(
        'By rep',
        bulletList(
          report.byRep.map(
            (rep) => `${rep.label}: ${rep.sent} sent, ${rep.humanReplies} human replies, ${rep.meetings} meetings, ${rep.deals} deals`,
          ),
          { maxItems: 10, maxChars: textLimits.subject, more: 'more reps in the console' },
        ),
      ),
    ],
    actions: [openUrlButton('Open ROI in the console', consoleUrl)],
  });
}
