import type { Services } from '../composition/services';
import { queryTouches } from '../mail/touches';

/** Mailbox providers judge a sender by its recent behaviour, so its health is read over the last 30 days only. */
export const healthWindowDays = 30;

export type Health = 'good' | 'watch' | 'poor';

export interface MailboxHealth {
  mailbox: string;
  sent: number;
  bounces: number;
  bounceRate: number;
  /** Unsubscribe replies: Exchange Online reports no spam complaints, so these stand in for them. */
  complaints: number;
  complaintRate: number;
  health: Health;
}

/** Thresholds in line with what the large mailbox providers ask of bulk senders. */
export function healthOf(bounceRate: number, complaintRate: number): Health {
  if (bounceRate >= 0.05 || complaintRate >= 0.003) return 'poor';
  if (bounceRate >= 0.02 || complaintRate >= 0.001) return 'watch';
  return 'good';
}

/** Each sending mailbox's bounce and complaint rates over the rolling window (one mailbox when named). */
export async function mailboxHealth(services: Services, tenantId: string, mailbox?: string): Promise<MailboxHealth[]> {
  const since = new Date(services.clock.now().getTime() - healthWindowDays * 86_400_000).toISOString();
  const onMailbox = mailbox ? ' AND c.mailbox = @mailbox' : '';
  const parameters = [{ name: '@since', value: since }, ...(mailbox ? [{ name: '@mailbox', value: mailbox }] : [])];
  const [touches, replies] = await Promise.all([
    queryTouches(services.store, tenantId, `c.status = 'sent' AND c.at >= @since${onMailbox}`, parameters),
    services.store.messages.query(
      tenantId,
      `c.direction = 'inbound' AND c.triage.status = 'done' AND c.at >= @since AND (c.triage.classification.label = 'bounce' OR c.triage.classification.label = 'unsubscribe')${onMailbox}`,
      parameters,
    ),
  ]);
  const mailboxes = [...new Set(touches.map((touch) => touch.mailbox))];
  return mailboxes.map((address) => {
    const sent = touches.filter((touch) => touch.mailbox === address).length;
    const labelled = (label: string) => replies.filter((reply) => reply.mailbox === address && reply.triage?.classification?.label === label).length;
    const bounces = labelled('bounce');
    const complaints = labelled('unsubscribe');
    const bounceRate = bounces / sent;
    const complaintRate = complaints / sent;
    return { mailbox: address, sent, bounces, bounceRate, complaints, complaintRate, health: healthOf(bounceRate, complaintRate) };
  });
}
