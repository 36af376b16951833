import { sha256 } from '@asep/shared/audit/chain';
import { type AuditActor } from '@asep/shared/audit/event';
import type { CanaryCohort } from '@asep/shared/campaigns/campaign';
import type { PolicyRules } from '@asep/shared/policy/document';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';
import { findCampaign } from '../campaigns/campaigns';
import { enrolmentId, enrolmentRange, inCanaryCohort } from '../campaigns/enrolments';
import type { CanaryRun } from '@asep/shared/campaigns/campaign';
import type { CampaignRecord } from '../campaigns/records';
import type { Services } from '../composition/services';
import { conflict, notFound } from '../http/problem';
import type { Principal } from '../identity/principal';
import { turnKillSwitchOn } from '../killswitch/killswitch';
import { currentPolicy } from '../policies/policies';
import { findProspect } from '../prospects/prospects';
import { healthWindowDays, mailboxHealth } from './mailbox-health';
import { queryTouches } from '../mail/touches';
import { canaryPromotedEvent } from '../orchestrations/contracts/canary';

export interface CanaryPromotion {
  by: { id: string; name: string };
  at: string;
  correlationId: string;
}

export function canaryInstanceId(tenantId: string, campaignId: string): string {
  return `canary-${sha256(`${tenantId}|${campaignId}`).slice(0, 32)}`;
}

type RaiseEvent = (instanceId: string, eventName: string, data: unknown) => Promise<void>;

const canaryMonitor: AuditActor = { type: 'system', id: 'canary-monitor', name: 'Canary monitor' };

/** How many of the first prospects enrolled make the cohort: `size` of them, or `percent` of them rounded up (at least one). */
export function canaryCohortSize(enrolled: number, canary: CanaryCohort): number {
  const size = 'size' in canary ? canary.size : Math.ceil((enrolled * canary.percent) / 100);
  return Math.min(enrolled, Math.max(1, size));
}

/** A campaign still held to its canary cohort (running, or halted and not yet promoted). */
export function heldToCanary(campaign: CampaignRecord): boolean {
  return campaign.canaryRun !== undefined && campaign.canaryRun.status !== 'promoted';
}

type CanarySignals = Pick<CanaryReport, 'sent' | 'bounces' | 'unsubscribes' | 'negativeReplies'>;

/**
 * What happened to the cohort prospects the canary emailed: how many bounced (hard, or soft too often) or
 * unsubscribed (by reply or link), and how many replied with an objection.
 */
async function canarySignals(services: Services, campaign: CampaignRecord, run: CanaryRun): Promise<CanarySignals> {
  const parameters = [{ name: '@campaignId', value: campaign.id }];
  const [touches, objections] = await Promise.all([
    queryTouches(services.store, campaign.tenantId, "c.status = 'sent' AND c.campaignId = @campaignId", parameters),
    services.store.messages.query(
      campaign.tenantId,
      "c.direction = 'inbound' AND c.campaignId = @campaignId AND c.triage.classification.label = 'objection'",
      parameters,
    ),
  ]);
  const cohort = new Set((await enrolmentRange(services, campaign, 0, run.cohortSize)).map((enrolment) => enrolment.prospectId));
  const inCohort = (prospectId: string | undefined): prospectId is string => prospectId !== undefined && cohort.has(prospectId);
  const emailed = [...new Set(touches.map((touch) => touch.prospectId).filter(inCohort))];
  const prospects = await Promise.all(emailed.map((prospectId) => findProspect(services, campaign.tenantId, prospectId)));
  const withStatus = (status: string) => prospects.filter((prospect) => prospect?.status === status).length;
  return {
    sent: emailed.length,
    bounces: withStatus('bounced'),
    unsubscribes: withStatus('unsubscribed'),
    negativeReplies: new Set(objections.map((reply) => reply.prospectId).filter(inCohort)).size,
  };
}

/** The signals over their threshold, each worded for the halt reason. */
function breaches(signals: CanarySignals, thresholds: PolicyRules['canary']['thresholds']): string[] {
  if (signals.sent === 0) return [];
  const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;
  return [
    { name: 'bounces', count: signals.bounces, limit: thresholds.bounceRate },
    { name: 'unsubscribes', count: signals.unsubscribes, limit: thresholds.unsubscribeRate },
    { name: 'negative replies', count: signals.negativeReplies, limit: thresholds.negativeRate },
  ]
    .filter(({ count, limit }) => count / signals.sent > limit)
    .map(({ name, count, limit }) => `${name} ${count} of ${signals.sent} sent (${percent(count / signals.sent)}) over the ${percent(limit)} limit`);
}

