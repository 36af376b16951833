import { defaultPolicyRules } from '@asep/shared/policy/document';
import type { Services } from '../composition/services';
import { ConflictError } from '../store/documents';
import { forbidden } from '../http/problem';
import type { Principal } from '../identity/principal';
import { InFlight } from '../store/in-flight';
import type { TenantRecord } from './records';

const knownTenants = new Set<string>();
const knownUsers = new Set<string>();

/** Per services (one store), per tenant: until when its received messages had keys of their own (null: never). */
const earlierMessageKeysOf = new WeakMap<Services, Map<string, number | null>>();
/** Per services: tenants being marked, so a burst of first messages reads and marks each tenant once. */
const markingOf = new WeakMap<Services, InFlight<number | null>>();

function earlierMessageKeys(services: Services): Map<string, number | null> {
  const known = earlierMessageKeysOf.get(services) ?? new Map<string, number | null>();
  earlierMessageKeysOf.set(services, known);
  return known;
}

/** Until when a marked tenant's received messages had keys of their own: null for one provisioned since. */
function earlierKeysUntil({ createdAt }: TenantRecord, messageKeysSince: string): number | null {
  return messageKeysSince > createdAt ? Date.parse(messageKeysSince) : null;
}

/**
 * Makes sure the token's tenant exists. A tenant the suite has not seen is provisioned with the default
 * policy and its kill switches off (locally any tenant; in Azure only onboarded ones). Creation is by
 * fixed ids, so two first requests racing provision it once.
 */
export async function ensureTenant(services: Services, tenantId: string): Promise<void> {
  if (knownTenants.has(tenantId)) return;
  const { clock } = services;
  const store = services.store.forTenant(tenantId);
  const tenant = await store.tenants.read('tenant');
  if (tenant?.messageKeysSince) earlierMessageKeys(services).set(tenantId, earlierKeysUntil(tenant, tenant.messageKeysSince));
  if (!tenant) {
    if (!(await services.mayProvision(tenantId))) throw forbidden('This tenant has not been onboarded to ASEP.');
    const now = clock.now().toISOString();
    const policy = { id: 'policy', version: 1, rules: defaultPolicyRules, updatedBy: 'system', updatedAt: now };
    await ignoreConflict(store.policies.create(policy));
    await ignoreConflict(store.policyVersions.create({ ...policy, id: 'policy-v1' }));
    await ignoreConflict(store.killSwitches.create({ id: 'killswitch', campaigns: {} }));
    const created = await ignoreConflict(store.tenants.create({ id: 'tenant', name: tenantId, createdAt: now, messageKeysSince: now }));
    if (created) earlierMessageKeys(services).set(tenantId, null);
    await services.audit.append(tenantId, {
      actor: { type: 'system', id: 'provisioning' },
      type: 'tenant.provisioned',
      correlationId: tenantId,
      idempotencyKey: `tenant.provisioned:${tenantId}`,
      payload: { policyVersion: 1 },
    });
  }
  knownTenants.add(tenantId);
}

/**
 * Until when (epoch ms) the tenant's received messages were stored under a key of their own, not their message key;
 * null when never (tenants provisioned since). Known once per process: a tenant provisioned before is marked the
 * first time intake asks.
 */
export async function earlierMessageKeysUntil(services: Services, tenantId: string): Promise<number | null> {
  const known = earlierMessageKeys(services).get(tenantId);
  if (known !== undefined) return known;
  const marking = markingOf.get(services) ?? new InFlight<number | null>();
  markingOf.set(services, marking);
  return marking.share(tenantId, async () => {
    const tenant = await services.store.forTenant(tenantId).tenants.read('tenant');
    const marked =
      tenant &&
      (await services.store.tenants.updateFrom(tenant, (current) =>
        current.messageKeysSince ? undefined : { ...current, messageKeysSince: services.clock.now().toISOString() },
      ));
    // No tenant record: nothing of this tenant was stored before, under any key.
    const until = marked?.messageKeysSince ? earlierKeysUntil(marked, marked.messageKeysSince) : null;
    earlierMessageKeys(services).set(tenantId, until);
    return until;
  });
}

/** Whether some of the tenant's received messages may be stored under a key of their own: for readers, who mark nothing. */
export async function mayHoldEarlierMessageKeys(services: Services, tenantId: string): Promise<boolean> {
  const known = earlierMessageKeys(services).get(tenantId);
  if (known !== undefined) return known !== null;
  const tenant = await services.store.forTenant(tenantId).tenants.read('tenant');
  if (!tenant) return false;
  // Not marked yet: intake has not run since messages shared their key, so every message it stored has its own.
  if (!tenant.messageKeysSince) return true;
  const until = earlierKeysUntil(tenant, tenant.messageKeysSince);
  earlierMessageKeys(services).set(tenantId, until);
  return until !== null;
}

/** Every tenant ASEP serves: for the timers that do something for each of them. */
export async function allTenantIds(services: Services): Promise<string[]> {
  const { resources } = await services.store.tenants.container.items
    .query<string>({ query: 'SELECT VALUE c.tenantId FROM c WHERE c.docType = @docType', parameters: [{ name: '@docType', value: 'tenant' }] })
    .fetchAll();
  return resources;
}

/** Keeps the tenant's user record current, so the Teams bot can map a user to their roles. */
export async function rememberUser(services: Services, principal: Principal): Promise<void> {
  const key = `${principal.tenantId}/${principal.userId}/${principal.roles.join(',')}`;
  if (knownUsers.has(key)) return;
  await services.store.forTenant(principal.tenantId).users.upsert({
    id: `user-${principal.userId}`,
    userId: principal.userId,
    name: principal.name,
    roles: principal.roles,
    lastSeenAt: services.clock.now().toISOString(),
  });
  knownUsers.add(key);
}

export async function ignoreConflict<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
}

/** Forgets cached tenants (the local suite's --reset, tests). */
export function forgetKnownTenants(): void {
  knownTenants.clear();
  knownUsers.clear();
}
