import { gateDeal } from '../deals/gating';
import type { DealStage } from '../deals/deal';
import type { CreateDealAction } from './action';
import type { DealPolicyContext, Finding } from './context';
import type { PolicyDecision } from './decision';
import type { DealIntent, PolicyRules } from './document';

/** The stage the policy puts a deal in for an intent (a positive reply, a booked meeting, …). */
export function dealStageFor(rules: PolicyRules, intent: DealIntent): DealStage {
  return rules.deals.stages[intent];
}

/** Deal gating for a classified reply (thresholds, never-create labels, dedupe window), and the evidence rule. */
export function dealFindings(
  action: CreateDealAction,
  { policy, now }: DealPolicyContext,
): { findings: Finding[]; verdict: NonNullable<PolicyDecision['deal']> } {
  const { rules } = policy;
  const findings: Finding[] = [];
  if (rules.evidence.requiredForDeals && !action.excerpt?.trim() && action.evidence.length === 0) {
    findings.push({
      rule: 'evidence.requiredForDeals',
      outcome: 'block',
      message: 'The policy needs the reply excerpt or a fact before a deal is created.',
    });
  }
  const gate = gateDeal(
    {
      label: action.label,
      confidence: action.confidence,
      contactEmail: action.contactEmail,
      companyDomain: action.companyDomain,
      existingDeals: action.existingDeals,
      now,
    },
    rules.deals,
  );
  const stage = dealStageFor(rules, 'positive_reply');
  switch (gate.outcome) {
    case 'create':
      findings.push({ rule: 'deals.createThreshold', outcome: 'pass', message: gate.reason });
      return { findings, verdict: { outcome: 'create', stage } };
    case 'update':
      findings.push({ rule: 'deals.dedupeWindowDays', outcome: 'pass', message: gate.reason });
      return { findings, verdict: { outcome: 'update', stage, dealId: gate.dealId } };
    case 'ask':
      findings.push({ rule: 'deals.askThreshold', outcome: 'approval', message: gate.reason });
      return { findings, verdict: { outcome: 'ask', stage } };
    case 'none': {
      const rule = rules.deals.neverCreateOn.includes(action.label as never)
        ? 'deals.neverCreateOn'
        : action.label === 'positive'
          ? 'deals.askThreshold'
          : 'deals.positiveRepliesOnly';
      findings.push({ rule, outcome: 'block', message: gate.reason });
      return { findings, verdict: { outcome: 'none', stage } };
    }
  }
}
