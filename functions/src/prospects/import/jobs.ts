import { randomUUID } from 'node:crypto';
import type { ImportJob, ImportReport } from '@asep/shared/prospects/import-report';
import type { Services } from '../../composition/services';
import { Documents, type StoredFields } from '../../store/documents';
import { tenantScoped, type TenantDocuments } from '../../store/tenant-store';
import { log } from '../../telemetry/telemetry';
import type { ImportProgress } from './import-prospects';

interface ImportJobRecord extends StoredFields, Omit<ImportJob, 'id'> {
  docType: 'importJob';
  /** Written with every batch; a running job whose heartbeat stops was cut short (e.g. the host restarted). */
  heartbeatAt: string;
}

/** A job that has not reported for this long is no longer running anywhere. */
const heartbeatTimeoutMs = 60_000;

function importJobs(services: Services, tenantId: string): TenantDocuments<ImportJobRecord> {
  return tenantScoped(new Documents<ImportJobRecord>(services.store.tenants.container, 'importJob'), tenantId);
}

/**
 * Runs an import in the background and keeps its progress in a record anyone allowed can read, so no
 * work goes on that nobody can see: each batch updates the record, the outcome (or the failure) ends it,
 * and a job whose host stopped shows as failed rather than running forever.
 */
export async function startImportJob(
  services: Services,
  tenantId: string,
  run: (onProgress: (progress: ImportProgress) => Promise<void>) => Promise<ImportReport>,
): Promise<ImportJob> {
  const jobs = importJobs(services, tenantId);
  const now = services.clock.now().toISOString();
  const created = await jobs.create({
    id: `imp-${randomUUID()}`,
    status: 'running',
    startedAt: now,
    heartbeatAt: now,
    progress: { rowsRead: 0, imported: 0, updated: 0, rejected: 0 },
  });
  const change = (update: Partial<ImportJobRecord>) =>
    jobs.update(created.id, (job) => ({ ...job, ...update, heartbeatAt: services.clock.now().toISOString() }));
  void run((progress) => change({ progress }).then(() => undefined))
    .then((report) =>
      change({
        status: 'succeeded',
        finishedAt: services.clock.now().toISOString(),
        report: withinRecordSize(report),
        progress: { rowsRead: report.file.rows, imported: report.imported, updated: report.updated, rejected: report.skipped },
      }),
    )
    .catch(async (error: unknown) => {
      log.error('import failed', { job: created.id, error: (error as Error).stack ?? String(error) });
      await change({
        status: 'failed',
        finishedAt: services.clock.now().toISOString(),
        error: error instanceof Error && 'status' in error ? error.message : 'The import stopped on an internal error; rows written so far stay.',
      }).catch(() => undefined);
    });
  return toJob(created, services);
}

/** A Cosmos DB item holds at most 2 MB: keep the first entries of each list of a very bad file. */
const listedPerKind = 5_000;

function withinRecordSize(report: ImportReport): ImportReport {
  const first = <T>(list: T[]) => list.slice(0, listedPerKind);
  return {
    ...report,
    errors: first(report.errors),
    warnings: first(report.warnings),
    suppressed: first(report.suppressed),
    duplicates: { inFile: first(report.duplicates.inFile), existing: first(report.duplicates.existing) },
  };
}

export async function findImportJob(services: Services, tenantId: string, id: string): Promise<ImportJob | undefined> {
  const record = await importJobs(services, tenantId).read(id);
  return record?.tenantId === tenantId ? toJob(record, services) : undefined;
}

function toJob(record: ImportJobRecord, services: Services): ImportJob {
  const stale = record.status === 'running' && services.clock.now().getTime() - Date.parse(record.heartbeatAt) > heartbeatTimeoutMs;
  return {
    id: record.id,
    status: stale ? 'failed' : record.status,
    startedAt: record.startedAt,
    progress: record.progress,
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    ...(record.report ? { report: record.report } : {}),
    ...(stale ? { error: 'The import stopped when its host did; import the file again (rows already written are not duplicated).' } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
}
