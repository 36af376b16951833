import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { changeKey } from '@asep/shared/audit/change-key';
import type { Campaign } from '@asep/shared/campaigns/campaign';
import type { KillSwitchRelease } from '@asep/shared/killswitch/killswitch';
import type { DurableClient } from 'durable-functions';
import { findApproval } from '../approvals/approvals';
import type { ApprovalRecord } from '../approvals/records';
import type { Principal } from '../identity/principal';
import type { Services } from '../composition/services';
import { notFound } from '../http/problem';
import type { Touch } from '../mail/message';
import { campaignStartInstanceId, sequenceInstanceId, touchIdFor } from '../orchestrations/instance-ids';
import { raiseEvent, startOrchestration } from '../orchestrations/contracts/contract';
import {
  sequenceCompleted,
  sequenceEvents,
  sequenceOrchestration,
  type SequenceInput,
  type SequencePause,
  type SequenceRetry,
  type SequenceStatus,
} from '../orchestrations/contracts/sequence';
import {
  campaignStartAtOnce,
  campaignStartOrchestration,
  campaignStartPageSize,
  campaignStartProgressSchema,
  type CampaignStartInput,
} from '../orchestrations/contracts/campaign-start';
import { campaignEnrolments, enrolmentRange, prospectEnrolments } from './enrolments';
import type { CampaignRecord, EnrolmentRecord } from './records';

/** What stopping and waking sequences needs of the durable client. */
export interface SequenceControl {
  getStatus(instanceId: string): Promise<{ runtimeStatus?: unknown; customStatus?: unknown } | undefined>;
  terminate(instanceId: string, reason: string): Promise<void>;
  raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void>;
}

export function toCampaign(record: CampaignRecord): Campaign {
  const { pk: _pk, docType: _docType, ...rest } = record;
  return Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('_'))) as unknown as Campaign;
}

export async function findCampaign(services: Services, tenantId: string, campaignId: string): Promise<CampaignRecord> {
  const record = await services.store.forTenant(tenantId).campaigns.read(campaignId);
  if (!record || record.tenantId !== tenantId) throw notFound(`Campaign ${campaignId}`);
  return record;
}

const isRunning = (runtimeStatus: unknown) => ['Running', 'Pending'].includes(String(runtimeStatus));

/**
 * Starts one sequence per prospect, skipping any whose sequence already exists, so starting twice
 * (or resuming after a partial start) never runs a prospect through the campaign twice.
 */
export async function startSequences(
  durable: DurableClient,
  campaign: CampaignRecord,
  enrolments: readonly Pick<EnrolmentRecord, 'prospectId' | 'mailbox'>[],
  correlationId: string,
): Promise<{ started: number; alreadyRunning: number }> {
  const limit = pLimit(8);
  const outcomes = await Promise.all(
    enrolments.map(({ prospectId, mailbox }) =>
      limit(async () => {
        const instanceId = sequenceInstanceId(campaign.tenantId, campaign.id, prospectId);
        const status = await durable.getStatus(instanceId).catch(() => undefined);
        if (status?.runtimeStatus && ['Running', 'Pending', 'Completed', 'Failed'].includes(String(status.runtimeStatus))) return 'alreadyRunning';
        const input: SequenceInput = {
          tenantId: campaign.tenantId,
          campaignId: campaign.id,
          prospectId,
          mailbox,
          stepIndex: 0,
          iteration: 0,
          correlationId,
          ...(campaign.drafting?.mode === 'researched' ? { research: true } : {}),
        };
        await startOrchestration(durable, sequenceOrchestration, instanceId, input);
        return 'started';
      }),
    ),
  );
  return {
    started: outcomes.filter((o) => o === 'started').length,
    alreadyRunning: outcomes.filter((o) => o === 'alreadyRunning').length,
  };
}

/** One page of a campaign start: how many sequences it covers in all, and what this page did. */
export interface CampaignStartPage {
  total: number;
  started: number;
  alreadyRunning: number;
}

