import { sha256 } from '@asep/shared/audit/chain';
import type { Enrolment } from '@asep/shared/campaigns/campaign';
import type { AssignableProspect } from '@asep/shared/reps/assignment';
import type { Services } from '../composition/services';
import { conflict } from '../http/problem';
import { ConflictError, PreconditionFailedError } from '../store/documents';
import { assignCampaign } from './assignment';
import type { CampaignRecord, EnrolmentRecord } from './records';

/**
 * Enrolments are records of their own, kept beside their campaign in the tenant's partition: the campaign holds
 * only their count and each mailbox's share, so it stays small however many are enrolled, and enrolling writes
 * the campaign and its new enrolments in one transactional batch.
 */
export function enrolmentId(campaignId: string, prospectId: string): string {
  return `enr-${sha256(`${campaignId}|${prospectId}`).slice(0, 24)}`;
}

export function toEnrolment(record: EnrolmentRecord): Enrolment {
  const { campaignId, prospectId, ordinal, mailbox, reason, enrolledAt } = record;
  return { campaignId, prospectId, ordinal, mailbox, reason, enrolledAt };
}

/** A transactional batch holds 100 operations: the campaign's replace and 99 enrolments. */
const enrolmentsPerBatch = 99;
/** Ids asked for in one query (its parameters count against Cosmos DB's query size limit). */
const idsPerQuery = 1_000;

function enrolments(services: Services, tenantId: string) {
  return services.store.forTenant(tenantId).enrolments;
}

/** Which of these prospects the campaign has enrolled already. */
async function enrolledAmong(services: Services, campaign: CampaignRecord, prospectIds: readonly string[]): Promise<Set<string>> {
  if (campaign.enrolled === 0 || prospectIds.length === 0) return new Set();
  const found: EnrolmentRecord[] = [];
  for (let from = 0; from < prospectIds.length; from += idsPerQuery) {
    const ids = prospectIds.slice(from, from + idsPerQuery).map((prospectId) => enrolmentId(campaign.id, prospectId));
    found.push(...(await enrolments(services, campaign.tenantId).readMany(ids)));
  }
  return new Set(found.map((enrolment) => enrolment.prospectId));
}

/**
 * Enrols the prospects the campaign has not enrolled yet, in the order given, each with its mailbox: 99 at a time,
 * each batch with the campaign's new count, so the count, the mailboxes' loads and the enrolment order always
 * agree. A batch refused because someone enrolled or changed the campaign meanwhile is made again from what is
 * stored then. Answers the campaign as it is after, and the enrolments made.
 */
export async function enrolProspects(
  services: Services,
  campaign: CampaignRecord,
  prospects: readonly AssignableProspect[],
): Promise<{ campaign: CampaignRecord; added: EnrolmentRecord[] }> {
  const store = services.store.forTenant(campaign.tenantId);
  const enrolledAt = services.clock.now().toISOString();
  const already = await enrolledAmong(
    services,
    campaign,
    prospects.map((prospect) => prospect.id),
  );
  let pending = prospects.filter((prospect) => !already.has(prospect.id));
  const full = assignCampaign(campaign, pending).unassigned;
  if (full.length > 0) {
    throw conflict(
      `Nothing was enrolled: the campaign's mailboxes have room for ${pending.length - full.length} of these ${pending.length} prospects under their caps. Raise a cap or add a mailbox.`,
      { unassigned: full },
    );
  }
  let current = campaign;
  const added: EnrolmentRecord[] = [];
  for (let refused = 0; pending.length > 0;) {
    const batch = pending.slice(0, enrolmentsPerBatch);
    const { assignments, unassigned, load } = assignCampaign(current, batch);
    if (unassigned.length > 0) {
      throw conflict(
        `${added.length > 0 ? `${added.length} were enrolled; the rest were not` : 'Nothing was enrolled'}: the campaign's mailboxes filled up meanwhile.`,
        { unassigned: pending.map((prospect) => prospect.id) },
      );
    }
    const made = batch.map((prospect, index) =>
      store.enrolments.stored({
        id: enrolmentId(current.id, prospect.id),
        campaignId: current.id,
        prospectId: prospect.id,
        ordinal: current.enrolled + index,
        ...assignments[prospect.id]!,
        enrolledAt,
      }),
    );
    try {
      current = await store.campaigns.replaceWith({ ...current, enrolled: current.enrolled + made.length, mailboxLoad: load }, made);
      added.push(...made);
      pending = pending.slice(batch.length);
      refused = 0;
    } catch (error) {
      if (!(error instanceof PreconditionFailedError || error instanceof ConflictError)) throw error;
      if ((refused += 1) > 20) throw new PreconditionFailedError(`campaign ${campaign.id} is contended; try again`);
      current = (await store.campaigns.readFresh(campaign.id)) ?? current;
      const meanwhile = await enrolledAmong(
        services,
        current,
        batch.map((prospect) => prospect.id),
      );
      pending = pending.filter((prospect) => !meanwhile.has(prospect.id));
    }
  }
  return { campaign: current, added };
}

/** The campaign's enrolments from ordinal `from` up to (not including) `to`, in enrolment order. */
export async function enrolmentRange(services: Services, campaign: CampaignRecord, from: number, to: number): Promise<EnrolmentRecord[]> {
  if (to <= from) return [];
  const found = await enrolments(services, campaign.tenantId).queryPartition(
    'c.campaignId = @campaignId AND c.ordinal >= @from AND c.ordinal < @to',
    [
      { name: '@campaignId', value: campaign.id },
      { name: '@from', value: from },
      { name: '@to', value: to },
    ],
  );
  return found.sort((a, b) => a.ordinal - b.ordinal);
}

/** Every enrolment of the campaign, in enrolment order. */
export function campaignEnrolments(services: Services, campaign: CampaignRecord): Promise<EnrolmentRecord[]> {
  return enrolmentRange(services, campaign, 0, campaign.enrolled);
}

/** The prospect's enrolments, one per campaign that enrolled them. */
export function prospectEnrolments(services: Services, tenantId: string, prospectId: string): Promise<EnrolmentRecord[]> {
  return enrolments(services, tenantId).queryPartition('c.prospectId = @prospectId', [{ name: '@prospectId', value: prospectId }]);
}

/** Whether the enrolment is in the campaign's canary cohort (the first prospects enrolled). */
export function inCanaryCohort(campaign: Pick<CampaignRecord, 'canaryRun'>, enrolment: Pick<EnrolmentRecord, 'ordinal'>): boolean {
  return campaign.canaryRun !== undefined && enrolment.ordinal < campaign.canaryRun.cohortSize;
}
