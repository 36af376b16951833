import { z } from 'zod';
import { campaignIdSchema } from '../ids/ids';

/**
 * What happens to the sequences a switch held when it is turned off: they go on where they stopped (`resume`),
 * or every sequence in its scope ends and its campaigns stop (`end`).
 */
export const killSwitchReleaseSchema = z.enum(['resume', 'end'], { error: 'release must be "resume" or "end"' });
export type KillSwitchRelease = z.infer<typeof killSwitchReleaseSchema>;

export const killSwitchChangeSchema = z
  .strictObject({
    scope: z.enum(['tenant', 'campaign']),
    campaignId: campaignIdSchema.optional(),
    active: z.boolean(),
    reason: z.string().trim().min(1, 'a reason is required').max(500),
    /** Only when turning a switch off; `resume` when left out. */
    release: killSwitchReleaseSchema.optional(),
  })
  .refine((change) => change.scope !== 'campaign' || change.campaignId, {
    message: 'campaignId is required when scope is campaign',
    path: ['campaignId'],
  })
  .refine((change) => !change.active || change.release === undefined, {
    message: 'release applies only when turning a switch off',
    path: ['release'],
  });
export type KillSwitchChange = z.infer<typeof killSwitchChangeSchema>;

/**
 * Turning a switch off with `resume` wakes the sequences it held in the background (a large tenant has too many to
 * wake within one request): how far that has come, as `GET /api/v1/killswitch/releases/{id}` reports it.
 */
export const killSwitchReleaseProgressSchema = z.object({
  /** Sequences enrolled in the campaigns in scope, and how many of them have been looked at so far. */
  sequences: z.int().nonnegative(),
  checked: z.int().nonnegative(),
  /** Of those looked at: still running and waiting on the switch. */
  held: z.int().nonnegative(),
  /** Running sequences told to go on: the held ones, and any that were about to find the switch on. */
  resumed: z.int().nonnegative(),
  done: z.boolean(),
});
export type KillSwitchReleaseProgress = z.infer<typeof killSwitchReleaseProgressSchema>;

/** On a switch turned off with `resume`: the background release, and once it is done how many sequences it resumed. */
export const killSwitchResumptionSchema = z.object({
  releaseId: z.string(),
  done: z.boolean(),
  sequencesResumed: z.int().nonnegative().optional(),
});
export type KillSwitchResumption = z.infer<typeof killSwitchResumptionSchema>;

/** What `GET /api/v1/killswitch/releases/{id}` answers: the release's progress, for which switch, and how it stands. */
export const killSwitchReleaseReportSchema = killSwitchReleaseProgressSchema.extend({
  releaseId: z.string(),
  scope: z.enum(['tenant', 'campaign']),
  campaignId: z.string().nullable(),
  state: z.enum(['resuming', 'done', 'failed']),
});
export type KillSwitchReleaseReport = z.infer<typeof killSwitchReleaseReportSchema>;

/** Turned off with "resume", the held sequences are woken in the background: in words, that it is under way, then how many. */
export function resumptionText(resumption: Pick<KillSwitchResumption, 'done' | 'sequencesResumed'>): string {
  if (!resumption.done) return 'Resuming the sequences it held…';
  const count = resumption.sequencesResumed ?? 0;
  return count === 0 ? 'No held sequence needed resuming.' : `${count} held ${count === 1 ? 'sequence' : 'sequences'} resumed.`;
}

export const killSwitchSwitchSchema = z.object({
  active: z.boolean(),
  reason: z.string(),
  changedBy: z.string(),
  changedAt: z.string(),
  /** For a switch turned off: what its held sequences did. */
  release: killSwitchReleaseSchema.optional(),
  resumption: killSwitchResumptionSchema.optional(),
});
export type KillSwitchSwitch = z.infer<typeof killSwitchSwitchSchema>;

/** The kill switches of one tenant: tenant-wide, and per campaign. */
export const killSwitchStateSchema = z.object({
  tenant: killSwitchSwitchSchema.optional(),
  campaigns: z.record(z.string(), killSwitchSwitchSchema),
});
export type KillSwitchState = z.infer<typeof killSwitchStateSchema>;

export function isHalted(state: KillSwitchState, campaignId?: string): boolean {
  return haltingSwitches(state, campaignId).length > 0;
}

/** The switches that are on over a campaign's sends: the tenant's and the campaign's own. */
export function haltingSwitches(state: KillSwitchState, campaignId?: string): KillSwitchSwitch[] {
  const own = campaignId === undefined ? undefined : state.campaigns[campaignId];
  return [state.tenant, own].filter((candidate): candidate is KillSwitchSwitch => candidate?.active === true);
}
