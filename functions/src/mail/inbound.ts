import { randomUUID } from 'node:crypto';
import type { MailMessage } from '@asep/shared/mail/message';
import type { DurableClient } from 'durable-functions';
import type { Services } from '../composition/services';
import { triageInstanceId } from '../orchestrations/instance-ids';
import { startUnlessRunning } from '../orchestrations/contracts/contract';
import { triageOrchestration, type TriageInput } from '../orchestrations/contracts/triage';
import { ConflictError } from '../store/documents';
import type { MessageRecord } from './message';
import { earlierMessageKeysUntil } from '../tenants/directory';
import { earlierInboundId, messageKey } from './message-index';

/**
 * How long after a tenant was marked a message may still have been stored under its earlier key: instances of the
 * version before keep running for a while in a rolling deployment, and the mailbox's clock is not this host's.
 */
const earlierKeysGraceMs = 24 * 3_600_000;

/** A message as a mailbox hands it over; its internet message id may be missing (ASEP then gives it one). */
export type ReceivedMessage = Omit<MailMessage, 'internetMessageId'> & { internetMessageId?: string; receivedAt: string };

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key ? headers[key] : undefined;
}

function messageIds(value: string | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? (value ? [value.trim()] : []);
}

/**
 * Takes in a message that arrived in a connected mailbox (from a Graph change notification, the delta
 * backstop, or the local sandbox) and starts its triage. Storing it first and naming both the record and
 * the triage instance after its internet message id make a notification delivered twice count once; the
 * record's key is the one ASEP's own touches are indexed under, so storing it also tells a touch of ours
 * from a reply, in one request.
 */
export async function receiveMessage(
  services: Services,
  durable: DurableClient,
  tenantId: string,
  received: ReceivedMessage,
  correlationId: string = randomUUID(),
): Promise<{ internetMessageId: string; triaged: boolean }> {
  const internetMessageId = received.internetMessageId ?? header(received.headers, 'Message-ID') ?? `<${randomUUID()}@inbound.asep.local>`;
  const key = messageKey(tenantId, internetMessageId);
  const inReplyTo = messageIds(header(received.headers, 'In-Reply-To'))[0];
  const references = messageIds(header(received.headers, 'References'));
  const record: Omit<MessageRecord, 'docType'> = {
    ...key,
    tenantId,
    direction: 'inbound',
    internetMessageId,
    mailbox: received.mailbox,
    from: received.from.toLowerCase(),
    to: received.to.toLowerCase(),
    subject: received.subject,
    body: received.body,
    headers: received.headers,
    ...(inReplyTo ? { inReplyTo } : {}),
    ...(references.length > 0 ? { references } : {}),
    at: received.receivedAt,
    conversationId: references[0] ?? inReplyTo ?? internetMessageId,
    triage: { status: 'pending' },
  };
  const messages = services.store.forTenant(tenantId).messages;
  // Received before its tenant's messages shared their key, it may be stored under the key it had then.
  const earlierKeysUntil = await earlierMessageKeysUntil(services, tenantId);
  const mayHaveEarlierKey = earlierKeysUntil !== null && Date.parse(received.receivedAt) < earlierKeysUntil + earlierKeysGraceMs;
  const earlier = mayHaveEarlierKey ? await messages.read(earlierInboundId(internetMessageId)) : undefined;
  let stored: MessageRecord | undefined;
  if (!earlier) {
    try {
      stored = await services.store.messages.create(record);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // The key is taken by this message, delivered before, or by the index entry of a touch ASEP sent.
      if (!(await messages.read(key.id))) return { internetMessageId, triaged: false };
    }
  }
  const instanceId = triageInstanceId(tenantId, internetMessageId);
  // A message stored just now has no triage yet (its instance is named after it); only a redelivery looks.
  const existing = stored ? undefined : await durable.getStatus(instanceId).catch(() => undefined);
  if (!existing?.runtimeStatus) {
    // Triage starts from the message as stored here; one stored before (a redelivery) it reads as it is now.
    const message = stored && { ...record, direction: 'inbound' as const, _etag: stored._etag };
    const input: TriageInput = { tenantId, messageId: earlier?.id ?? key.id, correlationId, ...(message ? { message } : {}) };
    // Two deliveries racing here start it once: the second start is refused while the first runs.
    await startUnlessRunning(durable, triageOrchestration, instanceId, input);
  }
  return { internetMessageId, triaged: true };
}
