import { describe, expect, it } from 'vitest';
import { defaultPolicyRules, exchangeOnlineLimits, policyRulesSchema } from './document';

const errorsOf = (rules: unknown) => {
  const result = policyRulesSchema.safeParse(rules);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the policy document', () => {
  it('defaults to the behaviour tenants start with', () => {
    expect(defaultPolicyRules.approvals).toMatchObject({ firstTouch: true, newRecipientDomain: false });
    expect(defaultPolicyRules.recipients.blockedTlds).toEqual(['gov']);
    expect(defaultPolicyRules.caps.newRecipientsPerMailboxPerDay).toBe(40);
    expect(defaultPolicyRules.content.prohibitedClaims).toEqual(['guaranteed', 'risk-free', '100% ROI']);
    expect(defaultPolicyRules.sendingWindow.enabled).toBe(true);
    expect(defaultPolicyRules.sendingWindow.skipPublicHolidays).toBe(true);
    expect(defaultPolicyRules.deals.stages).toEqual({
      positive_reply: 'POSITIVE_REPLY',
      meeting_booked: 'MEETING_BOOKED',
      qualified: 'QUALIFIED',
      disqualified: 'DISQUALIFIED',
    });
  });

  it('keeps every default cap beneath Exchange Online’s limits', () => {
    const { caps } = defaultPolicyRules;
    expect(caps.sendsPerMailboxPerMinute).toBeLessThan(exchangeOnlineLimits.messagesPerMinute);
    expect(caps.sendsPerMailboxPerHour).toBeLessThan(exchangeOnlineLimits.messagesPerMinute * 60);
    expect(caps.sendsPerMailboxPerDay).toBeLessThan(exchangeOnlineLimits.recipientsPerDay);
    expect(caps.newRecipientsPerMailboxPerDay).toBeLessThan(exchangeOnlineLimits.recipientsPerDay);
  });

  it('rejects a cap above Exchange Online’s limits, saying which limit', () => {
    expect(errorsOf({ caps: { sendsPerMailboxPerMinute: 31, sendsPerMailboxPerDay: 12_000 } })).toEqual([
      'caps.sendsPerMailboxPerMinute: Exchange Online sends at most 30 messages per minute from a mailbox; set 30 or less.',
      'caps.sendsPerMailboxPerDay: Exchange Online accepts at most 10,000 recipients a day from a mailbox; set that or less.',
    ]);
    expect(errorsOf({ caps: { sendsPerMailboxPerMinute: 30, sendsPerMailboxPerDay: 10_000 } })).toEqual([]);
  });

  it('lists every error at once, refinements included', () => {
    expect(
      errorsOf({
        approvals: { firstTouch: 'yes' },
        caps: { newRecipientsPerMailboxPerDay: -5 },
        sendingWindow: { start: '18:00', end: '8am', fallbackTimeZone: 'Mars/Olympus' },
        deals: { createThreshold: 0.5, askThreshold: 0.7, stages: { positive_reply: 'SIGNED' } },
        colour: 'blue',
      }).map((error) => error.split(':')[0]),
    ).toEqual([
      'approvals.firstTouch',
      'caps.newRecipientsPerMailboxPerDay',
      'sendingWindow.end',
      'sendingWindow.fallbackTimeZone',
      'deals.stages.positive_reply',
      '',
    ]);
  });

  it('rejects a sending window that ends before it starts', () => {
    expect(errorsOf({ sendingWindow: { start: '18:00', end: '08:00' } })).toEqual(['sendingWindow.end: the window must start before it ends']);
  });
});
