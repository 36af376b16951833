import { isAllowed } from '@asep/shared/access/matrix';
import { changeKey } from '@asep/shared/audit/change-key';
import { randomUUID } from 'node:crypto';
import type { KillSwitchChange, KillSwitchRelease, KillSwitchResumption, KillSwitchState } from '@asep/shared/killswitch/killswitch';
import type { DurableClient } from 'durable-functions';
import { findCampaign, releaseSequencePage, withdrawCampaignApprovals, type SequenceControl } from '../campaigns/campaigns';
import type { Services } from '../composition/services';
import { forbidden } from '../http/problem';
import type { Principal } from '../identity/principal';
import { startOrchestration } from '../orchestrations/contracts/contract';
import {
  killSwitchReleaseOrchestration,
  killSwitchReleasePageSize,
  type KillSwitchReleaseCampaignInput,
  type KillSwitchReleaseFinishInput,
  type KillSwitchReleaseInput,
  type KillSwitchReleasePage,
  type KillSwitchReleasePageInput,
  type KillSwitchReleaseScope,
} from '../orchestrations/contracts/killswitch-release';
import { killSwitchReleaseInstanceId } from '../orchestrations/instance-ids';

export function toKillSwitchState(record: KillSwitchState): KillSwitchState {
  return { ...(record.tenant && { tenant: record.tenant }), campaigns: record.campaigns };
}

export async function readKillSwitches(services: Services, tenantId: string): Promise<KillSwitchState> {
  const record = await services.store.forTenant(tenantId).killSwitches.read('killswitch');
  return toKillSwitchState(record ?? { campaigns: {} });
}

/** What turning a switch off needs of the durable client: stopping sequences, and starting the background release. */
export type KillSwitchControl = SequenceControl & Pick<DurableClient, 'startNew'>;

/**
 * Flips a kill switch. While one is on, nothing in its scope is sent, including sends already approved or queued:
 * the sequences wait where they are, their timers running on. Turning it off resumes them (the default), or, with
 * `release: 'end'`, stops every campaign in scope and ends their sequences, so that nothing held is sent at all.
 * Audited with what was chosen and how many sequences it touched.
 *
 * Either happens in the background (`killSwitchRelease`): the switch is saved off at once, with the release's id
 * in `resumption`, and the release records how many sequences it resumed or ended when it is done; a switch
 * turned off with `end` holds every send in its scope until then. Asked again for what stands, nothing is started
 * twice: a release that never started (the request broke off) is started then.
 */
export async function changeKillSwitch(
  services: Services,
  sequences: KillSwitchControl,
  principal: Principal,
  change: KillSwitchChange,
  correlationId: string,
): Promise<KillSwitchState> {
  if (change.active) return turnKillSwitchOn(services, principal, change, correlationId);
  mayChange(principal, change);
  return turnOffInBackground(services, sequences, principal, change, correlationId);
}

async function turnOffInBackground(
  services: Services,
  durable: KillSwitchControl,
  principal: Principal,
  change: KillSwitchChange,
  correlationId: string,
): Promise<KillSwitchState> {
  if (change.scope === 'campaign') await findCampaign(services, principal.tenantId, change.campaignId!);
  const release = change.release ?? 'resume';
  const releaseId = killSwitchReleaseInstanceId(principal.tenantId, randomUUID());
  const { state } = await saveSwitch(services, principal, { ...change, release }, { releaseId, done: false });
  const resumption = switchOf(state, change)?.resumption;
  if (!resumption || resumption.done) return state;
  // Saved by this request, or by one that broke off before it started the release (or whose release failed): start
  // it unless it runs or ran. Starting it again is safe: a sequence told twice looks at the switch twice.
  const existing = await durable.getStatus(resumption.releaseId).catch(() => undefined);
  if (existing?.runtimeStatus && !['Failed', 'Terminated'].includes(String(existing.runtimeStatus))) return state;
  const input: KillSwitchReleaseInput = {
    tenantId: principal.tenantId,
    scope: change.scope,
    ...(change.campaignId !== undefined && { campaignId: change.campaignId }),
    release: switchOf(state, change)!.release ?? release,
    reason: switchOf(state, change)!.reason,
    actor: actorOf(principal),
    correlationId,
  };
  try {
    await startOrchestration(durable, killSwitchReleaseOrchestration, resumption.releaseId, input);
  } catch (error) {
    // A concurrent request for the same release started it first: one release runs, and this request joins it.
    if (!(await durable.getStatus(resumption.releaseId).catch(() => undefined))?.runtimeStatus) throw error;
  }
  return state;
}

