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

export const killSwitchSwitchSchema = z.object({
  active: z.boolean(),
  reason: z.string(),
  changedBy: z.string(),
  changedAt: z.string(),
  /** For a switch turned off: what its held sequences did. */
  release: killSwitchReleaseSchema.optional(),
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
