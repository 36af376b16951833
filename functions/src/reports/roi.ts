import { roiReport, type RoiInputs, type RoiPeriod, type RoiReport } from '@asep/shared/reports/roi';
import type { Services } from '../composition/services';
import { currentPolicy } from '../policies/policies';
import { queryTouches } from '../mail/touches';

/**
 * Reads what the managers' numbers are made of and hands it to the pure report. Only the period's sends are read,
 * and of the older ones only those the period's outcomes need: the sends its replies answer, and every earlier send
 * to a prospect with a meeting, deal or win in the period (the first send is whom those are credited to). A tenant's
 * history of sends is never read whole.
 */
export async function loadRoiReport(services: Services, tenantId: string, period: RoiPeriod): Promise<RoiReport> {
  const { store } = services;
  const [sendsInPeriod, replies, meetings, deals, approvals, campaigns, reps, policy] = await Promise.all([
    queryTouches(store, tenantId, "c.status = 'sent' AND c.at >= @from AND c.at < @to", [
      { name: '@from', value: period.from },
      { name: '@to', value: period.to },
    ]),
    store.messages.query(tenantId, "c.direction = 'inbound' AND c.triage.status = 'done' AND c.at >= @from AND c.at < @to", [
      { name: '@from', value: period.from },
      { name: '@to', value: period.to },
    ]),
    store.bookings.query(tenantId, "c.status = 'booked'"),
    store.deals.query(tenantId),
    store.approvals.query(tenantId, "c.status = 'approved' AND c.kind != 'deal_create' AND c.decidedAt >= @from AND c.decidedAt < @to", [
      { name: '@from', value: period.from },
      { name: '@to', value: period.to },
    ]),
    store.campaigns.query(tenantId),
    store.reps.query(tenantId),
    currentPolicy(services, tenantId),
  ]);
  const inPeriod = (at: string | undefined) => at !== undefined && at >= period.from && at < period.to;
  const creditedProspects = [
    ...new Set([
      ...meetings.filter((meeting) => inPeriod(meeting.bookedAt)).map((meeting) => meeting.prospectId),
      ...deals.filter((deal) => inPeriod(deal.createdAt) || inPeriod(deal.wonAt)).map((deal) => deal.prospectId),
    ]),
  ];
  const answeredTouches = [...new Set(replies.flatMap((reply) => (reply.triage?.matchedTouchId ? [reply.triage.matchedTouchId] : [])))];
  const earlier =
    creditedProspects.length || answeredTouches.length
      ? await queryTouches(
          store,
          tenantId,
          "c.status = 'sent' AND c.at < @from AND (ARRAY_CONTAINS(@prospects, c.prospectId) OR ARRAY_CONTAINS(@touches, c.id))",
          [
            { name: '@from', value: period.from },
            { name: '@prospects', value: creditedProspects },
            { name: '@touches', value: answeredTouches },
          ],
        )
      : [];
  const sends = [...sendsInPeriod, ...earlier];
  const touchOfApproval = new Map(sends.filter((send) => send.approvalId).map((send) => [send.approvalId!, send.id]));
  const inputs: RoiInputs = {
    sends: sends
      .filter((send) => send.campaignId && send.prospectId)
      .map((send) => ({
        touchId: send.id,
        at: send.at,
        campaignId: send.campaignId!,
        step: send.step ?? 0,
        mailbox: send.mailbox,
        prospectId: send.prospectId!,
      })),
    replies: replies.flatMap((reply) => {
      const label = reply.triage?.classification?.label;
      const touchId = reply.triage?.matchedTouchId;
      return label && touchId ? [{ at: reply.at, label, touchId }] : [];
    }),
    meetings: meetings.map((meeting) => ({ bookedAt: meeting.bookedAt, prospectId: meeting.prospectId })),
    deals: deals.map((deal) => ({
      createdAt: deal.createdAt,
      prospectId: deal.prospectId,
      campaignId: deal.campaignId,
      amount: deal.amount,
      stage: deal.stage,
      ...(deal.wonAt ? { wonAt: deal.wonAt } : {}),
    })),
    approvedDrafts: approvals.map((approval) => ({
      decidedAt: approval.decidedAt!,
      touchId: touchOfApproval.get(approval.id),
      campaignId: approval.campaignId,
    })),
    names: {
      mailboxes: Object.fromEntries(reps.filter((rep) => rep.name).map((rep) => [rep.mailbox, rep.name!])),
      campaigns: Object.fromEntries(campaigns.map((campaign) => [campaign.id, campaign.name])),
    },
    settings: { minutesSavedPerEmail: policy.rules.reporting.minutesSavedPerEmail, defaultDealAmount: policy.rules.deals.defaultAmount },
  };
  return roiReport(inputs, period);
}