/** The campaigns a release covers and how many sequences each has, as they are now. */
export async function releaseScope(services: Services, input: KillSwitchReleaseInput): Promise<KillSwitchReleaseScope> {
  const campaigns =
    input.scope === 'campaign'
      ? [await services.store.forTenant(input.tenantId).campaigns.read(input.campaignId!)].filter((campaign) => campaign !== undefined)
      : await services.store.campaigns.query(input.tenantId, "c.status = 'running'");
  return { campaigns: campaigns.map((campaign) => ({ campaignId: campaign.id, sequences: campaign.enrolled })) };
}

/** One page of a campaign's sequences told that the switch is off, or ended. A campaign gone since counts nothing. */
export async function releasePage(services: Services, durable: SequenceControl, input: KillSwitchReleasePageInput): Promise<KillSwitchReleasePage> {
  const campaign = await services.store.forTenant(input.tenantId).campaigns.read(input.campaignId);
  if (!campaign) return { checked: 0, held: 0, resumed: 0, ended: 0 };
  return releaseSequencePage(services, durable, campaign, { ...input, limit: killSwitchReleasePageSize });
}

/** Turned off with `end`: the campaign stops first, so that no sequence of it prepares another step. */
export async function stopCampaignForRelease(services: Services, input: KillSwitchReleaseCampaignInput): Promise<void> {
  const campaigns = services.store.forTenant(input.tenantId).campaigns;
  await campaigns.update(input.campaignId, (current) =>
    current.status === 'stopped' ? undefined : { ...current, status: 'stopped', stoppedAt: services.clock.now().toISOString() },
  );
}

/** Turned off with `end`, once the campaign's sequences are ended: its pending approvals go, and it is audited stopped, once. */
export async function closeCampaignForRelease(services: Services, input: KillSwitchReleaseCampaignInput): Promise<void> {
  const reason = `ended when the kill switch was turned off: ${input.reason}`;
  await withdrawCampaignApprovals(services, { tenantId: input.tenantId, id: input.campaignId }, reason);
  await services.audit.append(input.tenantId, {
    actor: { type: 'user', id: input.actor.id, name: input.actor.name },
    type: 'campaign.stopped',
    correlationId: input.correlationId,
    idempotencyKey: changeKey('campaign.stopped', input.campaignId, { sequencesStopped: input.sequencesEnded }, input.releaseId),
    payload: { campaignId: input.campaignId, sequencesStopped: input.sequencesEnded, reason },
  });
}

/**
 * The release is done: the switch shows how many sequences it resumed or ended (unless it has been changed since),
 * which ends the hold of a switch turned off with `end`, and `killswitch.released` is audited with that count, once,
 * however often this runs.
 */
export async function finishRelease(services: Services, input: KillSwitchReleaseFinishInput): Promise<void> {
  await services.store.forTenant(input.tenantId).killSwitches.update('killswitch', (current) => {
    const standing = input.scope === 'tenant' ? current.tenant : current.campaigns[input.campaignId!];
    if (standing?.resumption?.releaseId !== input.releaseId || standing.resumption.done) return undefined;
    const counted = input.release === 'end' ? { sequencesEnded: input.sequencesEnded } : { sequencesResumed: input.sequencesResumed };
    const setting = { ...standing, resumption: { releaseId: input.releaseId, done: true, ...counted } };
    return input.scope === 'tenant'
      ? { ...current, tenant: setting }
      : { ...current, campaigns: { ...current.campaigns, [input.campaignId!]: setting } };
  });
  const change: KillSwitchChange = {
    scope: input.scope,
    ...(input.campaignId !== undefined && { campaignId: input.campaignId }),
    active: false,
    reason: input.reason,
    release: input.release,
  };
  await auditChange(services, { ...input.actor, tenantId: input.tenantId }, change, input.correlationId, input.releaseId, {
    release: input.release,
    sequencesResumed: input.sequencesResumed,
    sequencesEnded: input.sequencesEnded,
  });
}

