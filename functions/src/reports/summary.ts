import type { Services } from '../composition/services';
import { mailboxHealth } from '../deliverability/mailbox-health';
import { queryTouches } from '../mail/touches';

interface CampaignFigures {
  campaignId: string;
  name: string;
  sent: number;
  replies: number;
  positive: number;
  meetings: number;
  deals: number;
  pipelineAmount: number;
}

const bands = [
  { band: '≥ 0.85', min: 0.85, max: Infinity },
  { band: '0.65–0.84', min: 0.65, max: 0.85 },
  { band: '< 0.65', min: -Infinity, max: 0.65 },
];

/**
 * What the ROI page and the daily digest show. Computed from the records on each call, which is
 * fine at the volumes of one console user; a tenant sending at scale would keep these as counters.
 */
export async function summaryReport(services: Services, tenantId: string) {
  const { store } = services;
  const [campaigns, touches, replies, deals, meetings, audit, deliverability] = await Promise.all([
    store.campaigns.query(tenantId),
    queryTouches(store, tenantId, "c.status = 'sent'"),
    store.messages.query(tenantId, "c.direction = 'inbound' AND c.triage.status = 'done'"),
    store.deals.query(tenantId),
    store.bookings.query(tenantId, "c.status = 'booked'"),
    services.audit.all(tenantId),
    mailboxHealth(services, tenantId),
  ]);
  const policyBlocks = audit.filter(
    (event) => event.type === 'email.blocked' || (event.type === 'policy.decided' && event.payload.allow === false),
  ).length;

  const labelOf = (reply: (typeof replies)[number]) => reply.triage?.classification?.label;
  const positives = replies.filter((reply) => labelOf(reply) === 'positive');
  const amount = (list: typeof deals) => list.reduce((sum, deal) => sum + (deal.amount ?? 0), 0);

  // A meeting counts for each campaign its prospect is enrolled in.
  const met = [...new Set(meetings.map((meeting) => meeting.prospectId))];
  const metEnrolments =
    met.length === 0
      ? []
      : await store
          .forTenant(tenantId)
          .enrolments.queryPartition('ARRAY_CONTAINS(@prospectIds, c.prospectId)', [{ name: '@prospectIds', value: met }]);
  const byCampaign: CampaignFigures[] = campaigns.map((campaign) => {
    const campaignDeals = deals.filter((deal) => deal.campaignId === campaign.id);
    const prospectIds = new Set(metEnrolments.filter((enrolment) => enrolment.campaignId === campaign.id).map((enrolment) => enrolment.prospectId));
    return {
      campaignId: campaign.id,
      name: campaign.name,
      sent: touches.filter((touch) => touch.campaignId === campaign.id).length,
      replies: replies.filter((reply) => reply.campaignId === campaign.id).length,
      positive: positives.filter((reply) => reply.campaignId === campaign.id).length,
      meetings: meetings.filter((meeting) => prospectIds.has(meeting.prospectId)).length,
      deals: campaignDeals.length,
      pipelineAmount: amount(campaignDeals),
    };
  });

  const byConfidenceBand = bands.map(({ band, min, max }) => {
    const inBand = positives.filter((reply) => {
      const confidence = reply.triage!.classification!.confidence;
      return confidence >= min && confidence < max;
    });
    const ids = new Set(inBand.map((reply) => reply.id));
    const bandDeals = deals.filter((deal) => ids.has(deal.sourceMessageId));
    return { band, replies: inBand.length, deals: bandDeals.length, pipelineAmount: amount(bandDeals) };
  });

  return {
    sent: touches.length,
    replies: replies.length,
    positive: positives.length,
    meetings: meetings.length,
    dealsCreated: deals.length,
    pipelineAmount: amount(deals),
    policyBlocks,
    repliesByLabel: Object.fromEntries(
      ['positive', 'neutral', 'objection', 'unsubscribe', 'ooo', 'bounce'].map((label) => [
        label,
        replies.filter((r) => labelOf(r) === label).length,
      ]),
    ),
    byCampaign,
    byConfidenceBand,
    deliverability,
  };
}

/** How often people corrected each label the classifier gave: the tenant's own precision. */
export async function precisionReport(services: Services, tenantId: string) {
  const replies = await services.store.messages.query(tenantId, "c.direction = 'inbound' AND c.triage.status = 'done'");
  const labels = ['positive', 'neutral', 'objection', 'unsubscribe', 'ooo', 'bounce'];
  return {
    labels: labels.map((label) => {
      const given = replies.filter((reply) => (reply.triage?.originalLabel ?? reply.triage?.classification?.label) === label);
      const corrected = given.filter(
        (reply) => reply.triage?.originalLabel !== undefined && reply.triage.originalLabel !== reply.triage.classification?.label,
      );
      return {
        label,
        classified: given.length,
        corrected: corrected.length,
        precision: given.length ? (given.length - corrected.length) / given.length : null,
      };
    }),
  };
}
