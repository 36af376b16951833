import { z } from 'zod';
import { changeKey } from '@asep/shared/audit/change-key';
import { importIdSchema } from '@asep/shared/ids/ids';
import { columnMappingSchema, importPresets, type ColumnMapping } from '@asep/shared/prospects/mapping';
import type { ImportReport } from '@asep/shared/prospects/import-report';
import type { Services } from '../../composition/services';
import { registerApi, type ApiContext } from '../../http/api';
import { HttpProblem, notFound } from '../../http/problem';
import { Documents, type StoredFields } from '../../store/documents';
import { tenantScoped } from '../../store/tenant-store';
import { importProspects, type ImportOptions } from './import-prospects';
import { findImportJob, startImportJob } from './jobs';
import { openImportFile, UnreadableFileError } from './read-file';

/** Content types browsers and tools send for the lists people have (Windows labels CSV as vnd.ms-excel). */
const fileTypes = [
  'text/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

const importQuery = z.object({
  /** Report what the import would do and write nothing. */
  preview: flag.optional(),
  /** Run in the background: 202 with the job to follow at `GET /api/v1/imports/{id}`. */
  background: flag.optional(),
  preset: z.enum(importPresets.map((preset) => preset.id) as [string, ...string[]]).optional(),
  sheet: z.string().max(100).optional(),
  /** Header → field overrides, as JSON (`{"Contact":"fullName","Notes":null}`). */
  mapping: z
    .string()
    .max(20_000)
    .transform((text, context) => {
      try {
        return columnMappingSchema.parse(JSON.parse(text));
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON object of header → field (or null to ignore)' });
        return z.NEVER;
      }
    })
    .optional(),
  /** Remember this import's mapping for the tenant's next files. */
  saveMapping: flag.optional(),
});

interface SavedMappingRecord extends StoredFields {
  docType: 'importMapping';
  columns: ColumnMapping;
  updatedAt: string;
}

const savedMappingId = 'import-mapping';
const savedMappings = (services: Services, tenantId: string) =>
  tenantScoped(new Documents<SavedMappingRecord>(services.store.tenants.container, 'importMapping'), tenantId);

async function savedMapping(services: Services, tenantId: string): Promise<ColumnMapping | undefined> {
  return (await savedMappings(services, tenantId).read(savedMappingId))?.columns;
}

/** Keeps the tenant's mapping; audited when it changes, and saving the same mapping again changes nothing. */
async function saveMapping(
  context: Pick<ApiContext<unknown, unknown>, 'services' | 'principal' | 'correlationId' | 'requestId'>,
  columns: ColumnMapping,
): Promise<void> {
  const { services, principal, correlationId, requestId } = context;
  if (JSON.stringify(await savedMapping(services, principal.tenantId)) === JSON.stringify(columns)) return;
  await savedMappings(services, principal.tenantId).upsert({
    id: savedMappingId,
    columns,
    updatedAt: services.clock.now().toISOString(),
  });
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'prospects.importMappingSaved',
    correlationId,
    idempotencyKey: changeKey('prospects.importMappingSaved', principal.tenantId, columns, requestId),
    payload: { columns },
  });
}

async function runImport(
  context: ApiContext<unknown, unknown>,
  file: Buffer,
  contentType: string,
  query: z.infer<typeof importQuery>,
  onProgress?: ImportOptions['onProgress'],
): Promise<ImportReport> {
  const { services, principal, correlationId, requestId } = context;
  const table = await openImportFile(file, { contentType, ...(query.sheet ? { sheet: query.sheet } : {}) });
  const preview = query.preview ?? false;
  const report = await importProspects(services, principal.tenantId, table, {
    preview,
    ...(query.mapping ? { mapping: query.mapping } : {}),
    ...(query.preset ? { presetId: query.preset } : {}),
    savedMapping: await savedMapping(services, principal.tenantId),
    ...(onProgress ? { onProgress } : {}),
  });
  if (preview) return report;
  if (query.saveMapping) {
    await saveMapping(context, Object.fromEntries(report.mapping.columns.map((column) => [column.header, column.field])));
  }
  await services.audit.append(principal.tenantId, {
    actor: { type: 'user', id: principal.userId, name: principal.name },
    type: 'prospects.imported',
    correlationId,
    idempotencyKey: changeKey('prospects.imported', principal.tenantId, { imported: report.imported, updated: report.updated }, requestId),
    payload: { imported: report.imported, updated: report.updated, unchanged: report.unchanged, skipped: report.skipped, format: report.file.format },
  });
  return report;
}

function problemFor(error: unknown): never {
  if (error instanceof UnreadableFileError) {
    throw new HttpProblem(error.status, error.status === 415 ? 'Unsupported media type' : 'Unreadable file', error.message, [
      { field: 'file', message: error.message },
    ]);
  }
  throw error;
}

registerApi(
  'prospectsImport',
  {
    route: 'v1/prospects/import',
    methods: ['POST'],
    permission: 'prospects.import',
    fileBody: fileTypes,
    query: importQuery,
    maxBodyBytes: 50_000_000,
  },
  async (context) => {
    const { services, principal, query, request } = context;
    const file = context.body as unknown as Buffer;
    const contentType = request.headers.get('content-type') ?? '';
    const background = query.background ?? request.headers.get('prefer')?.includes('respond-async') ?? false;
    if (!background) {
      const report = await runImport(context, file, contentType, query).catch(problemFor);
      return { body: report };
    }
    // The file is opened before answering, so a file that is not what it says is refused here, not later.
    await openImportFile(file, { contentType, ...(query.sheet ? { sheet: query.sheet } : {}) }).catch(problemFor);
    const job = await startImportJob(services, principal.tenantId, (onProgress) => runImport(context, file, contentType, query, onProgress));
    return { status: 202, headers: { location: `/api/v1/imports/${job.id}` }, body: job };
  },
);

registerApi(
  'importsRead',
  { route: 'v1/imports/{id}', methods: ['GET'], permission: 'prospects.import', params: z.object({ id: importIdSchema }) },
  async ({ services, principal, params }) => {
    const job = await findImportJob(services, principal.tenantId, params.id!);
    if (!job) throw notFound(`Import ${params.id}`);
    return { body: job };
  },
);

registerApi(
  'importMappingRead',
  { route: 'v1/prospects/import/mapping', methods: ['GET'], permission: 'prospects.import' },
  async ({ services, principal }) => ({
    body: { columns: (await savedMapping(services, principal.tenantId)) ?? {}, presets: importPresets.map(({ id, name }) => ({ id, name })) },
  }),
);

registerApi(
  'importMappingSave',
  {
    route: 'v1/prospects/import/mapping',
    methods: ['PUT'],
    permission: 'prospects.import',
    body: z.strictObject({ columns: columnMappingSchema }),
  },
  async (context) => {
    const { body } = context;
    await saveMapping(context, body.columns);
    return { body: { columns: body.columns } };
  },
);
