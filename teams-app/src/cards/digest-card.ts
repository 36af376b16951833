import type { Approval } from '@asep/shared/approvals/approval';
import { replyLabels, type ReplyLabel } from '@asep/shared/classification/labels';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { approvalKindTitles, recipientOf } from './approval-parts';
import { type AdaptiveCard, bulletList, card, cleanText, heading, openUrlButton, ourText, section, textLimits } from './elements';

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
