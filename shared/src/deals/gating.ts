import type { PolicyRules } from '../policy/document';
import type { Deal } from './deal';

import type { ReplyLabel } from '../classification/schema';

export type DealGate =
  | { outcome: 'create'; reason: string }
  | { outcome: 'update'; dealId: string; reason: string }
  | { outcome: 'ask'; reason: string }
  | { outcome: 'none'; reason: string };

export interface DealGateInput {
  label: ReplyLabel;
  confidence: number;
  contactEmail: string;
  companyDomain: string;
  /** Deals already on record for this contact or company. */
  existingDeals: readonly Pick<Deal, 'id' | 'contactEmail' | 'companyDomain' | 'createdAt'>[];
  now: Date;
}

const dayMs = 86_400_000;

/** Decides whether a classified reply creates, updates, asks about, or leaves alone a deal. */
/** Whether a reply could create or update a deal at all: only then do existing deals need looking up. */
export function mayCreateDeal(reply: Pick<DealGateInput, 'label' | 'confidence'>, rules: PolicyRules['deals']): boolean {
  return reply.label === 'positive' && !rules.neverCreateOn.includes(reply.label as never) && reply.confidence >= rules.askThreshold;
}

export function gateDeal(input: DealGateInput, rules: PolicyRules['deals']): DealGate {
  const { label, confidence } = input;
  if (rules.neverCreateOn.includes(label as never)) return { outcome: 'none', reason: `Deals are never created on ${label} replies.` };
  if (label !== 'positive') return { outcome: 'none', reason: `Only positive replies lead to deals (this one is ${label}).` };
  if (confidence < rules.askThreshold) {
    return { outcome: 'none', reason: `Confidence ${confidence.toFixed(2)} is below ${rules.askThreshold}.` };
  }
  const windowStart = input.now.getTime() - rules.dedupeWindowDays * dayMs;
  const recent = input.existingDeals.find(
    (deal) => Date.parse(deal.createdAt) >= windowStart && (deal.contactEmail === input.contactEmail || deal.companyDomain === input.companyDomain),
  );
  if (confidence < rules.createThreshold) {
    return {
      outcome: 'ask',
      reason: `Confidence ${confidence.toFixed(2)} is between ${rules.askThreshold} and ${rules.createThreshold}: a Manager decides.`,
    };
  }
  if (recent) {
    return {
      outcome: 'update',
      dealId: recent.id,
      reason: `A deal for this contact or company exists within ${rules.dedupeWindowDays} days: it is updated, not duplicated.`,
    };
  }
  return { outcome: 'create', reason: `Positive reply with confidence ${confidence.toFixed(2)} ≥ ${rules.createThreshold}.` };
}
