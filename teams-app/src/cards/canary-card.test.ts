import { describe, expect, it } from 'vitest';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';
import { buildCanaryCard } from './canary-card';
import { executeButtons, expectValidCard, press, visibleText } from './card-conformance';

const report: CanaryReport = {
  campaignId: 'cmp_fintech',
  campaignName: 'Q3 fintech outreach',
  sent: 50,
  bounces: 1,
  unsubscribes: 0,
  negativeReplies: 1,
  thresholds: { bounceRate: 0.03, unsubscribeRate: 0.01, negativeRate: 0.05 },
  status: 'running',
};

describe('buildCanaryCard', () => {
  it('reports each signal against its limit and offers Promote or Halt', () => {
    const card = buildCanaryCard(report, { refreshUserIds: ['29:1a2b'] });
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain('Sent to **50** prospects. Every signal is within its limit.');
    expect(JSON.stringify(card.body)).toContain('"text":"2.0%"');
    expect(JSON.stringify(card.body)).toContain('"text":"3.0%"');
    const [refresh, promote, halt] = executeButtons(card);
    expect(press(refresh!)).toEqual({ action: 'canary.refresh', campaignId: 'cmp_fintech' });
    expect(press(promote!)).toEqual({ action: 'canary.promote', campaignId: 'cmp_fintech' });
    expect(promote).toMatchObject({ style: 'positive' });
    expect(press(halt!)).toEqual({ action: 'canary.halt', campaignId: 'cmp_fintech' });
  });

  it('flags the signals over their limit and recommends halting', () => {
    const card = buildCanaryCard({ ...report, bounces: 4, unsubscribes: 1 });
    expectValidCard(card);
    const text = visibleText(card);
    expect(text).toContain('Over the limit: bounces, unsubscribes. Halting is recommended.');
    expect(text).toContain('Bounces (over)');
    expect(text).toContain('Unsubscribes (over)');
    expect(text).not.toContain('Negative replies (over)');
    expect(executeButtons(card).find((button) => button.verb === 'canary.promote')).not.toHaveProperty('style');
  });

  it('shows no rates before anything is sent', () => {
    const card = buildCanaryCard({ ...report, sent: 0, bounces: 0, negativeReplies: 0 });
    expectValidCard(card);
    expect(visibleText(card)).toContain('Nothing has been sent yet.');
    expect(visibleText(card)).not.toContain('NaN');
  });

  it.each(['promoted', 'halted'] as const)('once %s, says who decided and when, with no buttons', (status) => {
    const card = buildCanaryCard({ ...report, status, decidedBy: 'Maria Gonzales', decidedAt: '2025-03-14T10:12:31Z' });
    expectValidCard(card);
    expect(card.actions).toBeUndefined();
    expect(card.refresh).toBeUndefined();
    expect(visibleText(card)).toContain(`Canary ${status}: Q3 fintech outreach`);
    expect(visibleText(card)).toContain('By: Maria Gonzales');
  });
});