/** Starts one page of the campaign's enrolled prospects (or its canary cohort), as the campaign is now. */
export async function startCampaignPage(
  services: Services,
  durable: DurableClient,
  campaign: CampaignRecord,
  cohortOnly: boolean,
  offset: number,
  correlationId: string,
): Promise<CampaignStartPage> {
  const total = startTotal(campaign, cohortOnly);
  const page = await enrolmentRange(services, campaign, offset, Math.min(offset + campaignStartPageSize, total));
  return { total, ...(await startSequences(durable, campaign, page, correlationId)) };
}

/** How many sequences a start covers: everyone enrolled, or the canary cohort. */
function startTotal(campaign: CampaignRecord, cohortOnly: boolean): number {
  return cohortOnly ? (campaign.canaryRun?.cohortSize ?? 0) : campaign.enrolled;
}

/**
 * Starts a small campaign's sequences at once, and has an orchestration start a larger one's in the background (a
 * 10,000-prospect campaign would outlast Azure's 230 s HTTP limit inline): the answer comes at once however large
 * the campaign. A start under way is joined, not repeated; one that has finished runs again, starting only
 * prospects without a sequence (enrolled since, or missed by a failure).
 */
export async function startCampaign(
  services: Services,
  durable: DurableClient,
  campaign: CampaignRecord,
  cohortOnly: boolean,
  correlationId: string,
): Promise<CampaignStartPage> {
  const instanceId = campaignStartInstanceId(campaign.tenantId, campaign.id);
  const current = await durable.getStatus(instanceId).catch(() => undefined);
  const underWay = ['Running', 'Pending'].includes(String(current?.runtimeStatus));
  const reported = campaignStartProgressSchema.safeParse(current?.customStatus);
  if (underWay && reported.success) return reported.data;
  const total = startTotal(campaign, cohortOnly);
  const atOnce = total <= campaignStartAtOnce;
  const progress = atOnce
    ? await startCampaignPage(services, durable, campaign, cohortOnly, 0, correlationId)
    : { total, started: 0, alreadyRunning: 0 };
  const input: CampaignStartInput = {
    tenantId: campaign.tenantId,
    campaignId: campaign.id,
    cohortOnly,
    correlationId,
    from: atOnce ? total : 0,
    progress,
  };
  if (!underWay) await startOrchestration(durable, campaignStartOrchestration, instanceId, input);
  return progress;
}

/**
 * Terminates those of the instances that still run; answers how many did, the approvals they were waiting
 * for, and the instances that do not say (earlier versions), whose pending approvals must be looked up.
 */
async function terminateRunning(durable: SequenceControl, instanceIds: readonly string[], reason: string) {
  const limit = pLimit(8);
  const outcomes = await Promise.all(
    instanceIds.map((instanceId) =>
      limit(async () => {
        const status = await durable.getStatus(instanceId).catch(() => undefined);
        if (!status) return { stopped: false, approvalId: null };
        const { approvalId } = (status.customStatus ?? {}) as SequenceStatus;
        if (isRunning(status.runtimeStatus)) await durable.terminate(instanceId, reason);
        return { stopped: isRunning(status.runtimeStatus), approvalId, instanceId };
      }),
    ),
  );
  return {
    stopped: outcomes.filter((outcome) => outcome.stopped).length,
    approvalIds: outcomes.flatMap((outcome) => (outcome.approvalId ? [outcome.approvalId] : [])),
    unknown: outcomes.flatMap((outcome) => (outcome.approvalId === undefined && outcome.instanceId ? [outcome.instanceId] : [])),
  };
}

/** Withdraws approvals nobody needs to decide any more; one decided meanwhile keeps its decision. */
export async function withdrawApprovals(services: Services, approvals: readonly ApprovalRecord[], reason: string): Promise<void> {
  for (const approval of approvals) {
    await services.store.approvals.update(approval.pk, approval.id, (current) =>
      current.status === 'pending' ? { ...current, status: 'cancelled', reason, decidedAt: services.clock.now().toISOString() } : undefined,
    );
  }
}

