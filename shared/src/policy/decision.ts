import { z } from 'zod';

export const policyReasonSchema = z.object({
  /** The rule that produced this reason, e.g. `approvals.firstTouch`. */
  rule: z.string(),
  outcome: z.enum(['block', 'approval', 'pass']),
  message: z.string(),
});
export type PolicyReason = z.infer<typeof policyReasonSchema>;

export const policyDecisionSchema = z.object({
  allow: z.boolean(),
  approvalRequired: z.boolean(),
  reasons: z.array(policyReasonSchema),
  policyVersion: z.int(),
});
export type PolicyDecision = z.infer<typeof policyDecisionSchema>;
