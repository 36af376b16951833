import { z } from 'zod';
import { defineOrchestration } from './contract';

export const lifecycleEvents = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] as const;
export type LifecycleEvent = (typeof lifecycleEvents)[number];

/**
 * Triage of notified messages, after the webhook has answered: the notifications themselves, as one delivery
 * carried them for one subscription (the webhook stores nothing; the first activity keeps them).
 */
export const mailIntakeInputSchema = z.object({
  tenantId: z.string(),
  mailbox: z.string(),
  subscriptionId: z.string(),
  /** Graph's ids of the notified messages (`resourceData.id` of `created` notifications). */
  graphMessageIds: z.array(z.string()).min(1),
  receivedAt: z.string(),
  correlationId: z.string(),
});
export type MailIntakeInput = z.infer<typeof mailIntakeInputSchema>;

/** Care of one mailbox's subscription: a lifecycle event Graph sent, or the periodic upkeep. */
export const watchUpkeepInputSchema = z.object({
  tenantId: z.string(),
  mailbox: z.string(),
  subscriptionId: z.string().optional(),
  reason: z.enum([...lifecycleEvents, 'upkeep']),
  correlationId: z.string(),
});
export type WatchUpkeepInput = z.infer<typeof watchUpkeepInputSchema>;

/** How many notified messages became replies to triage, and how many were not replies. */
export const mailIntakeOrchestration = defineOrchestration(
  'graphMailIntake',
  mailIntakeInputSchema,
  z.object({ received: z.int().nonnegative(), ignored: z.int().nonnegative() }),
);

/** What the upkeep did with the subscription (renewed, recreated, or why not), as the activity reports it. */
export const watchUpkeepOrchestration = defineOrchestration('graphWatchUpkeep', watchUpkeepInputSchema, z.unknown());
