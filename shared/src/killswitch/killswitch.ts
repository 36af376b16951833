import { z } from 'zod';
import { campaignIdSchema } from '../ids/ids';

export const killSwitchChangeSchema = z
  .strictObject({
    scope: z.enum(['tenant', 'campaign']),
    campaignId: campaignIdSchema.optional(),
    active: z.boolean(),
    reason: z.string().trim().min(1, 'a reason is required').max(500),
  })
  .refine((change) => change.scope !== 'campaign' || change.campaignId, {
    message: 'campaignId is required when scope is campaign',
    path: ['campaignId'],
  });
export type KillSwitchChange = z.infer<typeof killSwitchChangeSchema>;

export const killSwitchSwitchSchema = z.object({
  active: z.boolean(),
  reason: z.string(),
  changedBy: z.string(),
  changedAt: z.string(),
});

/** The kill switches of one tenant: tenant-wide, and per campaign. */
export const killSwitchStateSchema = z.object({
  tenant: killSwitchSwitchSchema.optional(),
  campaigns: z.record(z.string(), killSwitchSwitchSchema),
});
export type KillSwitchState = z.infer<typeof killSwitchStateSchema>;

export function isHalted(state: KillSwitchState, campaignId?: string): boolean {
  if (state.tenant?.active) return true;
  return campaignId !== undefined && state.campaigns[campaignId]?.active === true;
}
