import { describe, expect, it } from 'vitest';
import type { ReplyClassification } from '../classification/schema';
import { policyRulesSchema } from './document';
import { gateReplyAction } from './reply-actions';

const rules = policyRulesSchema.parse({}).replies;

function classified(label: ReplyClassification['label'], confidence: number, extra: Partial<ReplyClassification> = {}): ReplyClassification {
  return { label, confidence, evidence: { excerpt: 'the reply', facts: [], trace: [] }, ...extra };
}

describe('whether triage acts on a reply by itself', () => {
  it('acts on an opt-out only at or above the tenant threshold (0.90 by default)', () => {
    expect(gateReplyAction(classified('unsubscribe', 0.9), rules).act).toBe(true);
    const unsure = gateReplyAction(classified('unsubscribe', 0.41), rules);
    expect(unsure.act).toBe(false);
    expect(unsure.reason).toMatch(/41% is below the 90% needed to suppress/);
  });

  it('pauses for an out-of-office at 0.80, and suppresses someone who left only at 0.90', () => {
    expect(gateReplyAction(classified('ooo', 0.8), rules).act).toBe(true);
    expect(gateReplyAction(classified('ooo', 0.79), rules).act).toBe(false);
    expect(gateReplyAction(classified('ooo', 0.85, { ooo: { leftCompany: true } }), rules).act).toBe(false);
    expect(gateReplyAction(classified('ooo', 0.95, { ooo: { leftCompany: true } }), rules).act).toBe(true);
  });

  it('acts on explicit signals at once: a delivery report, an abuse report, an auto-reply header with out-of-office text', () => {
    expect(gateReplyAction(classified('bounce', 0.5, { rule: 'delivery-report', bounce: { kind: 'hard', status: '5.1.1' } }), rules)).toMatchObject({
      act: true,
      reason: expect.stringContaining('5.1.1'),
    });
    expect(gateReplyAction(classified('unsubscribe', 0.5, { rule: 'spam-complaint' }), rules).act).toBe(true);
    expect(gateReplyAction(classified('ooo', 0.5, { rule: 'auto-reply-header' }), rules).act).toBe(true);
  });

  it('never acts on a bounce the model guessed without delivery-report evidence', () => {
    expect(gateReplyAction(classified('bounce', 0.99), rules).act).toBe(false);
  });

  it('follows a tenant’s own thresholds', () => {
    const strict = { ...rules, humanReplyAt: 0.95 };
    expect(gateReplyAction(classified('neutral', 0.9), rules).act).toBe(true);
    expect(gateReplyAction(classified('neutral', 0.9), strict).act).toBe(false);
  });
});
