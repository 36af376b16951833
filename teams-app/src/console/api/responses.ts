import { z } from 'zod';
import { campaignSchema } from '@asep/shared/campaigns/campaign';

/** Answers of routes that only the console reads. */

/** A campaign as the list shows it (the shared schema, canary run included). */
export const listedCampaignSchema = campaignSchema;
export type ListedCampaign = z.infer<typeof listedCampaignSchema>;

export const campaignStartedSchema = z.object({
  campaignId: z.string(),
  status: z.string(),
  /** The sequences the start covers: `started` and `alreadyRunning` counted at once, a large campaign's in the background. */
  total: z.int().nonnegative(),
  started: z.int().nonnegative(),
  alreadyRunning: z.int().nonnegative(),
  canary: z.object({ size: z.int() }).nullable(),
});
export type CampaignStarted = z.infer<typeof campaignStartedSchema>;

export const campaignStoppedSchema = z.object({ campaignId: z.string(), status: z.string(), sequencesStopped: z.int().nonnegative() });
export type CampaignStopped = z.infer<typeof campaignStoppedSchema>;

/** `GET /api/v1/reports/summary`: outcomes and deliverability, for the ROI page. */
export const reportSummarySchema = z.object({
  sent: z.number(),
  replies: z.number(),
  positive: z.number(),
  meetings: z.number(),
  dealsCreated: z.number(),
  pipelineAmount: z.number(),
  policyBlocks: z.number(),
  byCampaign: z.array(
    z.object({
      campaignId: z.string(),
      name: z.string(),
      sent: z.number(),
      replies: z.number(),
      positive: z.number(),
      meetings: z.number(),
      deals: z.number(),
      pipelineAmount: z.number(),
    }),
  ),
  byConfidenceBand: z.array(z.object({ band: z.string(), replies: z.number(), deals: z.number() })),
  deliverability: z.array(
    z.object({
      mailbox: z.string(),
      sent: z.number(),
      bounces: z.number(),
      bounceRate: z.number(),
      complaints: z.number(),
      health: z.string(),
    }),
  ),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;
