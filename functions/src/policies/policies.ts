import { hashOf } from '@asep/shared/audit/chain';
import type { PolicyDocument, PolicyRules } from '@asep/shared/policy/document';
import { tenantPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import { conflict } from '../http/problem';
import type { Principal } from '../identity/principal';
import { ensureTenant } from '../tenants/directory';

export async function currentPolicy(services: Services, tenantId: string): Promise<PolicyDocument> {
  await ensureTenant(services, tenantId);
  const record = await services.store.policies.read(tenantPartition(tenantId), 'policy');
  if (!record) throw new Error(`Tenant ${tenantId} has no policy`);
  const { tenantId: tid, version, rules, updatedBy, updatedAt } = record;
  return { tenantId: tid, version, rules, updatedBy, updatedAt };
}

/** Paths whose values differ between two policy documents, for the audit trail. */
function changedPaths(before: unknown, after: unknown, path = ''): string[] {
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null || Array.isArray(before) || Array.isArray(after)) {
    return hashOf(before ?? null) === hashOf(after ?? null) ? [] : [path || '/'];
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((key) => changedPaths((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], `${path}/${key}`));
}

/** Puts a new version in force; `expectedVersion` guards against overwriting someone else's change. */
export async function updatePolicy(
  services: Services,
  principal: Principal,
  rules: PolicyRules,
  expectedVersion: number | undefined,
  correlationId: string,
): Promise<PolicyDocument> {
  const pk = tenantPartition(principal.tenantId);
  const current = await services.store.policies.read(pk, 'policy');
  if (!current) throw new Error('policy missing');
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw conflict(`The policy is at version ${current.version}, not ${expectedVersion}: reload it and apply your change again.`);
  }
  const next = { ...current, version: current.version + 1, rules, updatedBy: principal.userId, updatedAt: services.clock.now().toISOString() };
  const saved = await services.store.policies.replace(next).catch((error: unknown) => {
    throw error instanceof Error && error.name === 'PreconditionFailedError' ? conflict('The policy changed meanwhile: reload it and try again.') : error;
  });
  await services.store.policyVersions.upsert({ ...next, id: `policy-v${next.version}`, _etag: undefined });
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'policy.updated',
    correlationId,
    idempotencyKey: `policy.updated:${principal.tenantId}:v${next.version}`,
    payload: { fromVersion: current.version, toVersion: next.version, changed: changedPaths(current.rules, rules), rulesHash: hashOf(rules) },
  });
  return { tenantId: saved.tenantId, version: saved.version, rules: saved.rules, updatedBy: saved.updatedBy, updatedAt: saved.updatedAt };
}
