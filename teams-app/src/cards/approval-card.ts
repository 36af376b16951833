import type { Approval } from '@asep/shared/approvals/approval';
import { policyDecisionSchema } from '@asep/shared/policy/decision';
import { cardInputIds } from './actions';
import {
  approvalContext,
  type ApprovalCardContext,
  approvalKindTitles,
  approvalRefresh,
  evidenceSection,
  expiryNote,
  outcomeHead,
  recipientOf,
} from './approval-parts';
import { buildDealPromptCard } from './deal-prompt-card';
import { buildReplyReviewCard } from './reply-review-card';
import { buttonsFor } from './viewer';
import {
  type AdaptiveCard,
  bulletList,
  card,
  type CardElement,
  cleanText,
  executeButton,
  heading,
  labelled,
  openUrlButton,
  plainText,
  section,
  textLimits,
} from './elements';

export type { ApprovalCardContext } from './approval-parts';

/**
 * The card for any approval, in its current state: the decision card while it is pending (the "Create deal?"
 * prompt for `deal_create`), otherwise the outcome card without buttons. Use it for the first post, for the
 * invoke response after a decision and for `refresh`, so every viewer converges on the same card.
 */
export function buildApprovalCard(approval: Approval, context: ApprovalCardContext): AdaptiveCard {
  if (approval.kind === 'deal_create') return buildDealPromptCard(approval, context);
  if (approval.kind === 'reply_review') return buildReplyReviewCard(approval, context);
  const summary = `${approvalKindTitles[approval.kind]} to ${cleanText(recipientOf(approval), textLimits.name)}`;
  if (approval.status !== 'pending') {
    const held = approval.delivery?.status === 'held';
    return card({
      summary: `${summary}: ${approval.status}${held ? ', held by the kill switch' : ''}`,
      // Held: the card looks again until the email has left.
      ...(held && { refresh: approvalRefresh(approval, context) }),
      body: [
        ...outcomeHead(approval, { approved: 'Approved', rejected: 'Rejected' }),
        ...section(approvalKindTitles[approval.kind], [
          ...approvalContext(approval, 'To'),
          ...labelled('Subject', approval.subject, textLimits.subject),
        ]),
      ],
    });
  }
  const { actions, absent } = buttonsFor(context, [
    executeButton('Approve', { action: 'approval.approve', approvalId: approval.id }, { style: 'positive' }),
    {
      type: 'Action.ShowCard',
      title: 'Reject…',
      card: {
        type: 'AdaptiveCard',
        body: [
          {
            type: 'Input.Text',
            id: cardInputIds.reason,
            label: 'Why are you rejecting it?',
            isMultiline: true,
            maxLength: 500,
            isRequired: true,
            errorMessage: 'A reason is required to reject.',
          },
        ],
        actions: [executeButton('Reject', { action: 'approval.reject', approvalId: approval.id }, { style: 'destructive' })],
      },
    },
    openUrlButton('Open in console', context.consoleUrl),
  ]);
  return card({
    summary: `Approval needed: ${summary}`,
    refresh: approvalRefresh(approval, context),
    body: [
      heading(`Approval needed: ${approvalKindTitles[approval.kind]}`),
      ...approvalContext(approval, 'To'),
      ...labelled('Subject', approval.subject, textLimits.subject),
      ...section('Email', plainText(approval.body, textLimits.preview)),
      ...section('Why it needs you', policyReasons(approval)),
      ...evidenceSection(approval),
      ...expiryNote(approval),
      ...absent,
    ],
    actions,
  });
}

/** The policy rules that asked for a human, as "message (rule)"; approvals raised by other gates have none. */
function policyReasons(approval: Approval): CardElement[] {
  const decision = policyDecisionSchema.safeParse(approval.decision);
  if (!decision.success) return [];
  const reasons = decision.data.reasons.filter((reason) => reason.outcome !== 'pass');
  return bulletList(
    reasons.map((reason) => `${reason.message} (${reason.rule})`),
    { maxItems: 6, maxChars: textLimits.fact, more: 'more reasons in the console' },
  );
}
