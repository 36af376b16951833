import { isAllowed } from '@asep/shared/access/matrix';
import { changeKey } from '@asep/shared/audit/change-key';
import type { KillSwitchChange, KillSwitchRelease, KillSwitchState } from '@asep/shared/killswitch/killswitch';
import { findCampaign, releaseSequences, stopCampaign, type SequenceControl } from '../campaigns/campaigns';
import type { CampaignRecord } from '../campaigns/records';
import type { Services } from '../composition/services';
import { forbidden } from '../http/problem';
import type { Principal } from '../identity/principal';

export function toKillSwitchState(record: KillSwitchState): KillSwitchState {
  return { ...(record.tenant && { tenant: record.tenant }), campaigns: record.campaigns };
}

export async function readKillSwitches(services: Services, tenantId: string): Promise<KillSwitchState> {
  const record = await services.store.forTenant(tenantId).killSwitches.read('killswitch');
  return toKillSwitchState(record ?? { campaigns: {} });
}

/** The campaigns whose sequences a switch covers: the one campaign, or every running campaign of the tenant. */
async function campaignsInScope(services: Services, tenantId: string, change: KillSwitchChange): Promise<CampaignRecord[]> {
  if (change.scope === 'campaign') return [await findCampaign(services, tenantId, change.campaignId!)];
  return services.store.campaigns.query(tenantId, "c.status = 'running'");
}

/**
 * Flips a kill switch. While one is on, nothing in its scope is sent, including sends already approved or queued:
 * the sequences wait where they are, their timers running on. Turning it off resumes them (the default), or, with
 * `release: 'end'`, first stops every campaign in scope so that nothing held is sent at all. Audited with what
 * was chosen and how many sequences it touched.
 */
export async function changeKillSwitch(
  services: Services,
  sequences: SequenceControl,
  principal: Principal,
  change: KillSwitchChange,
  correlationId: string,
): Promise<KillSwitchState> {
  if (change.active) return turnKillSwitchOn(services, principal, change, correlationId);
  mayChange(principal, change);
  const campaigns = await campaignsInScope(services, principal.tenantId, change);
  const release = change.release ?? 'resume';
  let sequencesEnded = 0;
  if (release === 'end') {
    const reason = `ended when the kill switch was turned off: ${change.reason}`;
    for (const campaign of campaigns) sequencesEnded += await stopCampaign(services, sequences, principal, campaign, reason, correlationId);
  }
  const { state, version } = await saveSwitch(services, principal, change);
  let sequencesResumed = 0;
  if (release === 'resume') for (const campaign of campaigns) sequencesResumed += await releaseSequences(sequences, campaign);
  if (version || sequencesEnded > 0) {
    await auditChange(services, principal, change, correlationId, version ?? `ended-${sequencesEnded}`, {
      release,
      sequencesResumed,
      sequencesEnded,
    });
  }
  return state;
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
  if (version) await auditChange(services, principal, { ...change, active: true }, correlationId, version, {});
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
async function saveSwitch(services: Services, principal: Principal, change: KillSwitchChange): Promise<{ state: KillSwitchState; version?: string }> {
  const setting = {
    active: change.active,
    reason: change.reason,
    changedBy: principal.name,
    changedAt: services.clock.now().toISOString(),
    ...(!change.active && { release: change.release ?? 'resume' }),
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

async function auditChange(
  services: Services,
  principal: Principal,
  change: KillSwitchChange,
  correlationId: string,
  /** The switch record's version after the change: issued by the store, so no two changes share a key. */
  version: string,
  released: { release?: KillSwitchRelease; sequencesResumed?: number; sequencesEnded?: number },
): Promise<void> {
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: change.active ? 'killswitch.activated' : 'killswitch.released',
    correlationId,
    idempotencyKey: changeKey('killswitch', change.scope === 'tenant' ? 'tenant' : `campaign:${change.campaignId}`, change, version),
    payload: { scope: change.scope, campaignId: change.campaignId ?? null, reason: change.reason, ...released },
  });
}
