import { z } from 'zod';
import { referralSchema, replyLabelSchema } from '../classification/schema';
import { policyDecisionSchema } from '../policy/decision';

export const approvalKindSchema = z.enum(['first_touch', 'content_risk', 'step', 'deal_create', 'reply_review']);
export type ApprovalKind = z.infer<typeof approvalKindSchema>;

export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

export const evidenceFactSchema = z.object({ fact: z.string(), source: z.string() });

/** Something the governed loop needs a human to decide, from a Teams card, the console or the API. */
export const approvalSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  kind: approvalKindSchema,
  status: approvalStatusSchema,
  campaignId: z.string().optional(),
  campaignName: z.string().optional(),
  prospectId: z.string(),
  prospectName: z.string().optional(),
  company: z.string().optional(),
  /** The rep's mailbox the email goes out from: the approval belongs to the thread that rep owns. */
  from: z.string().optional(),
  to: z.string().optional(),
  subject: z.string().optional(),
  body: z.string().optional(),
  evidence: z.object({
    facts: z.array(evidenceFactSchema),
    excerpt: z.string().optional(),
    confidence: z.number().optional(),
  }),
  /** The policy decision (sends) or gating decision (deals) that asked for this approval. */
  decision: policyDecisionSchema.or(z.record(z.string(), z.unknown())),
  /** The durable instance waiting for the answer, and the event it waits for. */
  instanceId: z.string(),
  eventName: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedBy: z.object({ id: z.string(), name: z.string().optional() }).optional(),
  decidedAt: z.string().optional(),
  reason: z.string().optional(),
  /**
   * Approved emails only, when their sending was held by a kill switch: `held` while it waits for the switch to
   * be turned off, `sent` once it has left.
   */
  delivery: z.object({ status: z.enum(['held', 'sent']), at: z.string() }).optional(),
  /** For `reply_review`: what triage suggests, how sure it is, the two likeliest labels, who to contact instead. */
  review: z
    .object({
      suggestedLabel: replyLabelSchema,
      confidence: z.number().min(0).max(1),
      topLabels: z.array(z.object({ label: replyLabelSchema, probability: z.number().min(0).max(1) })).max(2),
      reason: z.string(),
      referral: referralSchema.optional(),
      /** The label a person confirmed or picked, once decided. */
      confirmedLabel: replyLabelSchema.optional(),
    })
    .optional(),
  /** For "Create deal?": what the decider chose. */
  dealInput: z.object({ stage: z.string().optional(), amount: z.number().nonnegative().optional() }).optional(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const approvalDecisionInputSchema = z.strictObject({
  reason: z.string().trim().max(1000).optional(),
  stage: z.string().max(100).optional(),
  amount: z.number().nonnegative().max(1e12).optional(),
  /** For `reply_review`: the label to apply instead of the suggested one ("pick another"). */
  label: replyLabelSchema.optional(),
});
export type ApprovalDecisionInput = z.infer<typeof approvalDecisionInputSchema>;
