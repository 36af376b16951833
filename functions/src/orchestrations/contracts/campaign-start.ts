import { z } from 'zod';
import { defineOrchestration } from './contract';

/** How far the start has come; the orchestration's custom status while it runs, its output once done. */
export const campaignStartProgressSchema = z.object({
  total: z.int().nonnegative(),
  started: z.int().nonnegative(),
  alreadyRunning: z.int().nonnegative(),
});
export type CampaignStartProgress = z.infer<typeof campaignStartProgressSchema>;

/**
 * Starting a campaign's sequences: the start route starts a small campaign itself, and this orchestration a larger
 * one, a page at a time in the background, so the route answers at once however large the campaign.
 */
export const campaignStartInputSchema = z.object({
  tenantId: z.string(),
  campaignId: z.string(),
  /** Only the canary cohort: the rest start when the canary is promoted. */
  cohortOnly: z.boolean(),
  correlationId: z.string(),
  /** Where the background part begins, and what the route's own page did. */
  from: z.int().nonnegative(),
  progress: campaignStartProgressSchema,
});
export type CampaignStartInput = z.infer<typeof campaignStartInputSchema>;

export const campaignStartOrchestration = defineOrchestration('campaignStart', campaignStartInputSchema, campaignStartProgressSchema);

/** The activity the campaign start calls, by its registered name (campaigns/campaign-start-step.ts). */
export const campaignStartActivities = { startPage: 'campaignsStartSequences' } as const;

/** One page of the start: the campaign and where the page begins. */
export interface CampaignStartPageInput extends Omit<CampaignStartInput, 'progress'> {
  offset: number;
}

/** Sequences started per activity: small enough that other tenants' starts interleave with a large one. */
export const campaignStartPageSize = 100;

/** A start this small (one prospect, a canary cohort) is done by the route itself, which answers with exact counts. */
export const campaignStartAtOnce = 25;
