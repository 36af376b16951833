import { z } from 'zod';
import { headerSafe } from '../mail/header-safe';

export const prospectStatusSchema = z.enum(['new', 'enrolled', 'contacted', 'replied', 'paused', 'suppressed', 'unsubscribed', 'bounced']);
export type ProspectStatus = z.infer<typeof prospectStatusSchema>;

/**
 * Imported text, kept on one line: any of it can be rendered into a subject, so CR, LF and other control
 * characters are removed as it comes in (and again when a header is rendered).
 */
function oneLine(max: number) {
  return z.string().overwrite(headerSafe).max(max);
}

/** The fields a person can import for a prospect (CSV columns, API bodies). */
export const prospectFieldsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  firstName: oneLine(100).optional(),
  lastName: oneLine(100).optional(),
  fullName: oneLine(200).optional(),
  company: oneLine(200).optional(),
  title: oneLine(200).optional(),
  domain: oneLine(253).toLowerCase().optional(),
  /** E.164 when imported (`+14155552671`). */
  phone: oneLine(40).optional(),
  /** The prospect's id in the CRM the list came from (HubSpot record id, Salesforce contact id, ...); imports dedupe on it. */
  crmId: oneLine(100).optional(),
  city: oneLine(100).optional(),
  state: oneLine(100).optional(),
  /** ISO 3166-1 alpha-2 when imported. */
  country: oneLine(64).optional(),
  timeZone: oneLine(64).optional(),
  /** Where the prospect works, e.g. a country code (US, DE) or a sales region (EMEA); policies allow or exclude regions. */
  region: oneLine(64).optional(),
  /** The prospect's industry, e.g. software, healthcare; policies allow or exclude verticals. */
  vertical: oneLine(100).optional(),
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
