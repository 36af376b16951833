import { z } from 'zod';
import { researchFactSchema } from '@asep/shared/research/fact';
import { defineEvent, defineOrchestration } from './contract';

const previousTouchSchema = z.object({ internetMessageId: z.string(), references: z.array(z.string()) });

/** One prospect's way through one campaign's sequence. Each step runs in its own execution (continueAsNew). */
export const sequenceInputSchema = z.object({
  tenantId: z.string(),
  campaignId: z.string(),
  prospectId: z.string(),
  /** The mailbox assigned to write to the prospect at enrolment (sequences started before it was passed: the campaign's). */
  mailbox: z.string().optional(),
  stepIndex: z.int().nonnegative(),
  /** Counts executions of this instance, so each step's records and audit keys are unique even when a branch loops. */
  iteration: z.int().nonnegative(),
  previousTouch: previousTouchSchema.optional(),
  correlationId: z.string(),
  /** An out-of-office pause (or the delay before a soft-bounce retry): nothing is sent before then. */
  pausedUntil: z.string().optional(),
  /** This step is sent again because the email with this internet message id soft-bounced; it was approved already. */
  retryOf: z.string().optional(),
  /** The campaign drafts from research: facts are gathered once, before the first step, and passed along. */
  research: z.boolean().optional(),
  facts: z.array(researchFactSchema).optional(),
  /** Drafts asked for this step so far: an approver's "regenerate" asks for another. */
  draftAttempt: z.int().nonnegative().optional(),
});
export type SequenceInput = z.infer<typeof sequenceInputSchema>;

/** How a sequence ended, in words (`sequence completed`, `not sent: …`); nothing while it goes on as new. */
export const sequenceOrchestration = defineOrchestration('sequence', sequenceInputSchema, z.string().optional());

/** What a sequence answers when it has gone through all its steps. */
export const sequenceCompleted = 'sequence completed';

/** An out-of-office reply: the sequence holds its sends until `until` (an ISO instant). */
/**
 * What a running sequence shows in its durable status: the pause holding its sends, a kill switch holding it,
 * and the approval it waits for (null when none), so stopping it withdraws that approval without searching
 * for it. Instances of earlier versions show no `approvalId` at all.
 */
export interface SequenceStatus {
  pausedUntil?: string;
  heldByKillSwitch?: boolean;
  approvalId?: string | null;
}

export const sequencePauseSchema = z.object({ until: z.string() });
export type SequencePause = z.infer<typeof sequencePauseSchema>;

/** A soft bounce: the sequence sends the bounced step again, not before `notBefore`. */
export const sequenceRetrySchema = z.object({
  /** The email that bounced. Only a sequence's latest email is sent again: a later one already tried the address anew. */
  internetMessageId: z.string(),
  stepIndex: z.int().nonnegative(),
  /** The email before the bounced one, which the retry is threaded under again. */
  previousTouch: previousTouchSchema.optional(),
  notBefore: z.string(),
});
export type SequenceRetry = z.infer<typeof sequenceRetrySchema>;

/** The events a running sequence waits for, raised through `raiseEvent` so each carries what the sequence expects. */
export const sequenceEvents = {
  pause: defineEvent('sequence-pause', sequencePauseSchema),
  /** A kill switch was turned off: a sequence it held looks again whether it may go on. */
  release: defineEvent('sequence-release', z.object({})),
  retry: defineEvent('sequence-retry', sequenceRetrySchema),
};
