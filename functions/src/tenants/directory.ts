import { defaultPolicyRules } from '@asep/shared/policy/document';
import type { Services } from '../composition/services';
import { ConflictError } from '../store/documents';
import { forbidden } from '../http/problem';
import type { Principal } from '../identity/principal';
import { InFlight } from '../store/in-flight';
import type { TenantRecord } from './records';

const knownTenants = new Set<string>();
const knownUsers = new Set<string>();

/**
 * Per services (one store), per tenant: until when its received messages had keys of their own (null: never), as
 * known, and the reads that find it out, shared by callers asking at once.
 */
const earlierMessageKeysOf = new WeakMap<Services, { known: Map<string, number | null>; reading: InFlight<number | null> }>();

function earlierMessageKeys(services: Services) {
  const state = earlierMessageKeysOf.get(services) ?? { known: new Map<string, number | null>(), reading: new InFlight<number | null>() };
  earlierMessageKeysOf.set(services, state);
  return state;
}

/** Its mark, for a tenant provisioned before messages shared their key; null for one provisioned with the mark, or unmarked. */
function earlierKeysUntil(tenant: TenantRecord): number | null {
  return tenant.messageKeysSince && tenant.messageKeysSince > tenant.createdAt ? Date.parse(tenant.messageKeysSince) : null;
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
  if (tenant?.messageKeysSince) earlierMessageKeys(services).known.set(tenantId, earlierKeysUntil(tenant));
  if (!tenant) {
    if (!(await services.mayProvision(tenantId))) throw forbidden('This tenant has not been onboarded to ASEP.');
    const now = clock.now().toISOString();
    const policy = { id: 'policy', version: 1, rules: defaultPolicyRules, updatedBy: 'system', updatedAt: now };
    await ignoreConflict(store.policies.create(policy));
    await ignoreConflict(store.policyVersions.create({ ...policy, id: 'policy-v1' }));
    await ignoreConflict(store.killSwitches.create({ id: 'killswitch', campaigns: {} }));
    const created = await ignoreConflict(store.tenants.create({ id: 'tenant', name: tenantId, createdAt: now, messageKeysSince: now }));
    if (created) earlierMessageKeys(services).known.set(tenantId, null);
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
 * first time this asks, by whichever process of this version asks first.
 */
export async function earlierMessageKeysUntil(services: Services, tenantId: string): Promise<number | null> {
  const { known, reading } = earlierMessageKeys(services);
  const cached = known.get(tenantId);
  if (cached !== undefined) return cached;
  return reading.share(tenantId, async () => {
    const tenant = await services.store.forTenant(tenantId).tenants.read('tenant');
    const marked =
      tenant &&
      (await services.store.tenants.updateFrom(tenant, (current) =>
        current.messageKeysSince ? undefined : { ...current, messageKeysSince: services.clock.now().toISOString() },
      ));
    // No tenant record: nothing of this tenant was stored before, under any key.
    const until = marked ? earlierKeysUntil(marked) : null;
    known.set(tenantId, until);
    return until;
  });
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
