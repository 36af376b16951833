import { describe, expect, it } from 'vitest';
import { capDeferrals, latestDeferral, newRecipientEntry, noSendUsage, sendEntry, tallyDay } from './caps';
import { defaultPolicyRules } from './document';

const now = new Date('2025-03-12T15:30:20Z');
const caps = defaultPolicyRules.caps;
const defer = (usage: Partial<typeof noSendUsage>, isNewRecipient = false) =>
  capDeferrals(caps, { ...noSendUsage, ...usage }, isNewRecipient, now.getTime(), 'seller@vendor.example', 'acme.example');

describe('send caps', () => {
  it('counts a day’s entries by the minute, the hour and the day, and new recipients apart', () => {
    const entries = [
      sendEntry(new Date('2025-03-12T09:10:00Z'), 'out-1'),
      sendEntry(new Date('2025-03-12T15:05:00Z'), 'out-2'),
      sendEntry(new Date('2025-03-12T15:30:01Z'), 'out-3'),
      sendEntry(new Date('2025-03-12T15:30:59Z'), 'out-4'),
      newRecipientEntry('Dana@Acme.example'),
    ];
    expect(tallyDay(entries, now)).toEqual({ sendsThisMinute: 2, sendsThisHour: 3, sendsToday: 4, newRecipientsToday: 1 });
    expect(entries[4]).toBe('new dana@acme.example');
  });

  it('defers to the next minute, hour or UTC midnight, whichever cap is full', () => {
    expect(defer({ sendsThisMinute: 20 })).toEqual([
      expect.objectContaining({ rule: 'caps.sendsPerMailboxPerMinute', retryAt: Date.parse('2025-03-12T15:31:00Z') }),
    ]);
    expect(defer({ sendsThisHour: 300 })).toEqual([
      expect.objectContaining({ rule: 'caps.sendsPerMailboxPerHour', retryAt: Date.parse('2025-03-12T16:00:00Z') }),
    ]);
    expect(defer({ sendsToday: 500 })).toEqual([
      expect.objectContaining({ rule: 'caps.sendsPerMailboxPerDay', retryAt: Date.parse('2025-03-13T00:00:00Z') }),
    ]);
    expect(defer({ recipientDomainSendsToday: 20 })[0]!.message).toBe('acme.example has had its 20 emails from this tenant today.');
  });

  it('holds new recipients to their own cap, which a follow-up does not use', () => {
    expect(defer({ newRecipientsToday: 40 }, true).map((deferral) => deferral.rule)).toEqual(['caps.newRecipientsPerMailboxPerDay']);
    expect(defer({ newRecipientsToday: 40 }, false)).toEqual([]);
    expect(defer({ sendsThisMinute: 19, sendsThisHour: 299, sendsToday: 499, newRecipientsToday: 39, recipientDomainSendsToday: 19 }, true)).toEqual(
      [],
    );
  });

  it('waits for the cap that reopens last', () => {
    expect(latestDeferral(defer({ sendsThisMinute: 20, sendsToday: 500 }))!.rule).toBe('caps.sendsPerMailboxPerDay');
    expect(latestDeferral([])).toBeUndefined();
  });
});
