import { z } from 'zod';
import { evidenceFactSchema } from '../approvals/approval';
import { assignmentRuleSchema, assignmentSchema } from '../reps/assignment';

export const approvalModeSchema = z.enum(['every', 'once', 'none']);

export const emailStepSchema = z.strictObject({
  type: z.literal('email'),
  subject: z.string().min(1).max(300),
  body: z.string().min(1).max(20_000),
  approval: approvalModeSchema.default('every'),
});
export const waitStepSchema = z.strictObject({
  type: z.literal('wait'),
  /** Business days in the prospect's time zone. */
  days: z.int().min(0).max(365),
});
export const branchStepSchema = z.strictObject({
  type: z.literal('branch'),
  if: z.enum(['no_reply', 'replied', 'opened']),
  then: z.int().min(0),
  else: z.int().min(0),
});
export const sequenceStepSchema = z.discriminatedUnion('type', [emailStepSchema, waitStepSchema, branchStepSchema]);
export type SequenceStep = z.infer<typeof sequenceStepSchema>;
export type EmailStep = z.infer<typeof emailStepSchema>;

export const sequenceSchema = z.strictObject({ steps: z.array(sequenceStepSchema).min(1).max(50) }).superRefine((sequence, ctx) => {
  sequence.steps.forEach((step, index) => {
    if (step.type !== 'branch') return;
    for (const target of ['then', 'else'] as const) {
      if (step[target] >= sequence.steps.length) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, target], message: `step ${step[target]} does not exist` });
      }
    }
  });
  if (!sequence.steps.some((step) => step.type === 'email')) {
    ctx.addIssue({ code: 'custom', path: ['steps'], message: 'a sequence needs at least one email step' });
  }
});
export type Sequence = z.infer<typeof sequenceSchema>;

const mailboxSchema = z.string().trim().toLowerCase().pipe(z.email());

export const newCampaignSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** The mailbox a single-rep campaign sends from; given with `mailboxes`, it is one of the campaign's too. */
  mailbox: mailboxSchema.optional(),
  /** The reps' mailboxes the campaign sends from; each prospect is given one by `assignment`. */
  mailboxes: z.array(mailboxSchema).min(1).max(200).optional(),
  assignment: assignmentRuleSchema.optional(),
  offer: z.string().max(2000).optional(),
  persona: z.string().max(2000).optional(),
  constraints: z.string().max(2000).optional(),
  /** Sourced facts the sequence's claims rest on (a case study's figure, an award): a claim no fact states needs a Manager. */
  facts: z.array(evidenceFactSchema).max(50).optional(),
  sequence: sequenceSchema,
  /**
   * Research-backed drafting: facts about each prospect are gathered before the first email and every draft cites them
   * (the model's, or ASEP's rules slotting a fact into the step's template, at `{{research}}` or after the greeting).
   * Draft-only saves each email to the rep's Drafts folder and waits for the rep to send it.
   */
  drafting: z.strictObject({ mode: z.enum(['template', 'researched']).default('researched'), draftOnly: z.boolean().default(false) }).optional(),
});
export type NewCampaign = z.infer<typeof newCampaignSchema>;

/** The campaign's sending mailboxes, the single `mailbox` of older clients included; empty when neither is given. */
export function sendingMailboxes(campaign: Pick<NewCampaign, 'mailbox' | 'mailboxes'>): string[] {
  return [...new Set([...(campaign.mailbox ? [campaign.mailbox] : []), ...(campaign.mailboxes ?? [])])];
}

export const campaignStatusSchema = z.enum(['draft', 'running', 'stopped']);

/**
 * A canary run: the campaign sends to `cohort` only until a Manager promotes it; it halts (kill switch on) by hand
 * or when the cohort's bounce, unsubscribe or negative-reply rate crosses the policy's threshold.
 */
export const canaryRunSchema = z.object({
  /** The cohort: the first `cohortSize` prospects enrolled (ordinals 0 to cohortSize - 1). */
  cohortSize: z.int().positive(),
  status: z.enum(['running', 'promoted', 'halted']),
  startedAt: z.string(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  haltReason: z.string().optional(),
});
export type CanaryRun = z.infer<typeof canaryRunSchema>;

export const campaignSchema = newCampaignSchema.safeExtend({
  mailbox: mailboxSchema,
  /** Every mailbox the campaign sends from, `mailbox` first. */
  mailboxes: z.array(mailboxSchema).min(1),
  /** Prospects per sending mailbox, counted against the assignment caps (who has which: `GET …/enrolments`). */
  mailboxLoad: z.record(z.string(), z.int().nonnegative()).default({}),
  id: z.string(),
  tenantId: z.string(),
  status: campaignStatusSchema,
  /** How many prospects are enrolled; each one's enrolment is a record of its own (see `enrolmentSchema`). */
  enrolled: z.int().nonnegative(),
  canary: z.object({ size: z.int().positive() }).optional(),
  /** Steps with approval "once" that a Manager has approved: later prospects skip the approval. */
  approvedSteps: z.array(z.int()).default([]),
  canaryRun: canaryRunSchema.optional(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  stoppedAt: z.string().optional(),
});
export type Campaign = z.infer<typeof campaignSchema>;

/**
 * One prospect enrolled in one campaign, a record of its own rather than an entry in an array on the campaign
 * (Cosmos DB caps a document at 2 MB): its place in the enrolment order, and the mailbox that writes to them, and
 * why (replies, approvals and bookings follow it).
 */
export const enrolmentSchema = z.object({
  campaignId: z.string(),
  prospectId: z.string(),
  /** 0 for the first prospect enrolled in the campaign, 1 for the next: the canary cohort and starts go by it. */
  ordinal: z.int().nonnegative(),
  ...assignmentSchema.shape,
  enrolledAt: z.string(),
});
export type Enrolment = z.infer<typeof enrolmentSchema>;

/** A canary cohort: the first `size` enrolled prospects, or the first `percent` of them (rounded up). */
export const canaryCohortSchema = z.union(
  [
    z.strictObject({ size: z.int().positive() }),
    z.strictObject({ percent: z.number().gt(0, 'percent must be above 0').max(100, 'percent may be at most 100') }),
  ],
  { error: 'give the canary as {"size": N} or {"percent": P}, not both' },
);
export type CanaryCohort = z.infer<typeof canaryCohortSchema>;

export const startCampaignSchema = z.strictObject({
  canary: canaryCohortSchema.optional(),
});
