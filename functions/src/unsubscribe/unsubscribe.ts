import type { DurableClient } from 'durable-functions';
import { stopProspectSequences } from '../campaigns/campaigns';
import type { Services } from '../composition/services';
import { evaluateCanariesOf } from '../deliverability/canary';
import { findProspect } from '../prospects/prospects';
import type { ProspectRecord } from '../prospects/records';
import { suppress } from '../prospects/suppression';
import type { UnsubscribeSubject } from './links';

/** The prospect an unsubscribe link names, if they still exist. */
export function linkedProspect(services: Services, subject: UnsubscribeSubject): Promise<ProspectRecord | undefined> {
  return findProspect(services, subject.tenantId, subject.prospectId);
}

/**
 * One click on the link: the address is suppressed at once with the withdrawal of consent recorded (audited),
 * every sequence emailing the person in the tenant stops, and any canary they are part of is checked again.
 */
export async function unsubscribeByLink(services: Services, durable: DurableClient, prospect: ProspectRecord, correlationId: string): Promise<void> {
  const { tenantId } = prospect;
  await suppress(services, tenantId, prospect.email, 'unsubscribe', 'unsubscribe-link', correlationId, {
    consent: { method: 'link', at: services.clock.now().toISOString() },
    prospect,
  });
  await stopProspectSequences(services, durable, tenantId, prospect.id, 'unsubscribed by link');
  await evaluateCanariesOf(services, tenantId, prospect.id, correlationId);
}
