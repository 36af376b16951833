import type { Approval } from '@asep/shared/approvals/approval';
import type { DealStage } from '@asep/shared/deals/deal';
import { cardInputIds, dealPromptStages } from './actions';
import { buttonsFor } from './viewer';
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
  type CardElement,
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

const stageNames: Record<(typeof dealPromptStages)[number], string> = {
  POSITIVE_REPLY: 'Positive reply',
  MEETING_BOOKED: 'Meeting booked',
  QUALIFIED: 'Qualified',
};

function isPromptStage(stage: string | undefined): stage is (typeof dealPromptStages)[number] {
  return dealPromptStages.includes(stage as (typeof dealPromptStages)[number]);
}

/**
 * "Create deal?" for a positive reply whose confidence fell between the ask and create thresholds
 * (`approval.kind === 'deal_create'`): the Manager picks a stage and an optional amount, or skips.
 * Once decided, the same builder returns the outcome card without buttons.
 */
export function buildDealPromptCard(approval: Approval, context: ApprovalCardContext): AdaptiveCard {
  const contact = cleanText(recipientOf(approval), textLimits.name);
  if (approval.status !== 'pending') {
    return card({
      summary: `Create deal for ${contact}: ${approval.status === 'approved' ? 'created' : approval.status}`,
      body: [
        ...outcomeHead(approval, { approved: 'Deal created', rejected: 'Deal skipped' }),
        ...(approval.status === 'approved' ? chosenDeal(approval) : []),
        ...replyFromSection(approval),
      ],
    });
  }
  const { actions, absent } = buttonsFor(context, [
    executeButton('Create deal', { action: 'deal.create', approvalId: approval.id }, { style: 'positive' }),
    executeButton('Skip', { action: 'deal.skip', approvalId: approval.id }, { withInputs: false }),
    openUrlButton('Open in console', context.consoleUrl),
  ]);
  const mayDecide = absent.length === 0;
  const confidence = approval.evidence.confidence;
  return card({
    summary: `Create deal for ${contact}?`,
    refresh: approvalRefresh(approval, context),
    body: [
      heading('Create deal?'),
      ...approvalContext(approval, 'Contact'),
      ...(confidence === undefined ? [] : ourText(`Confidence that this reply is positive: **${percent(confidence)}**`)),
      ...plainText(gateReason(approval.decision), textLimits.reason, { isSubtle: true }),
      ...replySection(approval),
      ...evidenceSection(approval),
      ...(mayDecide ? dealInputs(approval) : []),
      ...expiryNote(approval),
      ...absent,
    ],
    actions,
  });
}

/** The stage (suggested) and amount the Manager picks before pressing Create deal. */
function dealInputs(approval: Approval): CardElement[] {
  const suggestedStage: DealStage = isPromptStage(approval.dealInput?.stage) ? approval.dealInput.stage : 'POSITIVE_REPLY';
  return [
    {
      type: 'Input.ChoiceSet',
      id: cardInputIds.stage,
      label: 'Stage',
      value: suggestedStage,
      isRequired: true,
      errorMessage: 'Pick a stage for the deal.',
      choices: dealPromptStages.map((stage) => ({ title: stageNames[stage], value: stage })),
      spacing: 'medium',
      separator: true,
    },
    {
      type: 'Input.Number',
      id: cardInputIds.amount,
      label: 'Amount (optional)',
      min: 0,
      placeholder: 'Expected deal amount',
      errorMessage: 'The amount cannot be negative.',
      ...(approval.dealInput?.amount !== undefined && { value: approval.dealInput.amount }),
    },
  ];
}

/** The gating decision's own explanation, when the approval carries one (`{ outcome: 'ask', reason }`). */
function gateReason(decision: Approval['decision']): string | undefined {
  return 'reason' in decision && typeof decision.reason === 'string' ? decision.reason : undefined;
}

function chosenDeal(approval: Approval) {
  const { stage, amount } = approval.dealInput ?? {};
  return [
    ...labelled('Stage', isPromptStage(stage) ? stageNames[stage] : stage),
    ...labelled('Amount', amount === undefined ? undefined : new Intl.NumberFormat('en-US').format(amount)),
  ];
}
