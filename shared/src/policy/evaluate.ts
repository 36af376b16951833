import type { CreateDealAction, SendEmailAction } from './action';
import { latestDeferral, throttleFor } from './caps';
import type { DealPolicyContext, Finding, PolicyContext } from './context';
import { dealFindings } from './deal-rules';
import type { PolicyDecision, PolicyReason } from './decision';
import { sendFacts, sendRules } from './send-rules';

const noObjection: PolicyReason[] = [{ rule: 'default', outcome: 'pass', message: 'No rule objects to this send.' }];

/** Findings into a decision: any block forbids, any deferral postpones, any approval asks a human first. */
function decide(findings: readonly Finding[], policyVersion: number): PolicyDecision {
  let blocked = false;
  let approval = false;
  let requireCanary = false;
  const deferrals: { rule: string; retryAt: number }[] = [];
  const reasons: PolicyReason[] = [];
  for (const { rule, outcome, message, retryAt } of findings) {
    reasons.push({ rule, outcome, message });
    if (outcome === 'block') blocked = true;
    else if (outcome === 'approval') approval = true;
    else if (outcome === 'defer' && retryAt !== undefined) deferrals.push({ rule, retryAt });
    if (rule === 'canary.required') requireCanary = true;
  }
  const deferral = blocked ? undefined : latestDeferral(deferrals);
  const throttle = deferral && throttleFor(deferral);
  return {
    allow: !blocked && !throttle,
    approvalRequired: !blocked && approval,
    reasons: reasons.length > 0 ? reasons : noObjection,
    ...(throttle ? { throttle } : {}),
    requireCanary,
    dealCreateAllowed: false,
    dealCreateRequiresApproval: false,
    policyVersion,
  };
}

/** Decides an outbound email. Pure: the same action and context always give the same decision. */
export function evaluatePolicy(action: SendEmailAction, context: PolicyContext): PolicyDecision {
  const send = sendFacts(action);
  const findings: Finding[] = [];
  for (const rule of sendRules) rule(send, context, findings);
  return decide(findings, context.policy.version);
}

/** Decides whether a classified reply creates a deal, asks a Manager, updates a recent deal, or does nothing. Pure. */
export function evaluateDealPolicy(action: CreateDealAction, context: DealPolicyContext): PolicyDecision {
  const { findings, verdict } = dealFindings(action, context);
  const decision = decide(findings, context.policy.version);
  return {
    ...decision,
    dealCreateAllowed: decision.allow && verdict.outcome === 'create',
    dealCreateRequiresApproval: decision.allow && verdict.outcome === 'ask',
    deal: verdict,
  };
}
