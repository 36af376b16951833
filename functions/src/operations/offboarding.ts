import type { DurableClient } from 'durable-functions';
import { changeKey } from '@asep/shared/audit/change-key';
import type { Services } from '../composition/services';
import type { Principal } from '../identity/principal';
import { sequenceInstanceId } from '../orchestrations/instance-ids';
import { containers } from '../store/containers';
import { forgetKnownTenants } from '../tenants/directory';
import { queryTouches } from '../mail/touches';

/** Where offboardings are recorded: a partition of its own, never a tenant's. */
export const offboardingPartition = 'system#offboarding';

export async function offboardTenant(services: Services, durable: DurableClient, principal: Principal, correlationId: string, requestId: string) {
  const tenantId = principal.tenantId;
  const verification = await services.audit.verify(tenantId);
  await services.audit.append(tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'tenant.offboarding_started',
    correlationId,
    idempotencyKey: changeKey('tenant.offboarding', tenantId, verification.head, requestId),
    payload: { events: verification.count },
  });

  // Nothing may keep sending while the data goes.
  const touches = await queryTouches(services.store, tenantId);
  const instances = new Set(touches.map((touch) => touch.instanceId).filter((id): id is string => Boolean(id)));
  for (const enrolment of await services.store.forTenant(tenantId).enrolments.queryPartition()) {
    instances.add(sequenceInstanceId(tenantId, enrolment.campaignId, enrolment.prospectId));
  }
  for (const instanceId of instances) {
    const status = await durable.getStatus(instanceId).catch(() => undefined);
    if (status && ['Running', 'Pending'].includes(String(status.runtimeStatus))) await durable.terminate(instanceId, 'tenant offboarded');
  }

  const headBeforeDeletion = (await services.audit.verify(tenantId)).head;
  const deleted: Record<string, number> = {};
  for (const spec of Object.values(containers)) {
    if ('localOnly' in spec && spec.localOnly) continue;
    const container = services.store.database.container(spec.id);
    const { resources } = await container.items
      .query<{ id: string; pk: string }>({
        query: 'SELECT c.id, c.pk FROM c WHERE c.tenantId = @tenantId',
        parameters: [{ name: '@tenantId', value: tenantId }],
      })
      .fetchAll();
    for (const record of resources) await container.item(record.id, record.pk).delete();
    deleted[spec.id] = resources.length;
  }
  const at = services.clock.now().toISOString();
  await services.store.database.container(containers.tenants.id).items.upsert({
    id: `offboarded-${tenantId}`,
    pk: offboardingPartition,
    tenantId: 'system',
    docType: 'tenantOffboarding',
    offboardedTenantId: tenantId,
    by: { id: principal.userId, name: principal.name },
    at,
    deleted,
    auditHead: headBeforeDeletion,
    auditEvents: verification.count + 1,
  });
  forgetKnownTenants();
  return { tenantId, deleted, auditHead: headBeforeDeletion, at };
}
