import { z } from 'zod';

/** A tenant's governance policy. Every outbound action and every deal is decided against it. */
export const policyRulesSchema = z.strictObject({
  approvals: z
    .strictObject({
      firstTouch: z.boolean().default(true),
      /** Hours before an unanswered approval expires and its send is abandoned. */
      expiryHours: z.number().positive().max(24 * 30).default(72),
    })
    .prefault({}),
  recipients: z
    .strictObject({
      /** Top-level domains never emailed. */
      blockedTlds: z.array(z.string().toLowerCase()).default(['gov']),
      /** Pilot mode: when non-empty, only these recipient domains may be emailed. */
      allowedDomains: z.array(z.string().toLowerCase()).default([]),
      excludedDomains: z.array(z.string().toLowerCase()).default([]),
    })
    .prefault({}),
  caps: z
    .strictObject({
      newRecipientsPerMailboxPerDay: z.int().min(0).max(10_000).default(40),
    })
    .prefault({}),
  deals: z
    .strictObject({
      createThreshold: z.number().min(0).max(1).default(0.85),
      askThreshold: z.number().min(0).max(1).default(0.65),
      neverCreateOn: z.array(z.enum(['unsubscribe', 'ooo', 'bounce', 'objection', 'neutral'])).default(['unsubscribe', 'ooo', 'bounce']),
      dedupeWindowDays: z.int().min(0).max(3650).default(90),
    })
    .prefault({})
    .refine((deals) => deals.askThreshold <= deals.createThreshold, {
      message: 'askThreshold must not be above createThreshold',
      path: ['askThreshold'],
    }),
});
export type PolicyRules = z.infer<typeof policyRulesSchema>;

export const policyDocumentSchema = z.object({
  tenantId: z.string(),
  version: z.int().positive(),
  rules: policyRulesSchema,
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

export const defaultPolicyRules: PolicyRules = policyRulesSchema.parse({});
