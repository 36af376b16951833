import { z } from 'zod';

/**
 * How a canary send went, for the Manager who decides whether the rest of the campaign goes out: the Teams
 * canary card, `GET /api/v1/campaigns/{id}/canary` and `POST …/halt` all show it.
 */
export const canaryReportSchema = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  sent: z.int().nonnegative(),
  bounces: z.int().nonnegative(),
  unsubscribes: z.int().nonnegative(),
  negativeReplies: z.int().nonnegative(),
  /** The highest acceptable share of `sent` for each signal, between 0 and 1. */
  thresholds: z.object({ bounceRate: z.number(), unsubscribeRate: z.number(), negativeRate: z.number() }),
  /** `running`: the canary is out and waiting for a decision. */
  status: z.enum(['running', 'promoted', 'halted']),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
});
export type CanaryReport = z.infer<typeof canaryReportSchema>;
