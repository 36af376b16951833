import { z } from 'zod';

/** Where ASEP learns about a prospect. Non-invasive only: the tenant's own records and the company's public site. */
export const factSourceSchema = z.enum(['import', 'crm', 'mail', 'website', 'campaign']);
export type FactSource = z.infer<typeof factSourceSchema>;

/**
 * One thing research found, as stored with the touch: what it says, where it was read (a page URL or a record id),
 * when, and a hash of the text as read, so an auditor can tell the fact an email cites from a later edit.
 */
export const researchFactSchema = z.object({
  id: z.string().min(1),
  fact: z.string().min(1).max(500),
  source: factSourceSchema,
  url: z.string().optional(),
  recordId: z.string().optional(),
  retrievedAt: z.iso.datetime(),
  hash: z.string().min(1),
});
export type ResearchFact = z.infer<typeof researchFactSchema>;

/** What the research step answers for one prospect: the facts, and which sources had nothing or failed (and why). */
export const researchSchema = z.object({
  facts: z.array(researchFactSchema).max(40),
  gaps: z.array(z.object({ source: factSourceSchema, reason: z.string() })),
});
export type Research = z.infer<typeof researchSchema>;
