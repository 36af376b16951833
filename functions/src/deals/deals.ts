import { sha256 } from '@asep/shared/audit/chain';
import { changeKey } from '@asep/shared/audit/change-key';
import type { Deal, DealChange, DealStage } from '@asep/shared/deals/deal';
import type { Services } from '../composition/services';
import { crmDealOf } from '../crm/crm-provider';
import type { DealRecord } from '../crm/records';
import { notFound } from '../http/problem';
import type { Principal } from '../identity/principal';
import type { ProspectRecord } from '../prospects/records';

export function toDeal(record: DealRecord): Deal {
  const { pk: _pk, docType: _docType, ...rest } = record;
  return Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('_'))) as unknown as Deal;
}

/** The tenant's deals with this contact or company. A tenant's deals share one partition: the lookup stays in it. */
export async function dealsFor(services: Services, tenantId: string, contactEmail: string, companyDomain: string): Promise<DealRecord[]> {
  return services.store.forTenant(tenantId).deals.queryPartition('c.contactEmail = @email OR c.companyDomain = @domain', [
    { name: '@email', value: contactEmail },
    { name: '@domain', value: companyDomain },
  ]);
}

export interface DealFromReply {
  tenantId: string;
  prospect: ProspectRecord;
  sourceMessageId: string;
  campaignId?: string;
  confidence: number;
  stage: DealStage;
  amount?: number;
  excerpt: string;
  correlationId: string;
  actor: { type: 'user' | 'system'; id: string; name?: string };
}

/** The id of the deal a reply creates: one reply makes one deal at most. */
export const dealIdForReply = (tenantId: string, sourceMessageId: string) => `deal-${sha256(`${tenantId}|${sourceMessageId}`).slice(0, 24)}`;

/** Creates the deal a positive reply earned (once per reply), recorded in the CRM with its contact and evidence, and audits it. */
export async function createDealFromReply(services: Services, input: DealFromReply): Promise<DealRecord> {
  const id = dealIdForReply(input.tenantId, input.sourceMessageId);
  const now = services.clock.now().toISOString();
  const { prospect } = input;
  const name = `${prospect.company ?? prospect.domain} – ${prospect.fullName ?? prospect.email}`;
  const record = await services.crm.createDeal(input.tenantId, {
    contact: {
      email: prospect.email,
      firstName: prospect.firstName,
      lastName: prospect.lastName,
      company: prospect.company,
      title: prospect.title,
      domain: prospect.domain,
    },
    evidence: {
      engagementId: `evidence:${id}`,
      type: 'note',
      contactEmail: prospect.email,
      dealId: id,
      subject: `Positive reply (confidence ${input.confidence.toFixed(2)})`,
      body: input.excerpt,
      at: now,
    },
    record: {
      id,
      name,
      stage: input.stage,
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      prospectId: prospect.id,
      contactEmail: prospect.email,
      companyDomain: prospect.domain,
      campaignId: input.campaignId,
      sourceMessageId: input.sourceMessageId,
      confidence: input.confidence,
      createdAt: now,
      updatedAt: now,
    },
  });
  // Appended by a retry that found the deal made too, under the same key: a crash between the two loses no event.
  await services.audit.append(input.tenantId, {
    actor: input.actor,
    type: 'deal.created',
    correlationId: input.correlationId,
    idempotencyKey: `deal.created:${id}`,
    payload: {
      dealId: id,
      prospectId: record.prospectId,
      stage: record.stage,
      amount: record.amount ?? null,
      confidence: record.confidence,
      sourceMessageId: record.sourceMessageId,
    },
  });
  return record;
}

export async function advanceDeal(
  services: Services,
  deal: DealRecord,
  stage: DealStage,
  correlationId: string,
  reason: string,
): Promise<DealRecord> {
  const order: DealStage[] = ['POSITIVE_REPLY', 'MEETING_BOOKED', 'QUALIFIED'];
  const updated = await services.store.deals.update(deal.pk, deal.id, (current) =>
    order.indexOf(stage) > order.indexOf(current.stage) ? { ...current, stage, updatedAt: services.clock.now().toISOString() } : undefined,
  );
  if (updated && updated.stage === stage && deal.stage !== stage) {
    await services.crm.upsertDeal(deal.tenantId, { ...crmDealOf(deal), stage });
    await services.audit.append(deal.tenantId, {
      actor: { type: 'system', id: 'deals' },
      type: 'deal.stage_changed',
      correlationId,
      idempotencyKey: `deal.stage:${deal.id}:${stage}`,
      payload: { dealId: deal.id, from: deal.stage, to: stage, reason },
    });
  }
  return updated ?? deal;
}

/**
 * A person moves a deal on in ASEP's CRM or gives its amount. Won deals carry when they were won (what the won
 * figures count); a deal moved away from won no longer does. Mirrored to the CRM and audited once per change.
 */
export async function changeDeal(
  services: Services,
  principal: Principal,
  dealId: string,
  change: DealChange,
  requestId: string,
  correlationId: string,
): Promise<DealRecord> {
  const store = services.store.forTenant(principal.tenantId);
  const before = await store.deals.read(dealId);
  if (!before) throw notFound(`Deal ${dealId}`);
  const now = services.clock.now().toISOString();
  const updated = (await store.deals.update(dealId, (current) => {
    const stage = change.stage ?? current.stage;
    const amount = change.amount ?? current.amount;
    if (stage === current.stage && amount === current.amount) return undefined;
    const { wonAt: _wonAt, ...rest } = current;
    const wonAt = stage === 'WON' ? { wonAt: current.wonAt ?? now } : {};
    return { ...rest, stage, ...(amount !== undefined ? { amount } : {}), ...wonAt, updatedAt: now };
  }))!;
  if (updated.stage === before.stage && updated.amount === before.amount) return updated;
  await services.crm.upsertDeal(principal.tenantId, crmDealOf(updated));
  const to = { stage: updated.stage, amount: updated.amount ?? null };
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: updated.stage === before.stage ? 'deal.amount_changed' : 'deal.stage_changed',
    correlationId,
    idempotencyKey: changeKey('deal.changed', updated.id, to, requestId),
    payload: { dealId: updated.id, from: before.stage, to: updated.stage, amountFrom: before.amount ?? null, amount: updated.amount ?? null },
  });
  return updated;
}
