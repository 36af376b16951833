import pLimit from 'p-limit';
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
  const record = await services.store.prospects.read(hashedPartition(tenantId, id), id);
  return record?.tenantId === tenantId ? record : undefined;
}

/** Creates or updates prospects keyed by email; returns how many were new. Existing status is kept. */
export async function saveProspects(
  services: Services,
  tenantId: string,
  prospects: ProspectFields[],
): Promise<{ imported: number; updated: number }> {
  const limit = pLimit(16);
  const now = services.clock.now().toISOString();
  const outcomes = await Promise.all(
    prospects.map((fields) =>
      limit(async () => {
        const id = prospectId(tenantId, fields.email);
        const pk = hashedPartition(tenantId, id);
        const existing = await services.store.prospects.read(pk, id);
        await services.store.prospects.upsert({
          ...existing,
          // Whichever importer called, nothing stored here can break a header it is rendered into.
          ...headerSafeFields(fields),
          id,
          pk,
          tenantId,
          domain: fields.domain ?? existing?.domain ?? emailDomain(fields.email),
          status: existing?.status ?? 'new',
          createdAt: existing?.createdAt ?? now,
          updatedAt: now,
        });
        return existing ? 'updated' : 'imported';
      }),
    ),
  );
  return {
    imported: outcomes.filter((outcome) => outcome === 'imported').length,
    updated: outcomes.filter((outcome) => outcome === 'updated').length,
  };
}
