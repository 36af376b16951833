import { z } from 'zod';
import { replyLabelSchema } from '../classification/labels';
import { referralSchema } from '../classification/referral';
import { headerSafe } from '../mail/header-safe';
import { policyDecisionSchema } from '../policy/decision';

export const approvalKindSchema = z.enum(['first_touch', 'content_risk', 'step', 'deal_create', 'reply_review']);
export type ApprovalKind = z.infer<typeof approvalKindSchema>;

export const approvalStatusSchema = z.enum(['pending', 'approved', 'rejected', 'expired', 'cancelled']);
export type ApprovalStatus = z.infer<typeof approvalStatusSchema>;

/**
 * A fact an email or a decision rests on. Researched facts carry their id (what a draft's sentences cite), where
 * they were read (a page URL or a record id), when, and a hash of the text as read; a campaign's own facts may name
 * only a source.
 */
export const evidenceFactSchema = z.object({
  fact: z.string(),
  source: z.string(),
  id: z.string().optional(),
  url: z.string().optional(),
  recordId: z.string().optional(),
  retrievedAt: z.string().optional(),
  hash: z.string().optional(),
});

/** One sentence of a drafted email and the ids of the facts it rests on (none for the tenant's own wording). */
export const draftSentenceSchema = z.object({ text: z.string(), factIds: z.array(z.string()) });
export type DraftSentence = z.infer<typeof draftSentenceSchema>;

/** Who wrote a draft: the tenant's model, or ASEP's rules slotting facts into the tenant's template (saying why). */
export const draftAuthorSchema = z.object({
  kind: z.enum(['model', 'offline', 'template', 'approver']),
  deployment: z.string().optional(),
  fallbackReason: z.string().optional(),
});
export type DraftAuthor = z.infer<typeof draftAuthorSchema>;

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
    /** A researched draft's sentences with the facts each rests on, and who wrote it. */
    sentences: z.array(draftSentenceSchema).optional(),
    author: draftAuthorSchema.optional(),
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
  /** The approver edited the email before approving: who, when, and what the policy said of the edit. */
  edit: z.object({ by: z.string(), at: z.string(), reasons: z.array(z.string()) }).optional(),
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
  /** The approver's own edit of the email, sent instead of the draft once the policy has checked it again. */
  edited: z.strictObject({ subject: z.string().overwrite(headerSafe).min(1).max(300), body: z.string().trim().min(1).max(20_000) }).optional(),
  stage: z.string().max(100).optional(),
  amount: z.number().nonnegative().max(1e12).optional(),
  /** For `reply_review`: the label to apply instead of the suggested one ("pick another"). */
  label: replyLabelSchema.optional(),
});
export type ApprovalDecisionInput = z.infer<typeof approvalDecisionInputSchema>;
