import { z } from 'zod';
import { killSwitchReleaseProgressSchema, type KillSwitchReleaseProgress } from '@asep/shared/killswitch/killswitch';
import { defineOrchestration } from './contract';

/**
 * Waking the sequences a kill switch held, once it is turned off with `resume`: the release route saves the switch
 * and starts this orchestration, which tells the held sequences a page at a time, so the route answers at once
 * however many there are (a large tenant's would outlast Azure's 230 s HTTP limit inline).
 */
export const killSwitchReleaseInputSchema = z.object({
  tenantId: z.string(),
  scope: z.enum(['tenant', 'campaign']),
  campaignId: z.string().optional(),
  /** Why the switch was turned off, and by whom: the audit event recorded once the release is done says so. */
  reason: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }),
  correlationId: z.string(),
});
export type KillSwitchReleaseInput = z.infer<typeof killSwitchReleaseInputSchema>;

/** Its custom status while it runs and its output once done: how many sequences it looked at and resumed. */
export const killSwitchReleaseOrchestration = defineOrchestration('killSwitchRelease', killSwitchReleaseInputSchema, killSwitchReleaseProgressSchema);

/** The activities the release calls, by their registered names (killswitch/release-steps.ts). */
export const killSwitchReleaseActivities = {
  /** The campaigns the switch covered and how many sequences each has. */
  scope: 'killSwitchReleaseScope',
  /** Tells one page of a campaign's running sequences to go on. */
  page: 'killSwitchReleasePage',
  /** Records the count on the switch and audits `killswitch.released`. */
  finish: 'killSwitchReleaseFinish',
} as const;

export interface KillSwitchReleaseScope {
  campaigns: { campaignId: string; sequences: number }[];
}

export interface KillSwitchReleasePageInput {
  tenantId: string;
  campaignId: string;
  offset: number;
}

export type KillSwitchReleasePage = Pick<KillSwitchReleaseProgress, 'checked' | 'held' | 'resumed'>;

export type KillSwitchReleaseFinishInput = KillSwitchReleaseInput & { releaseId: string; sequencesResumed: number };

/** Sequences looked at per activity: small enough that a page ends well inside an activity's time. */
export const killSwitchReleasePageSize = 100;
