import { sha256 } from '@asep/shared/audit/chain';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import type { MessageRecord, Touch } from './message';

/*
 * Finds a touch by its internet message id with point reads, not a query fanning out over every
 * partition: replies name the touch they answer in In-Reply-To and References, and each of those ids
 * leads to one index entry (MessageIndexRecord) in a partition derived from the id itself.
 */
function touchOf(record: Touch): Touch {
  const { id, pk, tenantId, internetMessageId, mailbox, to, at, prospectId, campaignId, instanceId, step, inReplyTo, references } = record;
  return { id, pk, tenantId, internetMessageId, mailbox, to, at, prospectId, campaignId, instanceId, step, inReplyTo, references };
}

function indexKey(tenantId: string, internetMessageId: string) {
  const id = `mid-${sha256(internetMessageId).slice(0, 40)}`;
  return { id, pk: hashedPartition(tenantId, id) };
}

/** Records where an outbound touch with this internet message id is stored. */
export async function indexTouch(services: Services, touch: Touch): Promise<void> {
  const { id, pk } = indexKey(touch.tenantId, touch.internetMessageId);
  await services.store.messageIndex.upsert({
    id,
    pk,
    tenantId: touch.tenantId,
    internetMessageId: touch.internetMessageId,
    messageId: touch.id,
    messagePk: touch.pk,
    touch: touchOf(touch),
  });
}

/** The outbound touch sent with this internet message id, if ASEP sent one. */
export async function findTouch(services: Services, tenantId: string, internetMessageId: string): Promise<MessageRecord | undefined> {
  const { id, pk } = indexKey(tenantId, internetMessageId);
  const entry = await services.store.messageIndex.read(pk, id);
  return entry ? services.store.messages.read(entry.messagePk, entry.messageId) : undefined;
}

/** As findTouch, answering what a reply needs of the touch: one read where the index entry keeps it. */
export async function findTouchForReply(services: Services, tenantId: string, internetMessageId: string): Promise<Touch | undefined> {
  const { id, pk } = indexKey(tenantId, internetMessageId);
  const entry = await services.store.messageIndex.read(pk, id);
  if (!entry) return undefined;
  return entry.touch ?? (await services.store.messages.read(entry.messagePk, entry.messageId));
}
