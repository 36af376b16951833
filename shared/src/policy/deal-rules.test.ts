import { describe, expect, it } from 'vitest';
import type { CreateDealAction } from './action';
import { dealStageFor } from './deal-rules';
import { policyRulesSchema } from './document';
import { evaluateDealPolicy } from './evaluate';

const now = new Date('2025-03-12T15:30:00Z');
const context = (rules: unknown = {}) => ({
  policy: { tenantId: 't1', version: 3, rules: policyRulesSchema.parse(rules), updatedBy: 'admin', updatedAt: now.toISOString() },
  now,
});

function reply(overrides: Partial<CreateDealAction> = {}): CreateDealAction {
  return {
    type: 'create_deal',
    label: 'positive',
    confidence: 0.92,
    contactEmail: 'dana@acme.example',
    companyDomain: 'acme.example',
    existingDeals: [],
    excerpt: 'Yes, this is interesting. Could we talk on Thursday?',
    evidence: [],
    ...overrides,
  };
}

describe('the policy engine on deals', () => {
  it('creates a deal from a confident positive reply, at the stage the policy maps positive replies to', () => {
    const decision = evaluateDealPolicy(reply(), context());
    expect(decision).toMatchObject({
      allow: true,
      approvalRequired: false,
      dealCreateAllowed: true,
      dealCreateRequiresApproval: false,
      deal: { outcome: 'create', stage: 'POSITIVE_REPLY' },
    });
    expect(evaluateDealPolicy(reply(), context({ deals: { stages: { positive_reply: 'QUALIFIED' } } })).deal?.stage).toBe('QUALIFIED');
  });

  it('asks a Manager between the ask and create thresholds', () => {
    const decision = evaluateDealPolicy(reply({ confidence: 0.7 }), context());
    expect(decision).toMatchObject({
      allow: true,
      approvalRequired: true,
      dealCreateAllowed: false,
      dealCreateRequiresApproval: true,
      deal: { outcome: 'ask' },
    });
    expect(decision.reasons[0]!.rule).toBe('deals.askThreshold');
  });

  it('creates nothing below the ask threshold, on never-create labels, or on other labels', () => {
    expect(evaluateDealPolicy(reply({ confidence: 0.5 }), context())).toMatchObject({
      allow: false,
      dealCreateAllowed: false,
      dealCreateRequiresApproval: false,
    });
    expect(evaluateDealPolicy(reply({ label: 'unsubscribe' }), context()).reasons[0]!.rule).toBe('deals.neverCreateOn');
    expect(evaluateDealPolicy(reply({ label: 'neutral' }), context()).reasons[0]!.rule).toBe('deals.positiveRepliesOnly');
    expect(evaluateDealPolicy(reply({ label: 'neutral' }), context({ deals: { neverCreateOn: ['neutral'] } })).reasons[0]!.rule).toBe(
      'deals.neverCreateOn',
    );
  });

  it('updates a deal made for the same company within the dedupe window instead of creating another', () => {
    const existingDeals = [{ id: 'deal-1', contactEmail: 'lee@acme.example', companyDomain: 'acme.example', createdAt: '2025-02-01T00:00:00Z' }];
    expect(evaluateDealPolicy(reply({ existingDeals }), context())).toMatchObject({
      allow: true,
      dealCreateAllowed: false,
      deal: { outcome: 'update', dealId: 'deal-1' },
    });
    expect(evaluateDealPolicy(reply({ existingDeals }), context({ deals: { dedupeWindowDays: 7 } }))).toMatchObject({ dealCreateAllowed: true });
  });

  it('creates no deal without evidence while the policy requires it', () => {
    const bare = reply({ excerpt: undefined });
    expect(evaluateDealPolicy(bare, context())).toMatchObject({ allow: false, dealCreateAllowed: false });
    expect(evaluateDealPolicy(bare, context()).reasons[0]!.rule).toBe('evidence.requiredForDeals');
    expect(evaluateDealPolicy(bare, context({ evidence: { requiredForDeals: false } })).dealCreateAllowed).toBe(true);
  });

  it('maps every intent to the stage the policy names', () => {
    const rules = policyRulesSchema.parse({ deals: { stages: { meeting_booked: 'QUALIFIED' } } });
    expect(dealStageFor(rules, 'meeting_booked')).toBe('QUALIFIED');
    expect(dealStageFor(rules, 'disqualified')).toBe('DISQUALIFIED');
  });
});
