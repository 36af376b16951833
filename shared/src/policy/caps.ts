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
  const deferrals: CapDeferral[] = [];
  if (usage.sendsThisMinute >= caps.sendsPerMailboxPerMinute) {
    deferrals.push({
      rule: 'caps.sendsPerMailboxPerMinute',
      retryAt: nextBoundary(now, minuteMs),
      message: `${mailbox} has sent its ${caps.sendsPerMailboxPerMinute} emails for this minute.`,
    });
  }
  if (usage.sendsThisHour >= caps.sendsPerMailboxPerHour) {
    deferrals.push({
      rule: 'caps.sendsPerMailboxPerHour',
      retryAt: nextBoundary(now, hourMs),
      message: `${mailbox} has sent its ${caps.sendsPerMailboxPerHour} emails for this hour.`,
    });
  }
  if (usage.sendsToday >= caps.sendsPerMailboxPerDay) {
    deferrals.push({
      rule: 'caps.sendsPerMailboxPerDay',
      retryAt: nextBoundary(now, dayMs),
      message: `${mailbox} has sent its ${caps.sendsPerMailboxPerDay} emails for today.`,
    });
  }
  if (isNewRecipient && usage.newRecipientsToday >= caps.newRecipientsPerMailboxPerDay) {
    deferrals.push({
      rule: 'caps.newRecipientsPerMailboxPerDay',
      retryAt: nextBoundary(now, dayMs),
      message: `${mailbox} has reached its ${caps.newRecipientsPerMailboxPerDay} new recipients for today.`,
    });
  }
  if (usage.recipientDomainSendsToday >= caps.sendsPerRecipientDomainPerDay) {
    deferrals.push({
      rule: 'caps.sendsPerRecipientDomainPerDay',
      retryAt: nextBoundary(now, dayMs),
      message: `${recipientDomain} has had its ${caps.sendsPerRecipientDomainPerDay} emails from this tenant today.`,
    });
  }
  return deferrals;
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
