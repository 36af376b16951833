import { isAllowed } from '@asep/shared/access/matrix';
import { changeKey } from '@asep/shared/audit/change-key';
import { killSwitchChangeSchema, type KillSwitchChange, type KillSwitchState } from '@asep/shared/killswitch/killswitch';
import { tenantPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { registerApi } from '../http/api';
import { forbidden } from '../http/problem';
import type { Principal } from '../identity/principal';
import { findCampaign } from '../campaigns/campaigns';

function toState(record: KillSwitchState): KillSwitchState {
  return { tenant: record.tenant, campaigns: record.campaigns };
}

/** Flips a kill switch. While one is on, nothing in its scope is sent, including sends already approved or queued. */
export async function changeKillSwitch(
  services: Services,
  principal: Principal,
  change: KillSwitchChange,
  correlationId: string,
): Promise<KillSwitchState> {
  if (!isAllowed(principal.roles, change.scope === 'tenant' ? 'killswitch.tenant' : 'killswitch.campaign')) {
    throw forbidden(
      change.scope === 'tenant'
        ? 'Only an Owner or Admin can flip the tenant kill switch.'
        : 'Only a Manager or above can flip a campaign kill switch.',
    );
  }
  if (change.scope === 'campaign') await findCampaign(services, principal.tenantId, change.campaignId!);
  const setting = { active: change.active, reason: change.reason, changedBy: principal.name, changedAt: services.clock.now().toISOString() };
  const target = change.scope === 'tenant' ? 'tenant' : `campaign:${change.campaignId}`;
  let changed = false;
  const record = await services.store.killSwitches.update(tenantPartition(principal.tenantId), 'killswitch', (current) => {
    const now = change.scope === 'tenant' ? current.tenant : current.campaigns[change.campaignId!];
    // Asked for what already stands (a repeated click, a retried request): nothing changes and nothing is audited.
    changed = now?.active !== change.active || now.reason !== change.reason;
    if (!changed) return undefined;
    return change.scope === 'tenant'
      ? { ...current, tenant: setting }
      : { ...current, campaigns: { ...current.campaigns, [change.campaignId!]: setting } };
  });
  if (changed) {
    await services.audit.append(principal.tenantId, {
      actor: { type: 'user', id: principal.userId, name: principal.name },
      type: change.active ? 'killswitch.activated' : 'killswitch.released',
      correlationId,
      idempotencyKey: changeKey('killswitch', target, { active: change.active, reason: change.reason }, record!._etag ?? setting.changedAt),
      payload: { scope: change.scope, campaignId: change.campaignId ?? null, reason: change.reason },
    });
  }
  return toState(record!);
}

registerApi(
  'killSwitchPut',
  { route: 'v1/killswitch', methods: ['PUT'], permission: 'killswitch.campaign', body: killSwitchChangeSchema },
  async ({ services, principal, body, correlationId }) => ({ body: await changeKillSwitch(services, principal, body, correlationId) }),
);

registerApi('killSwitchGet', { route: 'v1/killswitch', methods: ['GET'], permission: 'killswitch.read' }, async ({ services, principal }) => {
  const record = await services.store.killSwitches.read(tenantPartition(principal.tenantId), 'killswitch');
  return { body: toState(record ?? { campaigns: {} }) };
});
