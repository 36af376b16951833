// `zod/v4` rather than `zod`: this workspace has no zod of its own, and the hoisted root copy is zod 3
// (brought by botbuilder), whose `zod/v4` entry is the same API as the zod 4 that `shared/` uses.
import { z } from 'zod/v4';
import type { Permission } from '@asep/shared/access/matrix';
import type { DealStage } from '@asep/shared/deals/deal';
import type { KillSwitchChange } from '@asep/shared/killswitch/killswitch';

/** Ids of the card inputs whose values Teams merges into an action's `data` when a button is pressed. */
export const cardInputIds = { reason: 'reason', stage: 'stage', amount: 'amount', label: 'label' } as const;

/** The labels a reviewer may confirm or pick for a reply (`reply_review`). */
export const reviewLabels = ['positive', 'neutral', 'objection', 'unsubscribe', 'ooo', 'bounce'] as const;

/** The stages a Manager may pick when creating a deal from a card (disqualifying is not creating). */
export const dealPromptStages = ['POSITIVE_REPLY', 'MEETING_BOOKED', 'QUALIFIED'] as const satisfies readonly DealStage[];

function requiredText(field: string, max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be text`) })
    .trim()
    .min(1, `${field} is required`)
    .max(max, `${field} must be at most ${max} characters`);
}

const approvalId = requiredText('approvalId', 200);
const campaignId = requiredText('campaignId', 200);
const reason = requiredText('reason', 500);

/** Input.Number values arrive as text from Teams ("" when left empty), as numbers from other hosts. */
const optionalAmount = z.preprocess(
  (value) => (value === '' || value === null ? undefined : typeof value === 'string' ? Number(value) : value),
  z.number({ error: 'amount must be a number' }).nonnegative('amount cannot be negative').max(1e12, 'amount is too large').optional(),
);

const killSwitchFields = {
  scope: z.enum(['tenant', 'campaign'], { error: 'scope must be "tenant" or "campaign"' }),
  campaignId: campaignId.optional(),
  active: z.boolean({ error: 'active must be true or false' }),
  reason,
  release: z.enum(['resume', 'end'], { error: 'release must be "resume" or "end"' }).optional(),
};

function killSwitchAction<Name extends string>(name: Name) {
  return z
    .object({ action: z.literal(name), ...killSwitchFields })
    .refine((change) => change.scope !== 'campaign' || change.campaignId !== undefined, {
      message: 'campaignId is required when scope is campaign',
      path: ['campaignId'],
    });
}

const cardActionOptions = [
  z.object({ action: z.literal('approval.approve'), approvalId }),
  z.object({ action: z.literal('approval.reject'), approvalId, reason }),
  z.object({
    action: z.literal('deal.create'),
    approvalId,
    stage: z.enum(dealPromptStages, { error: `stage must be one of ${dealPromptStages.join(', ')}` }),
    amount: optionalAmount,
  }),
  z.object({ action: z.literal('deal.skip'), approvalId }),
  z.object({
    action: z.literal('reply.confirm'),
    approvalId,
    label: z.enum(reviewLabels, { error: `label must be one of ${reviewLabels.join(', ')}` }),
  }),
  z.object({ action: z.literal('reply.dismiss'), approvalId }),
  killSwitchAction('killswitch.request'),
  killSwitchAction('killswitch.confirm'),
  z.object({ action: z.literal('killswitch.refresh') }),
  z.object({ action: z.literal('canary.promote'), campaignId }),
  z.object({ action: z.literal('canary.halt'), campaignId }),
  z.object({ action: z.literal('canary.refresh'), campaignId }),
  z.object({ action: z.literal('refresh'), approvalId }),
] as const;

export const cardActionNames = cardActionOptions.map((option) => option.shape.action.value);

/**
 * The `data` of every `Action.Execute` the cards carry, after Teams has merged the card's input values into it.
 * Unknown keys are dropped: Teams sends every input of the card with every button.
 */
export const cardActionSchema = z.discriminatedUnion('action', cardActionOptions, {
  error: (issue) => {
    const { input } = issue;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return `card action data must be an object, not ${describe(input)}`;
    const given = (input as { action?: unknown }).action;
    const expected = `expected one of ${cardActionNames.join(', ')}`;
    return given === undefined ? `card action data has no "action"; ${expected}` : `unknown card action ${JSON.stringify(given)}; ${expected}`;
  },
});
export type CardAction = z.infer<typeof cardActionSchema>;
export type CardActionName = CardAction['action'];

/** The buttons that decide an approval: each carries its `approvalId` and needs `approvals.decide`. */
export const approvalDecisionActions = [
  'approval.approve',
  'approval.reject',
  'deal.create',
  'deal.skip',
  'reply.confirm',
  'reply.dismiss',
] as const satisfies readonly CardActionName[];
export type ApprovalDecisionName = (typeof approvalDecisionActions)[number];

export function isApprovalDecision<Action extends { action: string }>(action: Action): action is Extract<Action, { action: ApprovalDecisionName }> {
  return (approvalDecisionActions as readonly string[]).includes(action.action);
}

type InputId = keyof typeof cardInputIds;
type WithOptionalInputs<Action> = Action extends unknown
  ? Omit<Action, Extract<keyof Action, InputId>> & Partial<Pick<Action, Extract<keyof Action, InputId>>>
  : never;
/** What a button carries before the client merges the card's inputs (reason, stage, amount) into it. */
export type CardActionData = WithOptionalInputs<CardAction>;

export type ParsedCardAction = { ok: true; action: CardAction } | { ok: false; error: string };

/** Parses the `data` of an incoming `adaptiveCard/action` invoke (`activity.value.action.data`). Never throws. */
export function parseCardAction(value: unknown): ParsedCardAction {
  const parsed = cardActionSchema.safeParse(value);
  if (parsed.success) return { ok: true, action: parsed.data };
  const action = (value as { action?: unknown } | null | undefined)?.action;
  const messages = parsed.error.issues.map((issue) => issue.message);
  const prefix = typeof action === 'string' && cardActionNames.includes(action as CardActionName) ? `${action}: ` : '';
  return { ok: false, error: prefix + [...new Set(messages)].join('; ') };
}

type KillSwitchAction = Extract<CardAction, { action: 'killswitch.request' | 'killswitch.confirm' }>;

/** The domain change a kill-switch button asks for, ready for `killSwitchChangeSchema` and the store. */
export function killSwitchChangeOf({ action: _verb, ...change }: KillSwitchAction): KillSwitchChange {
  return change;
}

/** The permission (see `permissionMatrix`) a user needs before the bot carries out a card action. */
export function permissionFor(action: CardActionData): Permission {
  if (isApprovalDecision(action)) return 'approvals.decide';
  switch (action.action) {
    case 'refresh':
      return 'approvals.read';
    case 'killswitch.request':
    case 'killswitch.confirm':
      return action.scope === 'tenant' ? 'killswitch.tenant' : 'killswitch.campaign';
    case 'killswitch.refresh':
      return 'killswitch.read';
    case 'canary.promote':
    case 'canary.halt':
      return 'campaigns.run';
    case 'canary.refresh':
      return 'campaigns.read';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