/** Turns a switch on: from then on nothing in its scope is sent, and the sequences it covers wait. */
export async function turnKillSwitchOn(
  services: Services,
  principal: Principal,
  change: KillSwitchChange,
  correlationId: string,
): Promise<KillSwitchState> {
  mayChange(principal, change);
  if (change.scope === 'campaign') await findCampaign(services, principal.tenantId, change.campaignId!);
  const { state, version } = await saveSwitch(services, principal, { ...change, active: true });
  if (version) await auditChange(services, actorOf(principal), { ...change, active: true }, correlationId, version, {});
  return state;
}

function mayChange(principal: Principal, change: KillSwitchChange): void {
  if (isAllowed(principal.roles, change.scope === 'tenant' ? 'killswitch.tenant' : 'killswitch.campaign')) return;
  throw forbidden(
    change.scope === 'tenant'
      ? 'Only an Owner or Admin can flip the tenant kill switch.'
      : 'Only a Manager or above can flip a campaign kill switch.',
  );
}

/**
 * Saves the switch as asked. Asked for what already stands (a repeated click, a retried request), it changes
 * nothing and answers no version: there is nothing to audit.
 */
async function saveSwitch(
  services: Services,
  principal: Principal,
  change: KillSwitchChange,
  resumption?: KillSwitchResumption,
): Promise<{ state: KillSwitchState; version?: string }> {
  const setting = {
    active: change.active,
    reason: change.reason,
    changedBy: principal.name,
    changedAt: services.clock.now().toISOString(),
    ...(!change.active && { release: change.release ?? 'resume' }),
    ...(resumption && { resumption }),
  };
  let changed = false;
  const record = await services.store.forTenant(principal.tenantId).killSwitches.update('killswitch', (current) => {
    const standing = change.scope === 'tenant' ? current.tenant : current.campaigns[change.campaignId!];
    changed = standing?.active !== change.active || standing.reason !== change.reason;
    if (!changed) return undefined;
    return change.scope === 'tenant'
      ? { ...current, tenant: setting }
      : { ...current, campaigns: { ...current.campaigns, [change.campaignId!]: setting } };
  });
  return { state: toKillSwitchState(record!), version: changed ? (record!._etag ?? setting.changedAt) : undefined };
}

function switchOf(state: KillSwitchState, change: Pick<KillSwitchChange, 'scope' | 'campaignId'>) {
  return change.scope === 'tenant' ? state.tenant : state.campaigns[change.campaignId!];
}

interface Actor {
  tenantId: string;
  id: string;
  name: string;
}

const actorOf = (principal: Principal): Actor => ({ tenantId: principal.tenantId, id: principal.userId, name: principal.name });

async function auditChange(
  services: Services,
  actor: Actor,
  change: KillSwitchChange,
  correlationId: string,
  /** The switch record's version after the change: issued by the store, so no two changes share a key. */
  version: string,
  released: { release?: KillSwitchRelease; sequencesResumed?: number; sequencesEnded?: number },
): Promise<void> {
  await services.audit.append(actor.tenantId, {
    actor: { type: 'user', id: actor.id, name: actor.name },
    type: change.active ? 'killswitch.activated' : 'killswitch.released',
    correlationId,
    idempotencyKey: changeKey('killswitch', change.scope === 'tenant' ? 'tenant' : `campaign:${change.campaignId}`, change, version),
    payload: { scope: change.scope, campaignId: change.campaignId ?? null, reason: change.reason, ...released },
  });
}
