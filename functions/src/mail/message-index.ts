import { sha256 } from '@asep/shared/audit/chain';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { earlierMessageKeysUntil } from '../tenants/directory';
import type { MessageIndexRecord, MessageRecord, Touch } from './message';

/*
 * Finds a touch by its internet message id with point reads, not a query fanning out over every
 * partition: replies name the touch they answer in In-Reply-To and References, and each of those ids
 * leads to one index entry (MessageIndexRecord) in a partition derived from the id itself.
 */
function touchOf(record: Touch): Touch {
  const { id, pk, tenantId, internetMessageId, mailbox, to, at, prospectId, campaignId, instanceId, step, inReplyTo, references } = record;
  return { id, pk, tenantId, internetMessageId, mailbox, to, at, prospectId, campaignId, instanceId, step, inReplyTo, references };
}

/**
 * The one key an internet message id has in a tenant's messages: the index entry of a touch ASEP sent, or the
 * message received with that id. Sharing it lets intake store a message and learn it is one of ASEP's own touches
 * in one conditional create.
 */
export function messageKey(tenantId: string, internetMessageId: string) {
  const id = `mid-${sha256(internetMessageId).slice(0, 40)}`;
  return { id, pk: hashedPartition(tenantId, id) };
}

/** Where a message received before messages shared their key (see TenantRecord.messageKeysSince) was stored. */
export function earlierInboundId(internetMessageId: string): string {
  return `in-${sha256(internetMessageId).slice(0, 40)}`;
}

/** The message received with this internet message id, under its key or the key it was stored under before. */
export async function findReceived(services: Services, tenantId: string, internetMessageId: string): Promise<MessageRecord | undefined> {
  const messages = services.store.forTenant(tenantId).messages;
  const received = await messages.read(messageKey(tenantId, internetMessageId).id);
  if (received || (await earlierMessageKeysUntil(services, tenantId)) === null) return received;
  return messages.read(earlierInboundId(internetMessageId));
}

/**
 * Records where an outbound touch with this internet message id is stored. The id is ASEP's own, made before the
 * touch is sent, so no received message holds its key yet.
 */
export async function indexTouch(services: Pick<Services, 'store'>, touch: Touch): Promise<void> {
  const { id, pk } = messageKey(touch.tenantId, touch.internetMessageId);
  await services.store.messageIndex.upsert({
    id,
    pk,
    tenantId: touch.tenantId,
    internetMessageId: touch.internetMessageId,
    messageId: touch.id,
    messagePk: touch.pk,
    besideProspect: true,
    touch: touchOf(touch),
  });
}

/** The outbound touch sent with this internet message id, if ASEP sent one. */
export async function findTouch(services: Pick<Services, 'store'>, tenantId: string, internetMessageId: string): Promise<MessageRecord | undefined> {
  const { id, pk } = messageKey(tenantId, internetMessageId);
  const entry = await services.store.messageIndex.read(pk, id);
  return entry ? readIndexed(services, entry) : undefined;
}

/** The touch an index entry points at: beside its prospect, or in the messages container for entries made before. */
function readIndexed(services: Pick<Services, 'store'>, entry: MessageIndexRecord): Promise<MessageRecord | undefined> {
  return (entry.besideProspect ? services.store.touches : services.store.messages).read(entry.messagePk, entry.messageId);
}

/** As findTouch, answering what a reply needs of the touch: one read where the index entry keeps it. */
export async function findTouchForReply(services: Pick<Services, 'store'>, tenantId: string, internetMessageId: string): Promise<Touch | undefined> {
  const { id, pk } = messageKey(tenantId, internetMessageId);
  const entry = await services.store.messageIndex.read(pk, id);
  if (!entry) return undefined;
  return entry.touch ?? (await readIndexed(services, entry));
}