function reportOf(campaign: CampaignRecord, run: CanaryRun, signals: CanarySignals, rules: PolicyRules): CanaryReport {
  return {
    campaignId: campaign.id,
    campaignName: campaign.name,
    ...signals,
    thresholds: rules.canary.thresholds,
    status: run.status,
    ...(run.decidedBy ? { decidedBy: run.decidedBy } : {}),
    ...(run.decidedAt ? { decidedAt: run.decidedAt } : {}),
  };
}

function canaryRunOf(campaign: CampaignRecord): CanaryRun {
  if (!campaign.canaryRun) throw notFound(`A canary run of campaign ${campaign.id}`);
  return campaign.canaryRun;
}

/** How the canary is doing, in the shape the Teams canary card shows. */
export async function canaryReport(services: Services, tenantId: string, campaignId: string): Promise<CanaryReport> {
  const campaign = await findCampaign(services, tenantId, campaignId);
  const run = canaryRunOf(campaign);
  const [signals, policy] = await Promise.all([canarySignals(services, campaign, run), currentPolicy(services, tenantId)]);
  return reportOf(campaign, run, signals, policy.rules);
}

/** Marks the running canary halted; false when it was decided already (by someone else, or just now). */
async function markHalted(services: Services, campaign: CampaignRecord, by: string, reason: string): Promise<boolean> {
  let halted = false;
  await services.store.campaigns.update(campaign.pk, campaign.id, (current) => {
    if (current.canaryRun?.status !== 'running') return undefined;
    halted = true;
    return {
      ...current,
      canaryRun: { ...current.canaryRun, status: 'halted', decidedBy: by, decidedAt: services.clock.now().toISOString(), haltReason: reason },
    };
  });
  return halted;
}

async function auditHalt(services: Services, campaign: CampaignRecord, actor: AuditActor, reason: string, correlationId: string): Promise<void> {
  await services.audit.append(campaign.tenantId, {
    actor,
    type: 'canary.halted',
    correlationId,
    idempotencyKey: `canary.halted:${campaign.id}`,
    payload: { campaignId: campaign.id, reason },
  });
}

/**
 * Checks a running canary against the policy's thresholds and the sending mailbox's health; over any of them,
 * it halts the campaign: its kill switch goes on (reason "canary halted: …"), so nothing more is sent. Audited.
 */
export async function evaluateCanary(services: Services, tenantId: string, campaignId: string, correlationId: string): Promise<void> {
  const campaign = await services.store.forTenant(tenantId).campaigns.read(campaignId);
  if (campaign?.canaryRun?.status !== 'running') return;
  const [signals, policy, [mailbox]] = await Promise.all([
    canarySignals(services, campaign, campaign.canaryRun),
    currentPolicy(services, tenantId),
    mailboxHealth(services, tenantId, campaign.mailbox),
  ]);
  const reasons = breaches(signals, policy.rules.canary.thresholds);
  if (mailbox?.health === 'poor') reasons.push(`${campaign.mailbox} is in poor health over the last ${healthWindowDays} days`);
  if (reasons.length === 0) return;
  const reason = reasons.join('; ');
  if (!(await markHalted(services, campaign, canaryMonitor.name!, reason))) return;
  const killSwitchReason = `canary halted: ${reason}`;
  await services.store.forTenant(tenantId).killSwitches.update('killswitch', (current) => ({
    ...current,
    campaigns: {
      ...current.campaigns,
      [campaignId]: { active: true, reason: killSwitchReason, changedBy: canaryMonitor.name!, changedAt: services.clock.now().toISOString() },
    },
  }));
  await services.audit.append(tenantId, {
    actor: canaryMonitor,
    type: 'killswitch.activated',
    correlationId,
    idempotencyKey: `killswitch:canary:${campaignId}`,
    payload: { scope: 'campaign', campaignId, reason: killSwitchReason },
  });
  await auditHalt(services, campaign, canaryMonitor, reason, correlationId);
  await services.notify.canaryHalted(tenantId, await canaryReport(services, tenantId, campaignId));
}

