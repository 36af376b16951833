import { z } from 'zod';
import { campaignIdSchema } from '../ids/ids';
import { draftSentenceSchema, evidenceFactSchema } from '../approvals/approval';
import { replyLabelSchema } from '../classification/schema';

export type EvidenceFact = z.infer<typeof evidenceFactSchema>;

/** What the policy knows about the person an email goes to. */
export const recipientProfileSchema = z.strictObject({
  /** IANA zone the sending window is read in; the policy's fallback zone when absent. */
  timeZone: z.string().optional(),
  region: z.string().optional(),
  vertical: z.string().optional(),
  doNotContact: z.boolean().optional(),
});
export type RecipientProfile = z.infer<typeof recipientProfileSchema>;

/** An outbound email the system wants to send, as the policy engine sees it. */
export const sendEmailActionSchema = z.strictObject({
  type: z.literal('send_email'),
  campaignId: campaignIdSchema.optional(),
  mailbox: z.email(),
  to: z.email(),
  subject: z.string(),
  body: z.string(),
  isFirstTouch: z.boolean(),
  stepApproval: z.enum(['every', 'once', 'none']).default('every'),
  /** True when a Manager already approved this exact send (or this step, for approve-once steps). */
  approved: z.boolean().default(false),
  recipient: recipientProfileSchema.default({}),
  /** Facts the email rests on (prospect data, the campaign's sourced facts): they back its claims. */
  evidence: z.array(evidenceFactSchema).max(200).default([]),
  /**
   * A researched draft: its sentences with the ids of the facts each cites, and the tenant's own wording it was drafted
   * from (template, offer), whose figures are the tenant's to vouch for.
   */
  draft: z.strictObject({ sentences: z.array(draftSentenceSchema).max(200), authoredText: z.string().max(50_000) }).optional(),
});
export type SendEmailAction = z.infer<typeof sendEmailActionSchema>;

/** A classified reply that might become a deal. */
export const createDealActionSchema = z.strictObject({
  type: z.literal('create_deal'),
  label: replyLabelSchema,
  confidence: z.number().min(0).max(1),
  contactEmail: z.email(),
  companyDomain: z.string().min(1),
  /** Deals already on record for this contact or company. */
  existingDeals: z.array(z.object({ id: z.string(), contactEmail: z.string(), companyDomain: z.string(), createdAt: z.iso.datetime() })).default([]),
  /** The reply's words that carry the intent. */
  excerpt: z.string().optional(),
  evidence: z.array(evidenceFactSchema).max(200).default([]),
});
export type CreateDealAction = z.infer<typeof createDealActionSchema>;

export const policyActionSchema = z.discriminatedUnion('type', [sendEmailActionSchema, createDealActionSchema]);
export type PolicyAction = z.infer<typeof policyActionSchema>;