/** Stops every sequence of the campaign and withdraws its pending approvals; nothing more is sent. */
export async function stopSequences(services: Services, durable: SequenceControl, campaign: CampaignRecord, reason: string): Promise<number> {
  const { stopped } = await terminateRunning(durable, sequencesOf(campaign, await campaignEnrolments(services, campaign)), reason);
  await withdrawCampaignApprovals(services, campaign, reason);
  return stopped;
}

/** Withdraws every approval still pending in a campaign whose sequences have ended. */
export async function withdrawCampaignApprovals(
  services: Services,
  campaign: Pick<CampaignRecord, 'tenantId' | 'id'>,
  reason: string,
): Promise<void> {
  const pending = await services.store.approvals.query(campaign.tenantId, "c.campaignId = @campaignId AND c.status = 'pending'", [
    { name: '@campaignId', value: campaign.id },
  ]);
  await withdrawApprovals(services, pending, reason);
}

/** Stops the campaign (once) and every one of its sequences; audited. Answers how many sequences were still running. */
export async function stopCampaign(
  services: Services,
  durable: SequenceControl,
  principal: Principal,
  campaign: CampaignRecord,
  reason: string | undefined,
  correlationId: string,
): Promise<number> {
  const stoppedRecord = await services.store.campaigns.update(campaign.pk, campaign.id, (current) =>
    current.status === 'stopped' ? undefined : { ...current, status: 'stopped', stoppedAt: services.clock.now().toISOString() },
  );
  const stopped = await stopSequences(services, durable, stoppedRecord!, reason ?? `stopped by ${principal.name}`);
  // Stopping what stands stopped, with nothing left running, changes nothing and is not audited again.
  if (campaign.status === 'stopped' && stopped === 0) return 0;
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'campaign.stopped',
    correlationId,
    idempotencyKey: changeKey('campaign.stopped', campaign.id, { sequencesStopped: stopped }, randomUUID()),
    payload: { campaignId: campaign.id, sequencesStopped: stopped, reason: reason ?? null },
  });
  return stopped;
}

/**
 * Turning a kill switch off, for one page of the campaign's sequences (`limit` from `offset`): tells each running
 * one to go on (`resume`) or ends it (`end`). Every running one, not only those showing the hold: one may have
 * found the switch on an instant before it was turned off. Answers how many it looked at, how many of them waited
 * on the switch, and how many it resumed or ended.
 */
export async function releaseSequencePage(
  services: Services,
  durable: SequenceControl,
  campaign: CampaignRecord,
  page: { offset: number; limit: number; release: KillSwitchRelease; reason: string },
): Promise<{ checked: number; held: number; resumed: number; ended: number }> {
  const concurrency = pLimit(8);
  const instanceIds = sequencesOf(campaign, await enrolmentRange(services, campaign, page.offset, page.offset + page.limit));
  const outcomes = await Promise.all(
    instanceIds.map((instanceId) =>
      concurrency(async () => {
        const status = await durable.getStatus(instanceId).catch(() => undefined);
        if (!status || !isRunning(status.runtimeStatus)) return undefined;
        if (page.release === 'end') await durable.terminate(instanceId, page.reason);
        else await raiseEvent(durable, instanceId, sequenceEvents.release, {});
        return { held: (status.customStatus as SequenceStatus | null)?.heldByKillSwitch === true };
      }),
    ),
  );
  const running = outcomes.filter((outcome) => outcome !== undefined);
  const told = running.length;
  return {
    checked: instanceIds.length,
    held: running.filter((outcome) => outcome.held).length,
    resumed: page.release === 'resume' ? told : 0,
    ended: page.release === 'end' ? told : 0,
  };
}

function sequencesOf(campaign: CampaignRecord, enrolments: readonly EnrolmentRecord[]): string[] {
  return enrolments.map((enrolment) => sequenceInstanceId(campaign.tenantId, campaign.id, enrolment.prospectId));
}

