import type { Approval } from '@asep/shared/approvals/approval';
import { policyDecisionSchema, type PolicyReason } from '@asep/shared/policy/decision';

/** The policy rules that asked for a human; approvals raised by other gates (deals) have none. */
export function blockingReasons(approval: Approval): PolicyReason[] {
  const decision = policyDecisionSchema.safeParse(approval.decision);
  return decision.success ? decision.data.reasons.filter((reason) => reason.outcome !== 'pass') : [];
}

/** Emails can be approved in bulk; a deal needs its stage and amount chosen one at a time. */
export function isBulkApprovable(approval: Approval): boolean {
  return approval.kind !== 'deal_create';
}
