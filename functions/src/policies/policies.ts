import { hashOf } from '@asep/shared/audit/chain';
import { policyRulesSchema, type PolicyDocument, type PolicyRules } from '@asep/shared/policy/document';
import type { Services } from '../composition/services';
import { conflict, notFound } from '../http/problem';
import type { Principal } from '../identity/principal';
import type { PolicyRecord, PolicyVersionRecord } from './records';

/**
 * Rules as last checked, by the stored document's ETag: the policy is read on every send and every reply, and
 * one version is checked against the schema once, not each time (a copy is answered, so no caller shares it).
 */
const checkedRules = new Map<string, PolicyRules>();
const checkedRulesEntries = 1_000;

function rulesOf(record: PolicyRecord | PolicyVersionRecord): PolicyRules {
  if (!record._etag) return policyRulesSchema.parse(record.rules);
  const key = `${record.tenantId}|${record.id}|${record._etag}`;
  let rules = checkedRules.get(key);
  if (!rules) {
    rules = policyRulesSchema.parse(record.rules);
    if (checkedRules.size >= checkedRulesEntries) checkedRules.delete(checkedRules.keys().next().value!);
    checkedRules.set(key, rules);
  }
  return structuredClone(rules);
}

/** The document as the API shows it. Rules stored before a rule existed read with that rule's default. */
function toPolicyDocument(record: PolicyRecord | PolicyVersionRecord): PolicyDocument {
  const { tenantId, version, updatedBy, updatedByName, updatedAt } = record;
  return { tenantId, version, rules: rulesOf(record), updatedBy, ...(updatedByName ? { updatedByName } : {}), updatedAt };
}

/**
 * The policy in force. A read only: the tenant was provisioned, with the default policy, when someone from it
 * first signed in (`ensureTenant`, on every authenticated request and on the local suite's dev routes).
 */
export async function currentPolicy(services: Services, tenantId: string): Promise<PolicyDocument> {
  const record = await services.store.forTenant(tenantId).policies.read('policy');
  if (!record) throw new Error(`Tenant ${tenantId} has no policy: it was never provisioned (nobody from it has signed in).`);
  return toPolicyDocument(record);
}

export interface PolicyChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Every value that differs between two policy documents, by path, for the audit trail. */
function policyDiff(before: unknown, after: unknown, path = ''): PolicyChange[] {
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null || Array.isArray(before) || Array.isArray(after)) {
    return hashOf(before ?? null) === hashOf(after ?? null) ? [] : [{ path: path || '/', from: before ?? null, to: after ?? null }];
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].flatMap((key) => policyDiff((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], `${path}/${key}`));
}

/** Puts a new version in force; `expectedVersion` guards against overwriting someone else's change. */
export async function updatePolicy(
  services: Services,
  principal: Principal,
  rules: PolicyRules,
  expectedVersion: number | undefined,
  correlationId: string,
): Promise<PolicyDocument> {
  const current = await services.store.forTenant(principal.tenantId).policies.read('policy');
  if (!current) throw new Error('policy missing');
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw conflict(`The policy is at version ${current.version}, not ${expectedVersion}: reload it and apply your change again.`);
  }
  const next = {
    ...current,
    version: current.version + 1,
    rules,
    updatedBy: principal.userId,
    updatedByName: principal.name,
    updatedAt: services.clock.now().toISOString(),
  };
  const saved = await services.store.policies.replace(next).catch((error: unknown) => {
    throw error instanceof Error && error.name === 'PreconditionFailedError'
      ? conflict('The policy changed meanwhile: reload it and try again.')
      : error;
  });
  await services.store.policyVersions.upsert({ ...next, id: versionId(next.version), _etag: undefined });
  const diff = policyDiff(policyRulesSchema.parse(current.rules), rules);
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'policy.updated',
    correlationId,
    idempotencyKey: `policy.updated:${principal.tenantId}:v${next.version}`,
    payload: { fromVersion: current.version, toVersion: next.version, changed: diff.map((change) => change.path), diff, rulesHash: hashOf(rules) },
  });
  return toPolicyDocument(saved);
}

const versionId = (version: number) => `policy-v${version}`;

export interface PolicyVersionSummary {
  version: number;
  updatedBy: string;
  updatedByName?: string;
  updatedAt: string;
}

/** Every version ever in force, newest first, with who put it in force and when. */
export async function listPolicyVersions(services: Services, tenantId: string): Promise<PolicyVersionSummary[]> {
  const records = await services.store.policyVersions.query(tenantId, 'true', [], 'ORDER BY c.version DESC');
  return records.map(({ version, updatedBy, updatedByName, updatedAt }) => ({
    version,
    updatedBy,
    ...(updatedByName ? { updatedByName } : {}),
    updatedAt,
  }));
}

export async function policyVersion(services: Services, tenantId: string, version: number): Promise<PolicyDocument> {
  const record = await services.store.forTenant(tenantId).policyVersions.read(versionId(version));
  if (!record || record.tenantId !== tenantId) throw notFound(`Policy version ${version}`);
  return toPolicyDocument(record);
}
