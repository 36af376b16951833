import { z } from 'zod';
import { defineOrchestration } from './contract';

/** A canary run: started with the canary cohort, it waits for a Manager to promote it (from the API or Teams). */
export const canaryRunInputSchema = z.object({ tenantId: z.string(), campaignId: z.string() });
export type CanaryRunInput = z.infer<typeof canaryRunInputSchema>;

/** A Manager promoted the canary: the canary run's orchestration starts everyone else's sequences. */
export const canaryPromotedEvent = 'canary-promoted';

/** The promotion recorded: how many the cohort holds (their sequences run already) and how many are enrolled. */
export interface CanaryPromoted {
  cohort: number;
  enrolled: number;
}

/**
 * The activities the canary run calls, by their registered names (deliverability/canary-step.ts); the pages of
 * everyone else it starts as a campaign start does (campaignStartActivities.startPage).
 */
export const canaryActivities = { recordPromotion: 'canaryRecordPromotion' } as const;

/** Once promoted: how many of the rest of the campaign's sequences it started. */
export const canaryRunOrchestration = defineOrchestration(
  'canaryRun',
  canaryRunInputSchema,
  z.object({ started: z.int().nonnegative(), alreadyRunning: z.int().nonnegative() }),
);
