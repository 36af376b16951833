import type { Approval } from '@asep/shared/approvals/approval';
import { replyLabelNames as labelNames } from '@asep/shared/client/reply-labels';
import { cardInputIds, reviewLabels } from './actions';
import {
  approvalContext,
  type ApprovalCardContext,
  approvalRefresh,
  evidenceSection,
  expiryNote,
  outcomeHead,
  recipientOf,
  replyFromSection,
  replySection,
} from './approval-parts';
import {
  type AdaptiveCard,
  card,
  cleanText,
  executeButton,
  heading,
  labelled,
  openUrlButton,
  ourText,
  percent,
  plainText,
  textLimits,
} from './elements';

/**
 * "Confirm this reply?" for a reply triage was not sure enough to act on (`approval.kind === 'reply_review'`):
 * one click confirms the suggested label, or the Manager picks another; either applies exactly what a confident
 * label would have done. Dismiss applies nothing. Once decided, every viewer's card shows the outcome.
 */
export function buildReplyReviewCard(approval: Approval, context: ApprovalCardContext): AdaptiveCard {
  const contact = cleanText(recipientOf(approval), textLimits.name);
  const review = approval.review;
  const suggested = review?.suggestedLabel ?? 'neutral';
  if (approval.status !== 'pending') {
    const confirmed = review?.confirmedLabel;
    return card({
      summary: `Reply from ${contact}: ${approval.status === 'approved' && confirmed ? labelNames[confirmed] : approval.status}`,
      body: [
        ...outcomeHead(approval, {
          approved: `Confirmed as ${confirmed ? labelNames[confirmed] : labelNames[suggested]}`,
          rejected: 'Dismissed: nothing applied',
        }),
        ...replyFromSection(approval),
      ],
    });
  }
  const alternatives = (review?.topLabels ?? []).map(({ label, probability }) => `${labelNames[label]} ${percent(probability)}`).join(', ');
  const referral = review?.referral;
  return card({
    summary: `Confirm the reply from ${contact}: ${labelNames[suggested]}?`,
    refresh: approvalRefresh(approval, context),
    body: [
      heading(`Confirm: ${labelNames[suggested]}?`),
      ...approvalContext(approval, 'Contact'),
      ...(review ? ourText(`Suggested **${labelNames[suggested]}** at **${percent(review.confidence)}**; likeliest: ${alternatives}`) : []),
      ...plainText(review?.reason, textLimits.reason, { isSubtle: true }),
      ...labelled('Suggested contact', referral ? [referral.name, referral.email].filter(Boolean).join(' ') : undefined),
      ...replySection(approval),
      ...evidenceSection(approval),
      {
        type: 'Input.ChoiceSet',
        id: cardInputIds.label,
        label: 'Or pick another label',
        value: suggested,
        isRequired: true,
        errorMessage: 'Pick a label.',
        choices: reviewLabels.map((label) => ({ title: labelNames[label], value: label })),
        spacing: 'medium',
        separator: true,
      },
      ...expiryNote(approval),
    ],
    actions: [
      executeButton(
        `Confirm ${labelNames[suggested]}`,
        { action: 'reply.confirm', approvalId: approval.id, label: suggested },
        { style: 'positive', withInputs: false },
      ),
      executeButton('Apply picked label', { action: 'reply.confirm', approvalId: approval.id }),
      executeButton('Dismiss', { action: 'reply.dismiss', approvalId: approval.id }, { withInputs: false }),
      openUrlButton('Open in console', context.consoleUrl),
    ],
  });
}
