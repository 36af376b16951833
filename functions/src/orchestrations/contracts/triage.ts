import { z } from 'zod';
import type { ReplyLabel } from '@asep/shared/classification/schema';
import type { DealStage } from '@asep/shared/deals/deal';
import { mailMessageSchema } from '@asep/shared/mail/message';
import { defineOrchestration } from './contract';

/** The received message as intake stored it: triage starts from it rather than reading it again. */
export const receivedMessageSchema = mailMessageSchema
  .extend({
    id: z.string(),
    pk: z.string(),
    tenantId: z.string(),
    direction: z.literal('inbound'),
    at: z.string(),
    conversationId: z.string(),
    inReplyTo: z.string().optional(),
    references: z.array(z.string()).optional(),
    _etag: z.string().optional(),
  })
  .passthrough();

/** Reply triage: one instance per inbound message. */
export const triageInputSchema = z.object({
  tenantId: z.string(),
  messageId: z.string(),
  correlationId: z.string(),
  /** A person corrected the label: skip classification and gate the deal again on the corrected label. */
  regate: z.boolean().optional(),
  /** Missing for a re-gate and for instances started by earlier versions: then the stored message is read. */
  message: receivedMessageSchema.optional(),
});
export type TriageInput = z.infer<typeof triageInputSchema>;

/** What became of the reply: its label, why it was ignored, or how a Manager's deal decision went. */
export const triageOrchestration = defineOrchestration('replyTriage', triageInputSchema, z.string().optional());

/**
 * The triage orchestrator's activities, called by these names only; they live with their capabilities
 * (replies/, deals/).
 */
export const triageActivities = {
  /** Classify, act on the label when sure enough (else ask for a review), and gate the deal: one activity. */
  triage: 'triageReply',
  applyReview: 'triageApplyReview',
  expireReview: 'triageExpireReview',
  createApprovedDeal: 'triageCreateApprovedDeal',
  expireDealPrompt: 'triageExpireDealPrompt',
} as const;

/** Every activity of a triage gets its input and the instance it runs for. */
export type TriageStepInput = TriageInput & { instanceId: string };

/** Deal gating's answer to the orchestrator: done, or wait for a Manager's "Create deal?" decision. */
export type DealGated = { outcome: 'done' } | { outcome: 'ask'; approvalId: string; expiresAt: string };

export type Triaged =
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'classified'; label?: ReplyLabel; deal: DealGated }
  /** Below the tenant's thresholds: the `reply_review` approval a person answers before anything is done. */
  | { outcome: 'review'; label: ReplyLabel; approvalId: string; expiresAt: string };

/** What a person answered on a `reply_review` approval. */
export interface ReviewDecision {
  approved: boolean;
  label?: ReplyLabel;
  by: { id: string; name?: string };
}

/** What a Manager answered on a "Create deal?" card. */
export interface DealDecision {
  approved: boolean;
  stage?: DealStage;
  amount?: number;
  by: { id: string; name?: string };
}

export type ApplyReviewInput = TriageStepInput & { decision: ReviewDecision };
export type CreateApprovedDealInput = TriageInput & { decision: DealDecision };
export type ExpireApprovalInput = TriageInput & { approvalId: string };
