import { z } from 'zod';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { suppress } from '../prospects/suppression';
import { ignoreConflict } from '../tenants/directory';
import { asepStageFor } from './deal-stages';
import { suppressionProperty } from './hubspot-crm';
import type { HubSpotIntegration } from './integration';

const webhookEventSchema = z.looseObject({
  eventId: z.number(),
  portalId: z.number(),
  occurredAt: z.number(),
  subscriptionType: z.string(),
  objectId: z.number(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
});
export type HubSpotWebhookEvent = z.infer<typeof webhookEventSchema>;

/** HubSpot sends up to 100 events per request. */
export const webhookBatchSchema = z.array(webhookEventSchema).max(100);

export interface WebhookOutcome {
  applied: number;
  duplicates: number;
  ignored: number;
}

/**
 * Applies what HubSpot users did that ASEP must honour: a contact opting out of email (HubSpot's own flag, or ASEP's
 * do-not-contact property) suppresses the address, and a deal moved to a mapped stage moves ASEP's deal. Each event is
 * applied once: its id is recorded after it took effect, and every effect is idempotent, so a redelivery after a
 * failure finishes the job instead of doing it twice.
 */
export async function applyWebhookEvents(
  services: Services,
  hubspot: HubSpotIntegration,
  events: HubSpotWebhookEvent[],
  correlationId: string,
): Promise<WebhookOutcome> {
  const outcome: WebhookOutcome = { applied: 0, duplicates: 0, ignored: 0 };
  for (const event of events) {
    const tenantId = await hubspot.connections.tenantForPortal(event.portalId);
    if (!tenantId) {
      outcome.ignored += 1;
      continue;
    }
    const receiptId = `hubspot-event-${event.portalId}-${event.eventId}`;
    const receiptPk = hashedPartition(tenantId, receiptId);
    if (await hubspot.collections.webhookEvents.read(receiptPk, receiptId)) {
      outcome.duplicates += 1;
      continue;
    }
    const applied = await applyEvent(services, hubspot, tenantId, event, correlationId);
    await ignoreConflict(
      hubspot.collections.webhookEvents.create({
        id: receiptId,
        pk: receiptPk,
        tenantId,
        eventId: String(event.eventId),
        subscriptionType: event.subscriptionType,
        receivedAt: services.clock.now().toISOString(),
      }),
    );
    if (applied) outcome.applied += 1;
    else outcome.ignored += 1;
  }
  return outcome;
}

async function applyEvent(
  services: Services,
  hubspot: HubSpotIntegration,
  tenantId: string,
  event: HubSpotWebhookEvent,
  correlationId: string,
): Promise<boolean> {
  const objectId = String(event.objectId);
  if (event.subscriptionType === 'contact.propertyChange' && isOptOut(event)) {
    const email = await (await hubspot.crmFor(tenantId))?.contactEmail(objectId);
    if (!email) return false;
    const reason = event.propertyName === 'hs_email_optout' ? 'unsubscribe' : 'manual';
    await suppress(services, tenantId, email, reason, 'hubspot', correlationId);
    return true;
  }
  if (event.subscriptionType === 'deal.propertyChange' && event.propertyName === 'dealstage' && event.propertyValue) {
    const link = await hubspot.linksFor(tenantId).findByHubSpotId('deal', objectId);
    const stage = asepStageFor(await hubspot.connections.dealStages(tenantId), event.propertyValue);
    if (!link || !stage) return false;
    const before = await services.store.forTenant(tenantId).deals.read(link.key);
    const updated = await services.store.forTenant(tenantId).deals.update(link.key, (deal) => {
      if (deal.stage === stage) return undefined;
      const { wonAt: _wonAt, ...rest } = deal;
      const wonAt = stage === 'WON' ? { wonAt: new Date(event.occurredAt).toISOString() } : {};
      return { ...rest, stage, ...wonAt, updatedAt: services.clock.now().toISOString() };
    });
    if (!before || !updated || before.stage === stage) return false;
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'hubspot' },
      type: 'deal.stage_changed',
      correlationId,
      idempotencyKey: `deal.stage:hubspot:${event.portalId}:${event.eventId}`,
      payload: { dealId: link.key, from: before.stage, to: stage, reason: `changed in HubSpot (stage ${event.propertyValue})` },
    });
    return true;
  }
  if (event.subscriptionType === 'deal.propertyChange' && event.propertyName === 'amount') {
    const link = await hubspot.linksFor(tenantId).findByHubSpotId('deal', objectId);
    // HubSpot clears an amount with an empty value: the policy's default amount counts again.
    const amount = event.propertyValue?.trim() ? Number(event.propertyValue) : undefined;
    if (!link || (amount !== undefined && !(Number.isFinite(amount) && amount >= 0))) return false;
    const before = await services.store.forTenant(tenantId).deals.read(link.key);
    if (!before || before.amount === amount) return false;
    await services.store.forTenant(tenantId).deals.update(link.key, (deal) => {
      if (deal.amount === amount) return undefined;
      const { amount: _amount, ...rest } = deal;
      return { ...rest, ...(amount !== undefined ? { amount } : {}), updatedAt: services.clock.now().toISOString() };
    });
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'hubspot' },
      type: 'deal.amount_changed',
      correlationId,
      idempotencyKey: `deal.amount:hubspot:${event.portalId}:${event.eventId}`,
      payload: { dealId: link.key, from: before.amount ?? null, to: amount ?? null },
    });
    return true;
  }
  return false;
}

function isOptOut(event: HubSpotWebhookEvent): boolean {
  return (event.propertyName === 'hs_email_optout' || event.propertyName === suppressionProperty) && event.propertyValue === 'true';
}
