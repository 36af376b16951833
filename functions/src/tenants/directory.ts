import { defaultPolicyRules } from '@asep/shared/policy/document';
import type { Services } from '../composition/services';
import { ConflictError } from '../store/documents';
import { forbidden } from '../http/problem';
import type { Principal } from '../identity/principal';

const knownTenants = new Set<string>();
const knownUsers = new Set<string>();

/**
 * Makes sure the token's tenant exists. A tenant the suite has not seen is provisioned with the default
 * policy and its kill switches off (locally any tenant; in Azure only onboarded ones). Creation is by
 * fixed ids, so two first requests racing provision it once.
 */
export async function ensureTenant(services: Services, tenantId: string): Promise<void> {
  if (knownTenants.has(tenantId)) return;
  const { clock } = services;
  const store = services.store.forTenant(tenantId);
  if (!(await store.tenants.read('tenant'))) {
    if (!(await services.mayProvision(tenantId))) throw forbidden('This tenant has not been onboarded to ASEP.');
    const now = clock.now().toISOString();
    const policy = { id: 'policy', version: 1, rules: defaultPolicyRules, updatedBy: 'system', updatedAt: now };
    await ignoreConflict(store.policies.create(policy));
    await ignoreConflict(store.policyVersions.create({ ...policy, id: 'policy-v1' }));
    await ignoreConflict(store.killSwitches.create({ id: 'killswitch', campaigns: {} }));
    await ignoreConflict(store.tenants.create({ id: 'tenant', name: tenantId, createdAt: now }));
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
