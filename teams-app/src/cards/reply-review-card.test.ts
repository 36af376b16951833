import { describe, expect, it } from 'vitest';
import { buildApprovalCard } from './approval-card';
import { anApproval, consoleUrl } from './approval-fixture';
import { executeButtons, expectValidCard, press, visibleText } from './card-conformance';

const reviewApproval = (overrides: Parameters<typeof anApproval>[0] = {}) =>
  anApproval({
    kind: 'reply_review',
    subject: 'Re: Idea',
    evidence: { facts: [{ fact: 'word "later" points to unsubscribe (+0.40)', source: 'classifier' }], excerpt: 'Perhaps later, I guess.', confidence: 0.55 },
    review: {
      suggestedLabel: 'unsubscribe',
      confidence: 0.55,
      topLabels: [
        { label: 'unsubscribe', probability: 0.55 },
        { label: 'neutral', probability: 0.35 },
      ],
      reason: 'unsubscribe at 55% is below the 90% needed to suppress the address and stop its sequences; a person confirms first.',
      referral: { name: 'Priya Shah', email: 'priya.shah@fabrikam.example' },
    },
    decision: { gate: 'review' },
    ...overrides,
  });

describe('the reply review card', () => {
  const card = buildApprovalCard(reviewApproval(), { consoleUrl, refreshUserIds: ['aad-1', 'aad-2'] });

  it('shows the suggestion, its confidence, the two likeliest labels, why it asks and who to contact instead', () => {
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain('Confirm: Unsubscribe?');
    expect(text).toContain('Suggested **Unsubscribe** at **55%**; likeliest: Unsubscribe 55%, Neutral 35%');
    expect(text).toContain('below the 90% needed');
    expect(text).toContain('Suggested contact: Priya Shah priya.shah@fabrikam.example');
    expect(text).toContain('Perhaps later, I guess.');
  });

  it('confirms the suggestion in one click, or applies the label picked instead, or dismisses', () => {
    const buttons = Object.fromEntries(executeButtons(card).map((button) => [button.title, button]));
    expect(press(buttons['Confirm Unsubscribe']!)).toEqual({ action: 'reply.confirm', approvalId: 'apr_01J9Z8', label: 'unsubscribe' });
    expect(press(buttons['Apply picked label']!, { label: 'neutral' })).toEqual({ action: 'reply.confirm', approvalId: 'apr_01J9Z8', label: 'neutral' });
    expect(press(buttons['Dismiss']!)).toEqual({ action: 'reply.dismiss', approvalId: 'apr_01J9Z8' });
  });

  it('refreshes for every viewer, so after one Manager decides each of them sees the outcome without buttons', () => {
    expect(card.refresh).toMatchObject({ userIds: ['aad-1', 'aad-2'], action: { data: { action: 'refresh', approvalId: 'apr_01J9Z8' } } });
    const decided = buildApprovalCard(
      reviewApproval({ status: 'approved', decidedBy: { id: 'aad-1', name: 'Max Manager' }, decidedAt: '2026-12-02T10:00:00Z', review: { ...reviewApproval().review!, confirmedLabel: 'unsubscribe' } }),
      { consoleUrl, refreshUserIds: ['aad-1', 'aad-2'] },
    );
    expectValidCard(decided);
    expect(decided.actions).toBeUndefined();
    expect(visibleText(decided)).toMatch(/Confirmed as Unsubscribe[\s\S]*By: Max Manager/);
  });
});
