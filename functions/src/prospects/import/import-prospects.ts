import { emailDomain, type ProspectFields } from '@asep/shared/prospects/prospect';
import { importRow } from '@asep/shared/prospects/import-row';
import type { ImportReport } from '@asep/shared/prospects/import-report';
import { mapHeaders, type ColumnMapping } from '@asep/shared/prospects/mapping';
import { hashedPartition } from '@asep/shared/tenancy/partitioning';
import type { Services } from '../../composition/services';
import { readMany, writeMany, type BulkWrite } from '../../store/bulk';
import { prospectId, prospectRecord } from '../prospects';
import type { ProspectRecord, SuppressionRecord } from '../records';
import { statusFor } from '../suppression';
import { UnreadableFileError, type ImportTable } from './read-file';

export interface ImportOptions {
  /** Work out and report everything, write nothing. */
  preview: boolean;
  mapping?: ColumnMapping;
  presetId?: string;
  savedMapping?: ColumnMapping;
  onProgress?: (progress: ImportProgress) => void | Promise<void>;
}

export interface ImportProgress {
  rowsRead: number;
  imported: number;
  updated: number;
  rejected: number;
}

interface PlannedRow {
  line: number;
  fields: ProspectFields;
}

const sampleSize = 20;
const batchSize = 1000;

/**
 * Imports (or previews) the prospects in a table. The whole file is read and checked before anything is
 * written, so an unreadable file imports nothing; then existing prospects and suppressions are looked up
 * and the changes written in bulk, a thousand rows at a time. Rows equal to what is stored are not
 * written again, so importing the same file twice changes nothing the second time.
 */
export async function importProspects(services: Services, tenantId: string, table: ImportTable, options: ImportOptions): Promise<ImportReport> {
  const mapping = mapHeaders(table.headers, { requested: options.mapping, saved: options.savedMapping, presetId: options.presetId });
  if (!mapping.columns.some((column) => column.field === 'email')) {
    throw new UnreadableFileError(
      422,
      `No column holds the email address; the columns are ${table.headers.map((header) => `"${header}"`).join(', ')}. Name one "Email" or map one to email.`,
    );
  }

  const report: ImportReport = {
    preview: options.preview,
    file: {
      format: table.format,
      ...(table.encoding ? { encoding: table.encoding } : {}),
      ...(table.delimiter ? { delimiter: table.delimiter } : {}),
      ...(table.sheet ? { sheet: table.sheet } : {}),
      headerLine: table.headerLine,
      rows: 0,
    },
    mapping,
    sample: [],
    imported: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    errors: [],
    warnings: [],
    duplicates: { inFile: [], existing: [] },
    suppressed: [],
  };

  const planned = new Map<string, PlannedRow>();
  const lineByCrmId = new Map<string, { line: number; email: string }>();
  for await (const row of table.rows) {
    report.file.rows += 1;
    const imported = importRow(row.line, row.cells, mapping.columns);
    for (const issue of imported.issues) {
      (issue.severity === 'error' ? report.errors : report.warnings).push({ row: issue.line, field: issue.field, message: issue.message });
    }
    if (!imported.fields) {
      report.skipped += 1;
      continue;
    }
    const { email, crmId } = imported.fields;
    const sameCrmId = crmId ? lineByCrmId.get(crmId) : undefined;
    if (sameCrmId && sameCrmId.email !== email) {
      report.errors.push({
        row: row.line,
        field: 'crmId',
        message: `Line ${sameCrmId.line} has the same CRM id ${crmId} with another e-mail (${sameCrmId.email}).`,
      });
      report.skipped += 1;
      continue;
    }
    const earlier = planned.get(email);
    if (earlier) {
      report.duplicates.inFile.push({ row: row.line, firstRow: earlier.line, by: 'email' });
      earlier.fields = { ...earlier.fields, ...imported.fields };
    } else {
      planned.set(email, { line: row.line, fields: imported.fields });
    }
    if (crmId && !sameCrmId) lineByCrmId.set(crmId, { line: row.line, email });
  }
  if (report.file.rows === 0) throw new UnreadableFileError(422, 'The file has a header row but no rows of data.');

  const rows = [...planned.values()];
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    await applyBatch(services, tenantId, batch, report, options.preview);
    await options.onProgress?.({
      rowsRead: report.file.rows,
      imported: report.imported,
      updated: report.updated,
      rejected: report.skipped,
    });
  }
  report.errors.sort((a, b) => a.row - b.row);
  report.warnings.sort((a, b) => a.row - b.row);
  return report;
}

