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
 * Turning a switch off wakes the sequences it held (`resume`) or ends every sequence in its scope (`end`) in the
 * background, since a large tenant has too many for one request: how far that has come, as
 * `GET /api/v1/killswitch/releases/{id}` reports it.
 */
export const killSwitchReleaseProgressSchema = z.object({
  /** Sequences enrolled in the campaigns in scope, and how many of them have been looked at so far. */
  sequences: z.int().nonnegative(),
  checked: z.int().nonnegative(),
  /** Of those looked at: still running and waiting on the switch. */
  held: z.int().nonnegative(),
  /** Running sequences told to go on: the held ones, and any that were about to find the switch on. */
  resumed: z.int().nonnegative(),
  /** Turned off with `end`: running sequences ended. */
  ended: z.int().nonnegative(),
  done: z.boolean(),
});
export type KillSwitchReleaseProgress = z.infer<typeof killSwitchReleaseProgressSchema>;

/**
 * On a switch turned off: the background release, and once it is done how many sequences it resumed or ended.
 * Until a release that ends sequences is done, the switch still holds every send in its scope (see `haltingSwitches`).
 */
export const killSwitchResumptionSchema = z.object({
  releaseId: z.string(),
  done: z.boolean(),
  sequencesResumed: z.int().nonnegative().optional(),
  sequencesEnded: z.int().nonnegative().optional(),
});
export type KillSwitchResumption = z.infer<typeof killSwitchResumptionSchema>;

/** What `GET /api/v1/killswitch/releases/{id}` answers: the release's progress, for which switch, and how it stands. */
export const killSwitchReleaseReportSchema = killSwitchReleaseProgressSchema.extend({
  releaseId: z.string(),
  scope: z.enum(['tenant', 'campaign']),
  campaignId: z.string().nullable(),
  release: killSwitchReleaseSchema,
  state: z.enum(['resuming', 'ending', 'done', 'failed']),
});
export type KillSwitchReleaseReport = z.infer<typeof killSwitchReleaseReportSchema>;

/** A switch turned off works through its sequences in the background: in words, that it is under way, then how many. */
export function resumptionText(
  resumption: Pick<KillSwitchResumption, 'done' | 'sequencesResumed' | 'sequencesEnded'>,
  release: KillSwitchRelease = 'resume',
): string {
  const sequences = (count: number) => `${count} ${count === 1 ? 'sequence' : 'sequences'}`;
  if (release === 'end') {
    if (!resumption.done) return 'Ending every sequence in its scope; nothing is sent meanwhile…';
    const count = resumption.sequencesEnded ?? 0;
    return count === 0 ? 'No running sequence needed ending.' : `${sequences(count)} ended.`;
  }
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

/**
 * The switches that hold a campaign's sends: the tenant's and the campaign's own, while on, and while turned off
 * with `end` until every sequence in their scope has ended, so that nothing held leaves in the meantime.
 */
export function haltingSwitches(state: KillSwitchState, campaignId?: string): KillSwitchSwitch[] {
  const own = campaignId === undefined ? undefined : state.campaigns[campaignId];
  return [state.tenant, own].filter((candidate): candidate is KillSwitchSwitch => holdsSends(candidate));
}

/** Whether a switch holds the sends in its scope: while on, and while turned off with `end` until its sequences have ended. */
export function holdsSends(setting: KillSwitchSwitch | undefined): boolean {
  return setting?.active === true || (setting?.release === 'end' && setting.resumption?.done === false);
}
