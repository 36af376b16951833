import { z } from 'zod';
import { killSwitchReleaseProgressSchema, killSwitchReleaseSchema, type KillSwitchReleaseProgress } from '@asep/shared/killswitch/killswitch';
import { defineOrchestration } from './contract';

/**
 * What turning a kill switch off does to the sequences in its scope, in the background: the route saves the switch
 * and starts this orchestration, which works through them a page at a time, so the route answers at once however
 * many there are (a large tenant's would outlast Azure's 230 s HTTP limit inline). With `resume` it tells the held
 * sequences to go on; with `end` it stops the campaigns and ends their sequences, the switch holding every send
 * in its scope until that is done.
 */
export const killSwitchReleaseInputSchema = z.object({
  tenantId: z.string(),
  scope: z.enum(['tenant', 'campaign']),
  campaignId: z.string().optional(),
  release: killSwitchReleaseSchema.default('resume'),
  /** Why the switch was turned off, and by whom: the audit event recorded once the release is done says so. */
  reason: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }),
  correlationId: z.string(),
});
export type KillSwitchReleaseInput = z.infer<typeof killSwitchReleaseInputSchema>;

/** Its custom status while it runs and its output once done: how many sequences it looked at, resumed or ended. */
export const killSwitchReleaseOrchestration = defineOrchestration('killSwitchRelease', killSwitchReleaseInputSchema, killSwitchReleaseProgressSchema);

/** The activities the release calls, by their registered names (killswitch/release-steps.ts). */
export const killSwitchReleaseActivities = {
  /** The campaigns the switch covered and how many sequences each has. */
  scope: 'killSwitchReleaseScope',
  /** Tells one page of a campaign's running sequences to go on, or ends them. */
  page: 'killSwitchReleasePage',
  /** `end`: stops the campaign before its sequences are ended, so that none starts another step. */
  stopCampaign: 'killSwitchReleaseStopCampaign',
  /** `end`: once its sequences are ended, withdraws the campaign's pending approvals and audits it stopped. */
  closeCampaign: 'killSwitchReleaseCloseCampaign',
  /** Records the count on the switch (ending its hold, for `end`) and audits `killswitch.released`. */
  finish: 'killSwitchReleaseFinish',
} as const;

export interface KillSwitchReleaseScope {
  campaigns: { campaignId: string; sequences: number }[];
}

export interface KillSwitchReleasePageInput {
  tenantId: string;
  campaignId: string;
  release: KillSwitchReleaseInput['release'];
  offset: number;
  /** `end`: why the sequences ended, as their orchestrations record it. */
  reason: string;
}

export type KillSwitchReleasePage = Pick<KillSwitchReleaseProgress, 'checked' | 'held' | 'resumed' | 'ended'>;

export type KillSwitchReleaseCampaignInput = KillSwitchReleaseInput & { releaseId: string; campaignId: string; sequencesEnded: number };

export type KillSwitchReleaseFinishInput = KillSwitchReleaseInput & { releaseId: string; sequencesResumed: number; sequencesEnded: number };

/** Sequences looked at per activity: small enough that a page ends well inside an activity's time. */
export const killSwitchReleasePageSize = 100;
