import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { suppressionId } from '../sending/send-context';
import { ignoreConflict } from '../tenants/directory';
import { prospectId } from './prospects';
import type { ConsentWithdrawal, ProspectRecord, SuppressionRecord } from './records';

/** The status a prospect takes when its address is suppressed for each reason. */
export const statusFor: Record<SuppressionRecord['reason'], 'unsubscribed' | 'bounced' | 'suppressed'> = {
  unsubscribe: 'unsubscribed',
  bounce: 'bounced',
  complaint: 'suppressed',
  manual: 'suppressed',
  left_company: 'suppressed',
};

/**
 * Puts an address on the tenant's do-not-contact list (once) and marks its prospect, which it answers as now
 * stored. Audited. An unsubscribe or a manual entry says how consent was withdrawn (`consent`), which the record
 * keeps. A caller holding the address's prospect as read passes it (`prospect`): it is marked from there, read
 * again only if it changed meanwhile.
 */
export async function suppress(
  services: Services,
  tenantId: string,
  address: string,
  reason: SuppressionRecord['reason'],
  source: string,
  correlationId: string,
  known: { consent?: ConsentWithdrawal; prospect?: ProspectRecord } = {},
): Promise<ProspectRecord | undefined> {
  const { consent } = known;
  const value = address.toLowerCase();
  const id = suppressionId(value);
  const created = await ignoreConflict(
    services.store.suppressions.create({
      id,
      pk: hashedPartition(tenantId, id),
      tenantId,
      value,
      scope: 'address',
      reason,
      source,
      createdAt: services.clock.now().toISOString(),
      ...(consent ? { consent } : {}),
    }),
  );
  const markSuppressed = (record: ProspectRecord) =>
    record.status === statusFor[reason] ? undefined : { ...record, status: statusFor[reason], updatedAt: services.clock.now().toISOString() };
  const prospect = prospectId(tenantId, value);
  const marked =
    known.prospect?.id === prospect
      ? await services.store.prospects.updateFrom(known.prospect, markSuppressed)
      : await services.store.forTenant(tenantId).prospects.update(prospect, markSuppressed);
  if (created) {
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: source },
      type: 'suppression.added',
      correlationId,
      idempotencyKey: `suppression.added:${id}`,
      payload: { addressHash: id, reason, source, consent: consent ?? null },
    });
  }
  return marked;
}
