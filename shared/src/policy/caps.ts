import type { PolicyRules } from './document';
import type { PolicyThrottle } from './decision';

/** What a mailbox (and the recipient's domain) has already been given in the windows the caps count. */
export interface SendUsage {
  sendsThisMinute: number;
  sendsThisHour: number;
  sendsToday: number;
  newRecipientsToday: number;
  /** Sends to the recipient's domain today, from every mailbox of the tenant. */
  recipientDomainSendsToday: number;
}

export const noSendUsage: SendUsage = { sendsThisMinute: 0, sendsThisHour: 0, sendsToday: 0, newRecipientsToday: 0, recipientDomainSendsToday: 0 };

/**
 * A UTC day's claims are kept as entries of a counter document: `sent <HH:MM> <touchId>` for each send (stamped
 * with its minute, so one document answers the minute, hour and day caps) and `new <address>` for each new
 * recipient. Claiming again under the same touch id or address finds the entry already there and takes nothing.
 */
export function sendEntry(now: Date, touchId: string): string {
  return `sent ${now.toISOString().slice(11, 16)} ${touchId}`;
}

export function newRecipientEntry(address: string): string {
  return `new ${address.toLowerCase()}`;
}

export function isSendEntryOf(entry: string, touchId: string): boolean {
  return entry.startsWith('sent ') && entry.endsWith(` ${touchId}`);
}

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Counts one day's entries against the minute and hour of `now`. */
export function tallyDay(entries: readonly string[], now: Date): Omit<SendUsage, 'recipientDomainSendsToday'> {
  const minute = now.toISOString().slice(11, 16);
  const hour = minute.slice(0, 2);
  const usage = { sendsThisMinute: 0, sendsThisHour: 0, sendsToday: 0, newRecipientsToday: 0 };
  for (const entry of entries) {
    if (entry.startsWith('new ')) {
      usage.newRecipientsToday += 1;
      continue;
    }
    usage.sendsToday += 1;
    if (entry.startsWith(hour, 5)) {
      usage.sendsThisHour += 1;
      if (entry.startsWith(minute, 5)) usage.sendsThisMinute += 1;
    }
  }
  return usage;
}

export interface CapDeferral {
  rule: string;
  /** Epoch milliseconds at which the cap's window rolls over. */
  retryAt: number;
  message: string;
}

const minuteMs = 60_000;
const hourMs = 3_600_000;
const dayMs = 86_400_000;
const nextBoundary = (now: number, period: number) => Math.floor(now / period) * period + period;

/** Every cap one more send would exceed, with the moment its window rolls over. */
export function capDeferrals(
  caps: PolicyRules['caps'],
  usage: SendUsage,
  isNewRecipient: boolean,
  now: number,
  mailbox: string,
  recipientDomain: string,
): CapDeferral[] {
  const checks: { rule: keyof PolicyRules['caps']; used: number; period: number; applies?: boolean; message: (cap: number) => string }[] = [
    {
      rule: 'sendsPerMailboxPerMinute',
      used: usage.sendsThisMinute,
      period: minuteMs,
      message: (cap) => `${mailbox} has sent its ${cap} emails for this minute.`,
    },
    {
      rule: 'sendsPerMailboxPerHour',
      used: usage.sendsThisHour,
      period: hourMs,
      message: (cap) => `${mailbox} has sent its ${cap} emails for this hour.`,
    },
    { rule: 'sendsPerMailboxPerDay', used: usage.sendsToday, period: dayMs, message: (cap) => `${mailbox} has sent its ${cap} emails for today.` },
    {
      rule: 'newRecipientsPerMailboxPerDay',
      used: usage.newRecipientsToday,
      period: dayMs,
      applies: isNewRecipient,
      message: (cap) => `${mailbox} has reached its ${cap} new recipients for today.`,
    },
    {
      rule: 'sendsPerRecipientDomainPerDay',
      used: usage.recipientDomainSendsToday,
      period: dayMs,
      message: (cap) => `${recipientDomain} has had its ${cap} emails from this tenant today.`,
    },
  ];
  return checks
    .filter((check) => check.applies !== false && check.used >= caps[check.rule])
    .map((check) => ({ rule: `caps.${check.rule}`, retryAt: nextBoundary(now, check.period), message: check.message(caps[check.rule]) }));
}

/** Of several deferrals, the one that reopens last: everything must have reopened before the send may go. */
export function latestDeferral<T extends { retryAt: number }>(deferrals: readonly T[]): T | undefined {
  let latest: T | undefined;
  for (const deferral of deferrals) if (!latest || deferral.retryAt > latest.retryAt) latest = deferral;
  return latest;
}

export function throttleFor(deferral: { rule: string; retryAt: number }): PolicyThrottle {
  return { retryAt: new Date(deferral.retryAt).toISOString(), rule: deferral.rule };
}
