import { randomUUID } from 'node:crypto';
import { sha256 } from '@asep/shared/audit/chain';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { MailMessage } from '@asep/shared/mail/message';
import type { DurableClient } from 'durable-functions';
import type { Services } from '../composition/services';
import { triageInstanceId } from '../orchestrations/instance-ids';
import { startUnlessRunning } from '../orchestrations/contracts/contract';
import { triageOrchestration, type TriageInput } from '../orchestrations/contracts/triage';
import { ConflictError } from '../store/documents';
import type { MessageRecord } from './message';
import { findTouch } from './message-index';

/** A message as a mailbox hands it over; its internet message id may be missing (ASEP then gives it one). */
export type ReceivedMessage = Omit<MailMessage, 'internetMessageId'> & { internetMessageId?: string; receivedAt: string };

function header(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key ? headers[key] : undefined;
}

function messageIds(value: string | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? (value ? [value.trim()] : []);
}

export function inboundMessageId(internetMessageId: string): string {
  return `in-${sha256(internetMessageId).slice(0, 40)}`;
}

/**
 * Takes in a message that arrived in a connected mailbox (from a Graph change notification, the delta
 * backstop, or the local sandbox) and starts its triage. Storing it first and naming both the record and
 * the triage instance after its internet message id make a notification delivered twice count once.
 */
export async function receiveMessage(
  services: Services,
  durable: DurableClient,
  tenantId: string,
  received: ReceivedMessage,
  correlationId: string = randomUUID(),
): Promise<{ internetMessageId: string; triaged: boolean }> {
  const internetMessageId = received.internetMessageId ?? header(received.headers, 'Message-ID') ?? `<${randomUUID()}@inbound.asep.local>`;
  if (await findTouch(services, tenantId, internetMessageId)) return { internetMessageId, triaged: false };

  const id = inboundMessageId(internetMessageId);
  const inReplyTo = messageIds(header(received.headers, 'In-Reply-To'))[0];
  const references = messageIds(header(received.headers, 'References'));
  const record: Omit<MessageRecord, 'docType'> = {
    id,
    pk: hashedPartition(tenantId, id),
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
  let stored: MessageRecord | undefined;
  try {
    stored = await services.store.messages.create(record);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
  const instanceId = triageInstanceId(tenantId, internetMessageId);
  // A message stored just now has no triage yet (its instance is named after it); only a redelivery looks.
  const existing = stored ? undefined : await durable.getStatus(instanceId).catch(() => undefined);
  if (!existing?.runtimeStatus) {
    // Triage starts from the message as stored here; one stored before (a redelivery) it reads as it is now.
    const message = stored && { ...record, direction: 'inbound' as const, _etag: stored._etag };
    const input: TriageInput = { tenantId, messageId: id, correlationId, ...(message ? { message } : {}) };
    // Two deliveries racing here start it once: the second start is refused while the first runs.
    await startUnlessRunning(durable, triageOrchestration, instanceId, input);
  }
  return { internetMessageId, triaged: true };
}