async function applyBatch(services: Services, tenantId: string, batch: PlannedRow[], report: ImportReport, preview: boolean): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const existing = await findExisting(services, tenantId, batch, report, attempt === 0);
    const suppressions = await findSuppressions(services, tenantId, batch);
    const now = services.clock.now().toISOString();
    const writes: { row: PlannedRow; write: BulkWrite<ProspectRecord>; action: 'create' | 'update' }[] = [];
    for (const row of batch) {
      const current = existing.get(row.line);
      const suppression = suppressions.get(row.fields.email);
      if (attempt === 0 && (suppression || row.fields.doNotContact)) {
        report.suppressed.push({ row: row.line, email: row.fields.email, reason: suppression?.reason ?? 'doNotContact' });
      }
      const record = prospectRecord(tenantId, row.fields, current, now, suppression && statusFor[suppression.reason]);
      const action = !current ? 'create' : sameProspect(current, record) ? 'unchanged' : 'update';
      if (attempt === 0 && report.sample.length < sampleSize) report.sample.push({ ...row.fields, domain: record.domain, line: row.line, action });
      if (action === 'unchanged') {
        report.unchanged += 1;
        report.updated += 1;
      } else if (preview) {
        report[action === 'create' ? 'imported' : 'updated'] += 1;
      } else {
        writes.push({ row, action, write: action === 'create' ? { create: record } : { replace: record as ProspectRecord } });
      }
    }
    const outcomes = await writeMany(
      services.store.prospects,
      writes.map(({ write }) => write),
    );
    const conflicted: PlannedRow[] = [];
    outcomes.forEach((outcome, index) => {
      const { row, action } = writes[index]!;
      if (outcome === 'written') report[action === 'create' ? 'imported' : 'updated'] += 1;
      else conflicted.push(row);
    });
    if (conflicted.length === 0) return;
    if (attempt >= 4) throw new Error(`${conflicted.length} prospects kept changing during the import`);
    batch = conflicted;
  }
}

/** Stored prospects for the rows, by e-mail (point reads) and, for rows with a CRM id, by that id. */
async function findExisting(
  services: Services,
  tenantId: string,
  batch: PlannedRow[],
  report: ImportReport,
  recordDuplicates: boolean,
): Promise<Map<number, ProspectRecord>> {
  const keys = batch.map((row) => {
    const id = prospectId(tenantId, row.fields.email);
    return { id, pk: hashedPartition(tenantId, id) };
  });
  const byEmail = await readMany(services.store.prospects, keys);
  const found = new Map<number, ProspectRecord>();
  batch.forEach((row, index) => {
    const record = byEmail[index];
    if (record?.tenantId === tenantId) found.set(row.line, record);
  });
  const crmIds = batch.filter((row) => row.fields.crmId && !found.has(row.line)).map((row) => row.fields.crmId!);
  const byCrmId = new Map<string, ProspectRecord>();
  if (crmIds.length > 0) {
    const records = await services.store.prospects.query(tenantId, 'ARRAY_CONTAINS(@crmIds, c.crmId)', [{ name: '@crmIds', value: crmIds }]);
    for (const record of records) byCrmId.set(record.crmId!, record);
  }
  for (const row of batch) {
    const byCrm = row.fields.crmId ? byCrmId.get(row.fields.crmId) : undefined;
    if (!found.has(row.line) && byCrm) found.set(row.line, byCrm);
    const record = found.get(row.line);
    if (record && recordDuplicates) {
      report.duplicates.existing.push({ row: row.line, prospectId: record.id, by: record.email === row.fields.email ? 'email' : 'crmId' });
    }
  }
  return found;
}

/**
 * The do-not-contact entry for each row's address, else for its domain: one query per batch, since a
 * tenant's list holds far fewer entries than a batch has addresses and domains to point-read.
 */
async function findSuppressions(services: Services, tenantId: string, batch: PlannedRow[]): Promise<Map<string, SuppressionRecord>> {
  const values = [...new Set(batch.flatMap((row) => [row.fields.email, emailDomain(row.fields.email)]))];
  const records = await services.store.suppressions.query(tenantId, 'ARRAY_CONTAINS(@values, c["value"])', [{ name: '@values', value: values }]);
  const byValue = new Map(records.map((record) => [record.value, record]));
  const found = new Map<string, SuppressionRecord>();
  for (const row of batch) {
    const entry = byValue.get(row.fields.email) ?? byValue.get(emailDomain(row.fields.email));
    if (entry) found.set(row.fields.email, entry);
  }
  return found;
}

const bookkeeping = new Set(['updatedAt', '_rid', '_self', '_ts', '_attachments', '_etag']);

function sameProspect(current: ProspectRecord, next: Omit<ProspectRecord, 'docType'>): boolean {
  const keys = new Set([...Object.keys(current), ...Object.keys(next)].filter((key) => !bookkeeping.has(key) && key !== 'docType'));
  return [...keys].every((key) => JSON.stringify(current[key as keyof ProspectRecord]) === JSON.stringify(next[key as keyof typeof next]));
}
