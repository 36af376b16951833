import type { ProspectFields } from '@asep/shared/prospects/prospect';
import { importRow } from '@asep/shared/prospects/import-row';
import type { ImportReport } from '@asep/shared/prospects/import-report';
import { mapHeaders, type ColumnMapping } from '@asep/shared/prospects/mapping';
import type { Services } from '../../composition/services';
import { writeMany, type BulkWrite } from '../../store/bulk';
import { prospectId, prospectRecord } from '../prospects';
import type { ProspectRecord, SuppressionRecord } from '../records';
import { suppressionId } from '../../sending/send-context';
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
  /** A later row for a person an earlier chunk already wrote: it updates that record and counts for nothing new. */
  repeats?: boolean;
}

const sampleSize = 20;
const batchSize = 1000;

/**
 * Imports (or previews) the prospects in a table, a thousand people at a time as the rows are read: each
 * chunk's stored prospects are looked up and its changes written in bulk before the next is read, so a
 * file of any length is never held whole. The tenant's do-not-contact list is read once. Rows equal to
 * what is stored are not written again, so importing the same file twice changes nothing the second time,
 * and an import cut short and run again lands each row once.
 */
export async function importProspects(services: Services, tenantId: string, table: ImportTable, options: ImportOptions): Promise<ImportReport> {
  const mapping = mapHeaders(table.headers, { requested: options.mapping, saved: options.savedMapping, presetId: options.presetId });
  if (!mapping.columns.some((column) => column.field === 'email')) {
    throw new UnreadableFileError(
      422,
      `No column holds the email address; the columns are ${table.headers.map((header) => `"${header}"`).join(', ')}. Name one "Email" or map one to email.${
        table.sheets && table.sheets.length > 1
          ? ` This is the sheet "${table.sheet}"; the workbook's sheets are ${table.sheets.map((name) => `"${name}"`).join(', ')} (pick one with sheet=).`
          : ''
      }`,
    );
  }

  const report: ImportReport = {
    preview: options.preview,
    file: {
      format: table.format,
      ...(table.encoding ? { encoding: table.encoding } : {}),
      ...(table.delimiter ? { delimiter: table.delimiter } : {}),
      ...(table.sheet ? { sheet: table.sheet } : {}),
      ...(table.sheets ? { sheets: table.sheets } : {}),
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

  if (!options.preview) await table.verify();
  // Per person seen so far, only what dedupe needs: the rows themselves go to the store a chunk at a time.
  const firstLineByEmail = new Map<string, number>();
  const lineByCrmId = new Map<string, { line: number; email: string }>();
  let chunk = new Map<string, PlannedRow>();
  // One chunk is written while the next is read: the store works on its own while the rows are cleaned.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (chunk.size === 0) return;
    const batch = [...chunk.values()];
    chunk = new Map();
    // Chunks land in file order, so a later row for a person is applied over the earlier one.
    await writing;
    writing = applyBatch(services, tenantId, batch, report, options.preview).then(() =>
      options.onProgress?.({ rowsRead: report.file.rows, imported: report.imported, updated: report.updated, rejected: report.skipped }),
    );
    // Awaited at the next flush or the end; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
  };
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
    if (crmId && !sameCrmId) lineByCrmId.set(crmId, { line: row.line, email });
    const firstLine = firstLineByEmail.get(email);
    if (firstLine === undefined) {
      firstLineByEmail.set(email, row.line);
      chunk.set(email, { line: row.line, fields: imported.fields });
    } else {
      report.duplicates.inFile.push({ row: row.line, firstRow: firstLine, by: 'email' });
      const earlier = chunk.get(email);
      // In this chunk: merged before it is written. In an earlier one: its values go over the stored record.
      if (earlier) earlier.fields = { ...earlier.fields, ...imported.fields };
      else chunk.set(email, { line: row.line, fields: imported.fields, repeats: true });
    }
    if (chunk.size >= batchSize) await flush();
  }
  if (report.file.rows === 0) throw new UnreadableFileError(422, 'The file has a header row but no rows of data.');
  await flush();
  await writing;
  report.errors.sort((a, b) => a.row - b.row);
  report.warnings.sort((a, b) => a.row - b.row);
  return report;
}

async function applyBatch(services: Services, tenantId: string, batch: PlannedRow[], report: ImportReport, preview: boolean): Promise<void> {
  if (preview) batch = batch.filter((row) => !row.repeats);
  // Read beside the chunk's stored prospects, in the same round of requests.
  const suppressionList = suppressionsOf(services, tenantId, batch);
  suppressionList.catch(() => undefined);
  for (let attempt = 0; ; attempt += 1) {
    const existing = await findExisting(services, tenantId, batch, report, attempt === 0);
    const suppressions = await suppressionList;
    const now = services.clock.now().toISOString();
    const writes: { row: PlannedRow; write: BulkWrite<ProspectRecord>; action: 'create' | 'update' }[] = [];
    for (const row of batch) {
      const current = existing.get(row.line);
      const suppression = suppressions.of(row.fields.email);
      if (attempt === 0 && !row.repeats && (suppression || row.fields.doNotContact)) {
        report.suppressed.push({ row: row.line, email: row.fields.email, reason: suppression?.reason ?? 'doNotContact' });
      }
      const record = prospectRecord(tenantId, row.fields, current, now, suppression && statusFor[suppression.reason]);
      const action = !current ? 'create' : sameProspect(current, record) ? 'unchanged' : 'update';
      if (attempt === 0 && !row.repeats && report.sample.length < sampleSize)
        report.sample.push({ ...row.fields, domain: record.domain, line: row.line, action });
      if (action === 'unchanged') {
        if (row.repeats) continue;
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
      if (outcome === 'written' && !row.repeats) report[action === 'create' ? 'imported' : 'updated'] += 1;
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
  const byEmail = await services.store.forTenant(tenantId).prospects.readEach(batch.map((row) => prospectId(tenantId, row.fields.email)));
  const found = new Map<number, ProspectRecord>();
  batch.forEach((row, index) => {
    const record = byEmail[index];
    if (record) found.set(row.line, record);
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
    if (record && recordDuplicates && !row.repeats) {
      report.duplicates.existing.push({ row: row.line, prospectId: record.id, by: record.email === row.fields.email ? 'email' : 'crmId' });
    }
  }
  return found;
}

interface Suppressions {
  /** The do-not-contact entry for an address. */
  of(email: string): SuppressionRecord | undefined;
}

/**
 * The do-not-contact entries for a chunk's addresses, by point reads of the entries' keys: a query for the
 * tenant's whole list would scan every partition of the container, and cost more the more the container holds,
 * on every chunk of every import. Entries are addresses only (`suppress` takes one; whole domains are the
 * policy's `excludedDomains`), so an address is the one key to read.
 */
async function suppressionsOf(services: Services, tenantId: string, batch: PlannedRow[]): Promise<Suppressions> {
  const emails = [...new Set(batch.map((row) => row.fields.email))];
  const records = await services.store.forTenant(tenantId).suppressions.readEach(emails.map(suppressionId));
  const byValue = new Map<string, SuppressionRecord>();
  for (const record of records) if (record) byValue.set(record.value, record);
  return { of: (email) => byValue.get(email) };
}

const bookkeeping = new Set(['updatedAt', '_rid', '_self', '_ts', '_attachments', '_etag']);

/**
 * Whether the record the row makes is the stored one, bookkeeping aside: field by field, values compared as they
 * are (a prospect's fields are strings, numbers and flags) and as JSON only when a field holds an object.
 */
function sameProspect(current: ProspectRecord, next: Omit<ProspectRecord, 'docType'>): boolean {
  const stored = current as unknown as Record<string, unknown>;
  const made = next as unknown as Record<string, unknown>;
  const differs = (key: string) => {
    if (bookkeeping.has(key) || key === 'docType') return false;
    const [a, b] = [stored[key], made[key]];
    if (a === b) return false;
    return typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || JSON.stringify(a) !== JSON.stringify(b);
  };
  for (const key in made) if (differs(key)) return false;
  for (const key in stored) if (!(key in made) && differs(key)) return false;
  return true;
}