/** Evaluates every running canary the prospect is part of (after an unsubscribe that came by link, not reply). */
export async function evaluateCanariesOf(services: Services, tenantId: string, prospectId: string, correlationId: string): Promise<void> {
  const store = services.store.forTenant(tenantId);
  const canaries = await store.campaigns.queryPartition("c.canaryRun.status = 'running'");
  if (canaries.length === 0) return;
  const enrolments = await store.enrolments.readMany(canaries.map((campaign) => enrolmentId(campaign.id, prospectId)));
  for (const campaign of canaries) {
    const enrolment = enrolments.find((candidate) => candidate.campaignId === campaign.id);
    if (enrolment && inCanaryCohort(campaign, enrolment)) await evaluateCanary(services, tenantId, campaign.id, correlationId);
  }
}

/** A Manager halts a running canary by hand: the campaign's kill switch goes on. */
export async function haltCanary(
  services: Services,
  principal: Principal,
  campaignId: string,
  reason: string | undefined,
  correlationId: string,
): Promise<CanaryReport> {
  const campaign = await findCampaign(services, principal.tenantId, campaignId);
  const run = canaryRunOf(campaign);
  const why = reason ?? `halted by ${principal.name}`;
  if (!(await markHalted(services, campaign, principal.name, why))) {
    throw conflict(`The canary of ${campaign.name} was already ${run.status}${run.decidedBy ? ` by ${run.decidedBy}` : ''}; nothing was changed.`);
  }
  await turnKillSwitchOn(services, principal, { scope: 'campaign', campaignId, active: true, reason: `canary halted: ${why}` }, correlationId);
  await auditHalt(services, campaign, { type: 'user', id: principal.userId, name: principal.name }, why, correlationId);
  return canaryReport(services, principal.tenantId, campaignId);
}

/** Records the promotion once, whoever gets there first: the request that asked for it, or the canary run. */
export async function recordPromotion(services: Services, tenantId: string, campaignId: string, promotion: CanaryPromotion): Promise<CampaignRecord> {
  const campaign = await findCampaign(services, tenantId, campaignId);
  const promoted = await services.store.campaigns.update(campaign.pk, campaign.id, (current) =>
    current.canaryRun && current.canaryRun.status !== 'promoted'
      ? { ...current, canaryRun: { ...current.canaryRun, status: 'promoted', decidedBy: promotion.by.name, decidedAt: promotion.at } }
      : undefined,
  );
  await services.audit.append(tenantId, {
    actor: { type: 'user', id: promotion.by.id, name: promotion.by.name },
    type: 'canary.promoted',
    correlationId: promotion.correlationId,
    idempotencyKey: `canary.promoted:${campaignId}`,
    payload: { campaignId, cohort: campaign.canaryRun?.cohortSize ?? 0, enrolled: campaign.enrolled },
  });
  return promoted!;
}

/**
 * A Manager promotes the canary to a full run: the canary run's orchestration starts the sequences of everyone
 * else enrolled. A halted canary can be promoted once its kill switch was released (looked into, on purpose).
 */
export async function promoteCanary(
  services: Services,
  raiseEvent: RaiseEvent,
  principal: Principal,
  campaignId: string,
  correlationId: string,
): Promise<CampaignRecord> {
  const campaign = await findCampaign(services, principal.tenantId, campaignId);
  const run = campaign.canaryRun;
  if (!run) throw conflict(`${campaign.name} was not started with a canary: there is nothing to promote.`);
  if (run.status === 'promoted') throw conflict(`The canary of ${campaign.name} was already promoted by ${run.decidedBy}; nothing was changed.`);
  if (campaign.status !== 'running') throw conflict(`${campaign.name} is ${campaign.status}: its canary cannot be promoted.`);
  if (run.status === 'halted') {
    const killSwitch = await services.store.forTenant(principal.tenantId).killSwitches.read('killswitch');
    if (killSwitch?.campaigns[campaignId]?.active) {
      throw conflict(`The canary halted ${campaign.name} (${run.haltReason}). Look into it and release the campaign's kill switch before promoting.`);
    }
  }
  const promotion: CanaryPromotion = { by: { id: principal.userId, name: principal.name }, at: services.clock.now().toISOString(), correlationId };
  await raiseEvent(canaryInstanceId(principal.tenantId, campaignId), canaryPromotedEvent, promotion);
  return recordPromotion(services, principal.tenantId, campaignId, promotion);
}
