import { z } from 'zod';
import type { AuditEvent, ChainVerification } from '@asep/shared/audit/chain';
import { campaignSchema } from '@asep/shared/campaigns/campaign';
import type { CanaryReport } from '../../cards/canary-card';

/**
 * Answers of routes that have no schema in `shared/`. The audit ones restate shared/audit/chain.ts, whose
 * module hashes with node:crypto and so cannot ship to a browser; their types keep them in step with it.
 */

/**
 * A campaign as `GET /v1/campaigns` lists it: with its canary run once it was started with one (the shared
 * schema does not know the run yet, and is strict, so it would refuse the whole list).
 */
/** A campaign as the list shows it (the shared schema, canary run included). */
export const listedCampaignSchema = campaignSchema;
export type ListedCampaign = z.infer<typeof listedCampaignSchema>;

/** `GET /v1/campaigns/{id}/canary` and `POST …/halt`: how the canary did, as the Teams canary card shows it. */
export const canaryReportSchema: z.ZodType<CanaryReport> = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  sent: z.int().nonnegative(),
  bounces: z.int().nonnegative(),
  unsubscribes: z.int().nonnegative(),
  negativeReplies: z.int().nonnegative(),
  thresholds: z.object({ bounceRate: z.number(), unsubscribeRate: z.number(), negativeRate: z.number() }),
  status: z.enum(['running', 'promoted', 'halted']),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
});

export const campaignStartedSchema = z.object({
  campaignId: z.string(),
  status: z.string(),
  started: z.int().nonnegative(),
  alreadyRunning: z.int().nonnegative(),
  canary: z.object({ size: z.int() }).nullable(),
});
export type CampaignStarted = z.infer<typeof campaignStartedSchema>;

export const campaignStoppedSchema = z.object({ campaignId: z.string(), status: z.string(), sequencesStopped: z.int().nonnegative() });
export type CampaignStopped = z.infer<typeof campaignStoppedSchema>;

export const auditEventSchema: z.ZodType<AuditEvent> = z.object({
  tenantId: z.string(),
  seq: z.int().positive(),
  actor: z.object({ type: z.enum(['user', 'system', 'bot']), id: z.string(), name: z.string().optional() }),
  type: z.string(),
  correlationId: z.string(),
  idempotencyKey: z.string(),
  payload: z.record(z.string(), z.unknown()),
  payloadHash: z.string(),
  prevHash: z.string(),
  hash: z.string(),
  at: z.string(),
});

export const chainVerificationSchema: z.ZodType<ChainVerification> = z.object({
  valid: z.boolean(),
  count: z.int().nonnegative(),
  head: z.string(),
  firstBrokenSeq: z.int().optional(),
});

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
