import { z } from 'zod';

export const prospectStatusSchema = z.enum(['new', 'enrolled', 'contacted', 'replied', 'paused', 'suppressed', 'unsubscribed', 'bounced']);

/** The fields a person can import for a prospect (CSV columns, API bodies). */
export const prospectFieldsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  firstName: z.string().trim().max(100).optional(),
  lastName: z.string().trim().max(100).optional(),
  fullName: z.string().trim().max(200).optional(),
  company: z.string().trim().max(200).optional(),
  title: z.string().trim().max(200).optional(),
  domain: z.string().trim().toLowerCase().max(253).optional(),
  /** E.164 when imported (`+14155552671`). */
  phone: z.string().trim().max(40).optional(),
  /** The prospect's id in the CRM the list came from (HubSpot record id, Salesforce contact id, ...); imports dedupe on it. */
  crmId: z.string().trim().max(100).optional(),
  city: z.string().trim().max(100).optional(),
  state: z.string().trim().max(100).optional(),
  /** ISO 3166-1 alpha-2 when imported. */
  country: z.string().trim().max(64).optional(),
  timeZone: z.string().trim().max(64).optional(),
  /** Where the prospect works, e.g. a country code (US, DE) or a sales region (EMEA); policies allow or exclude regions. */
  region: z.string().trim().max(64).optional(),
  /** The prospect's industry, e.g. software, healthcare; policies allow or exclude verticals. */
  vertical: z.string().trim().max(100).optional(),
  /** The mailbox of the rep who owns this prospect (e.g. the CRM's contact owner); campaigns may assign by it. */
  owner: z.string().trim().toLowerCase().pipe(z.email()).optional(),
  /** Never email this person (e.g. the CRM's do-not-contact flag), whatever the campaign. */
  doNotContact: z.boolean().optional(),
});
export type ProspectFields = z.infer<typeof prospectFieldsSchema>;

export const prospectSchema = prospectFieldsSchema.extend({
  id: z.string(),
  tenantId: z.string(),
  domain: z.string(),
  status: prospectStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Prospect = z.infer<typeof prospectSchema>;

export function displayName(prospect: Pick<Prospect, 'fullName' | 'firstName' | 'lastName' | 'email'>): string {
  return prospect.fullName ?? ([prospect.firstName, prospect.lastName].filter(Boolean).join(' ') || prospect.email);
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
