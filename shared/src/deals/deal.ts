import { z } from 'zod';

export const dealStageSchema = z.enum(['POSITIVE_REPLY', 'MEETING_BOOKED', 'QUALIFIED', 'WON', 'DISQUALIFIED']);
export type DealStage = z.infer<typeof dealStageSchema>;

/** Each stage as people read it. */
export const dealStageNames: Record<DealStage, string> = {
  POSITIVE_REPLY: 'Positive reply',
  MEETING_BOOKED: 'Meeting booked',
  QUALIFIED: 'Qualified',
  WON: 'Won',
  DISQUALIFIED: 'Disqualified',
};

export const dealSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  stage: dealStageSchema,
  amount: z.number().nonnegative().optional(),
  prospectId: z.string(),
  contactEmail: z.string(),
  companyDomain: z.string(),
  campaignId: z.string().optional(),
  sourceMessageId: z.string(),
  confidence: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** When the deal was marked won (in ASEP's CRM, or in HubSpot): what the won figures count. */
  wonAt: z.string().optional(),
  crm: z.object({ system: z.string(), id: z.string(), url: z.string().optional() }).optional(),
});
export type Deal = z.infer<typeof dealSchema>;

/** `PATCH /api/v1/deals/{id}`: a person moves the deal on in ASEP's CRM (won, lost, qualified) or gives its amount. */
export const dealChangeSchema = z
  .strictObject({
    stage: dealStageSchema.optional(),
    amount: z.number().nonnegative().max(1e12).optional(),
  })
  .refine((change) => change.stage !== undefined || change.amount !== undefined, { message: 'give a stage or an amount', path: ['stage'] });
export type DealChange = z.infer<typeof dealChangeSchema>;

/** The CRMs a deal is mirrored to, by the product name people know them by. */
const crmProducts: Record<string, string> = { internal: 'ASEP CRM', hubspot: 'HubSpot' };

/** "HubSpot" for `hubspot`, "ASEP CRM" for the internal record; an unknown system as it is named. */
export function crmProductName(system: string): string {
  return crmProducts[system.toLowerCase()] ?? system;
}
