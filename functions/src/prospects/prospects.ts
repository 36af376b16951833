import { sha256 } from '@asep/shared/audit/chain';
import { headerSafeFields } from '@asep/shared/mail/header-safe';
import { emailDomain, type Prospect, type ProspectFields } from '@asep/shared/prospects/prospect';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../composition/services';
import type { ProspectRecord } from './records';

export function prospectId(tenantId: string, email: string): string {
  return `prs-${sha256(`${tenantId}|${email.toLowerCase()}`).slice(0, 24)}`;
}

export function toProspect(record: ProspectRecord): Prospect {
  const { pk: _pk, docType: _docType, ...rest } = record;
  return Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('_'))) as unknown as Prospect;
}

export async function findProspect(services: Services, tenantId: string, id: string): Promise<ProspectRecord | undefined> {
  const record = await services.store.forTenant(tenantId).prospects.read(id);
  return record?.tenantId === tenantId ? record : undefined;
}

/**
 * The record a prospect's fields make: the stored one (if any) with the new values over it. Status and
 * creation time stay as they were; a new prospect whose address is suppressed starts as such.
 */
export function prospectRecord(
  tenantId: string,
  fields: ProspectFields,
  existing: ProspectRecord | undefined,
  now: string,
  suppressedAs?: ProspectRecord['status'],
): Omit<ProspectRecord, 'docType'> {
  const id = existing?.id ?? prospectId(tenantId, fields.email);
  return {
    ...existing,
    // Whichever importer called, nothing stored here can break a header it is rendered into.
    ...headerSafeFields(fields),
    id,
    pk: existing?.pk ?? hashedPartition(tenantId, id),
    tenantId,
    domain: fields.domain ?? existing?.domain ?? emailDomain(fields.email),
    status: existing?.status ?? suppressedAs ?? 'new',
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}

/** Creates or updates one prospect keyed by email; says whether it was new. Existing status is kept. */
export async function saveProspect(
  services: Services,
  tenantId: string,
  fields: ProspectFields,
): Promise<{ created: boolean; record: ProspectRecord }> {
  const id = prospectId(tenantId, fields.email);
  const existing = await services.store.forTenant(tenantId).prospects.read(id);
  const record = await services.store.prospects.upsert(prospectRecord(tenantId, fields, existing, services.clock.now().toISOString()));
  return { created: !existing, record };
}

/** Saves a handful of prospects one by one (the demo seed, API calls); files go through the bulk import. */
export async function saveProspects(
  services: Services,
  tenantId: string,
  prospects: ProspectFields[],
): Promise<{ imported: number; updated: number }> {
  let imported = 0;
  for (const fields of prospects) if ((await saveProspect(services, tenantId, fields)).created) imported += 1;
  return { imported, updated: prospects.length - imported };
}
