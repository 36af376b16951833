import { z } from 'zod';
import { dealStageSchema } from '../deals/deal';

export const policyReasonSchema = z.object({
  /** The rule that produced this reason, e.g. `approvals.firstTouch`. */
  rule: z.string(),
  /** `defer`: not now, but later (a sending window or a full cap); see the decision's `throttle`. */
  outcome: z.enum(['block', 'defer', 'approval', 'pass']),
  message: z.string(),
});
export type PolicyReason = z.infer<typeof policyReasonSchema>;

/** When a deferred action may be asked about again, and the rule that deferred it (the latest to reopen). */
export const policyThrottleSchema = z.object({
  retryAt: z.iso.datetime(),
  rule: z.string(),
});
export type PolicyThrottle = z.infer<typeof policyThrottleSchema>;

/** What deal gating concluded for a reply: create, update the recent deal, ask a Manager, or nothing. */
export const dealVerdictSchema = z.object({
  outcome: z.enum(['create', 'update', 'ask', 'none']),
  stage: dealStageSchema,
  dealId: z.string().optional(),
});

export const policyDecisionSchema = z.object({
  /** True only when the action may happen now (after any approval it needs). */
  allow: z.boolean(),
  approvalRequired: z.boolean(),
  reasons: z.array(policyReasonSchema),
  /** Present when the action is deferred rather than forbidden: ask again at `retryAt`. */
  throttle: policyThrottleSchema.optional(),
  /** The policy wants a canary run of this campaign before it sends at scale. */
  requireCanary: z.boolean().default(false),
  /** Deal decisions only: a deal may be created without asking anyone. */
  dealCreateAllowed: z.boolean().default(false),
  /** Deal decisions only: a Manager decides whether to create the deal ("Create deal?"). */
  dealCreateRequiresApproval: z.boolean().default(false),
  deal: dealVerdictSchema.optional(),
  policyVersion: z.int(),
});
export type PolicyDecision = z.infer<typeof policyDecisionSchema>;

/** The approval a send asks for: risky content outranks a first touch, which outranks the step's own approval. */
export function sendApprovalKind(decision: Pick<PolicyDecision, 'reasons'>, isFirstTouch: boolean): 'content_risk' | 'first_touch' | 'step' {
  if (decision.reasons.some((reason) => reason.outcome === 'approval' && reason.rule.startsWith('content.'))) return 'content_risk';
  return isFirstTouch ? 'first_touch' : 'step';
}

/** A send only a kill switch stands in the way of: it waits for the switch to be turned off rather than being refused. */
export function isHeldByKillSwitch(decision: Pick<PolicyDecision, 'allow' | 'reasons'>): boolean {
  const blocks = decision.reasons.filter((reason) => reason.outcome === 'block');
  return !decision.allow && blocks.length > 0 && blocks.every((reason) => reason.rule === 'killSwitch');
}
