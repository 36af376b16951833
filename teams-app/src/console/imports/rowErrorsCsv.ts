import type { ImportReport } from '@asep/shared/prospects/import-report';

/** A cell as spreadsheets read it back safely: quoted, and never taken for a formula. */
function cell(value: string | number): string {
  const text = String(value);
  const inert = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${inert.replaceAll('"', '""')}"`;
}

/** The row errors and warnings of an import as CSV, to fix the file and import it again. */
export function rowErrorsCsv(report: Pick<ImportReport, 'errors' | 'warnings'>): string {
  const rows = [
    ...report.errors.map((issue) => ({ ...issue, kind: 'rejected' })),
    ...report.warnings.map((issue) => ({ ...issue, kind: 'imported without this value' })),
  ].sort((a, b) => a.row - b.row);
  const lines = [['line', 'field', 'outcome', 'problem'].map(cell).join(',')];
  for (const row of rows) lines.push([row.row, row.field, row.kind, row.message].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
