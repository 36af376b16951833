import type { SqlParameter } from '@azure/cosmos';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { ProspectRecord } from '../prospects/records';
import { PreconditionFailedError, readPartition, writeBatch } from '../store/documents';
import type { Store } from '../store/store';
import type { MessageRecord } from './message';

/**
 * Where a sent touch is kept: beside its prospect, in the prospect's partition of the prospects container, so the
 * send that decides on the prospect reads its touch in the same request and records both in one batch.
 */
export function touchPartition(tenantId: string, prospectId: string): string {
  return hashedPartition(tenantId, prospectId);
}

/**
 * The tenant's sent touches matching `where` (ANDed after the tenant filter). Touches recorded before they moved
 * beside their prospect are still in the messages container: they are read there too, so no report loses them.
 */
export async function queryTouches(store: Pick<Store, 'touches' | 'messages'>, tenantId: string, where = 'true', parameters: SqlParameter[] = []) {
  const outbound = `c.direction = 'outbound' AND (${where})`;
  const [beside, earlier] = await Promise.all([
    store.touches.query(tenantId, outbound, parameters),
    store.messages.query(tenantId, outbound, parameters),
  ]);
  return [...beside, ...earlier] satisfies MessageRecord[];
}

/** A prospect and one of its touches, as they are now: one request, as they share the prospect's partition. */
export async function readProspectAndTouch(
  store: Pick<Store, 'prospects'>,
  tenantId: string,
  prospectId: string,
  touchId: string,
): Promise<{ prospect?: ProspectRecord; touch?: MessageRecord }> {
  const found = await readPartition(store.prospects.container, touchPartition(tenantId, prospectId), [prospectId, touchId]);
  const prospect = found.find((record) => record.id === prospectId && record.docType === 'prospect') as ProspectRecord | undefined;
  const touch = found.find((record) => record.id === touchId && record.docType === 'message') as MessageRecord | undefined;
  return { ...(prospect ? { prospect } : {}), ...(touch ? { touch } : {}) };
}

/** A prospect emailed for the first time is `contacted`. */
function contacted(prospect: ProspectRecord, at: string): ProspectRecord | undefined {
  return prospect.status === 'new' || prospect.status === 'enrolled' ? { ...prospect, status: 'contacted', updatedAt: at } : undefined;
}

/**
 * The touch says sent and its prospect contacted: they share a partition, so one transactional batch writes both,
 * each only if unchanged since read. Should someone have changed either meanwhile (a reply marking the prospect),
 * each is changed again from what is stored now.
 */
export async function recordTouchSent(
  store: Pick<Store, 'touches' | 'prospects'>,
  claimed: MessageRecord,
  sentAt: string,
  prospect: ProspectRecord | undefined,
): Promise<MessageRecord> {
  const sent: MessageRecord = { ...claimed, status: 'sent', at: sentAt };
  const marked = prospect && contacted(prospect, sentAt);
  try {
    await writeBatch(store.touches.container, claimed.pk, [{ replace: sent }, ...(marked ? [{ replace: marked }] : [])]);
    return sent;
  } catch (error) {
    if (!(error instanceof PreconditionFailedError)) throw error;
  }
  const stored = await store.touches.update(claimed.pk, claimed.id, (touch) =>
    touch.status === 'sent' ? undefined : { ...touch, status: 'sent', at: sentAt },
  );
  if (prospect) await store.prospects.update(prospect.pk, prospect.id, (current) => contacted(current, sentAt));
  return stored ?? sent;
}
