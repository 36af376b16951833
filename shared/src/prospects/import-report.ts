import { z } from 'zod';
import { importFieldSchema } from './mapping';
import { prospectFieldsSchema } from './prospect';

/** What an import (or its preview) found in the file and did, or would do, with it. */
export const importReportSchema = z.object({
  preview: z.boolean(),
  file: z.object({
    format: z.enum(['csv', 'tsv', 'xlsx']),
    encoding: z.string().optional(),
    delimiter: z.string().optional(),
    sheet: z.string().optional(),
    /** Every visible sheet of a workbook, in order: pick another with `sheet=`. */
    sheets: z.array(z.string()).optional(),
    headerLine: z.number(),
    rows: z.number(),
  }),
  mapping: z.object({
    preset: z.object({ id: z.string(), name: z.string() }).optional(),
    columns: z.array(
      z.object({
        index: z.number(),
        header: z.string(),
        field: importFieldSchema.nullable(),
        source: z.enum(['request', 'saved', 'preset', 'synonym', 'none']),
      }),
    ),
  }),
  /** The first rows as they are (or would be) stored. */
  sample: z.array(prospectFieldsSchema.extend({ line: z.number(), action: z.enum(['create', 'update', 'unchanged']) })),
  /** New prospects. */
  imported: z.number(),
  /** Rows for prospects already stored, by e-mail or CRM id. */
  updated: z.number(),
  /** Rows for stored prospects (counted in `updated`) that already held every value: nothing was written. */
  unchanged: z.number(),
  /** Rows rejected (each has an error). */
  skipped: z.number(),
  errors: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
  warnings: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
  duplicates: z.object({
    /** Rows repeating an earlier row's person; their values were merged into it. */
    inFile: z.array(z.object({ row: z.number(), firstRow: z.number(), by: z.enum(['email', 'crmId']) })),
    /** Rows for people already stored, which update them. */
    existing: z.array(z.object({ row: z.number(), prospectId: z.string(), by: z.enum(['email', 'crmId']) })),
  }),
  /** Rows whose address (or its domain) is on the do-not-contact list, or marked do-not-contact in the file. */
  suppressed: z.array(z.object({ row: z.number(), email: z.string(), reason: z.string() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** An import running in the background, as `GET /api/v1/imports/{id}` shows it. */
export const importJobSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  progress: z.object({ rowsRead: z.number(), imported: z.number(), updated: z.number(), rejected: z.number() }),
  report: importReportSchema.optional(),
  error: z.string().optional(),
});
export type ImportJob = z.infer<typeof importJobSchema>;