/** The prospect's sequences: one in each campaign of the tenant that enrolled them (enrolments share the tenant's partition). */
async function prospectSequences(services: Services, tenantId: string, prospectId: string): Promise<string[]> {
  const enrolments = await prospectEnrolments(services, tenantId, prospectId);
  return enrolments.map((enrolment) => sequenceInstanceId(tenantId, enrolment.campaignId, prospectId));
}

/**
 * Stops sequences of one prospect (those named, else every one in the tenant) and withdraws their pending
 * approvals: after an unsubscribe, a bounce or a reply nobody should be asked to approve another email to them.
 */
export async function stopProspectSequences(
  services: Services,
  durable: SequenceControl,
  tenantId: string,
  prospectId: string,
  reason: string,
  only?: readonly string[],
): Promise<number> {
  const instanceIds = only ?? (await prospectSequences(services, tenantId, prospectId));
  const { stopped, approvalIds, unknown } = await terminateRunning(durable, instanceIds, reason);
  const named = await Promise.all(approvalIds.map((approvalId) => findApproval(services, tenantId, approvalId).catch(() => undefined)));
  const searched =
    unknown.length === 0
      ? []
      : await services.store.approvals.query(tenantId, "c.status = 'pending' AND ARRAY_CONTAINS(@instanceIds, c.instanceId)", [
          { name: '@instanceIds', value: unknown },
        ]);
  await withdrawApprovals(services, [...named.filter((approval) => approval !== undefined), ...searched], reason);
  return stopped;
}

/** Holds the sends of every running sequence of the prospect until `until`; answers how many were told. */
export async function pauseProspectSequences(
  services: Services,
  durable: DurableClient,
  tenantId: string,
  prospectId: string,
  until: string,
): Promise<number> {
  const pause: SequencePause = { until };
  let paused = 0;
  for (const instanceId of await prospectSequences(services, tenantId, prospectId)) {
    const status = await durable.getStatus(instanceId).catch(() => undefined);
    if (!status || !isRunning(status.runtimeStatus)) continue;
    await raiseEvent(durable, instanceId, sequenceEvents.pause, pause);
    paused += 1;
  }
  return paused;
}

/**
 * Has the sequence that sent `touch` send that step again, not before `notBefore`. A running sequence is told
 * (and ignores it when it has sent another email since); one that has since run out of steps, `touch` being
 * its last email, starts again at that step. A stopped, rejected or blocked sequence is left as it is.
 */
export async function retryBouncedStep(durable: DurableClient, touch: Touch, notBefore: string, correlationId: string): Promise<void> {
  if (!touch.instanceId || touch.step === undefined) return;
  const retry: SequenceRetry = {
    internetMessageId: touch.internetMessageId,
    stepIndex: touch.step,
    ...(touch.inReplyTo ? { previousTouch: { internetMessageId: touch.inReplyTo, references: touch.references ?? [] } } : {}),
    notBefore,
  };
  const status = await durable.getStatus(touch.instanceId).catch(() => undefined);
  if (isRunning(status?.runtimeStatus)) {
    await raiseEvent(durable, touch.instanceId, sequenceEvents.retry, retry);
    return;
  }
  const last = status?.input as SequenceInput | undefined;
  const ranOut = status?.runtimeStatus === 'Completed' && status.output === sequenceCompleted;
  // The sequence ends in the execution that sent its last email (earlier versions ran once more after it).
  const lastEmail =
    last && (touch.id === touchIdFor(touch.instanceId, last.iteration) || last.previousTouch?.internetMessageId === touch.internetMessageId);
  if (!ranOut || !last || !lastEmail) return;
  const input: SequenceInput = {
    ...last,
    stepIndex: retry.stepIndex,
    iteration: last.iteration + 1,
    previousTouch: retry.previousTouch,
    pausedUntil: notBefore,
    retryOf: touch.internetMessageId,
    correlationId,
  };
  await startOrchestration(durable, sequenceOrchestration, touch.instanceId, input);
}
