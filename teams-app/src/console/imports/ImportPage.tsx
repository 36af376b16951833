import {
  Badge,
  Button,
  Field,
  makeStyles,
  ProgressBar,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import type { ImportJob, ImportReport } from '@asep/shared/prospects/import-report';
import { importFieldSchema, type ColumnMapping, type ImportField } from '@asep/shared/prospects/mapping';
import { useApi } from '../api/useApi';
import { ProblemBar } from '../feedback/ProblemBar';
import { SuccessBar } from '../feedback/SuccessBar';
import { PageHeader } from '../shell/PageHeader';
import { rowErrorsCsv } from './rowErrorsCsv';
import { usePanelStyles } from '../shell/usePanelStyles';

const useStyles = makeStyles({
  dropZone: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingVerticalXXL,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  dragging: { border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  heading: { margin: 0 },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  rejected: { backgroundColor: tokens.colorPaletteRedBackground1 },
  scroll: { overflowX: 'auto' },
  hidden: { display: 'none' },
});

const fieldLabels: Record<ImportField, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  fullName: 'Full name',
  company: 'Company',
  title: 'Job title',
  domain: 'Company domain',
  website: 'Website',
  phone: 'Phone',
  crmId: 'CRM id',
  city: 'City',
  state: 'State or province',
  country: 'Country',
  location: 'Location (city, state, country)',
  timeZone: 'Time zone',
  region: 'Sales region',
  vertical: 'Industry',
  owner: 'Owner (rep e-mail)',
  doNotContact: 'Do not contact',
};

const shownErrors = 200;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/** The numbers a preview or a finished import comes to, in the words a RevOps person uses. */
function Summary({ report }: { report: ImportReport }) {
  const styles = useStyles();
  const verb = report.preview ? 'would be' : 'were';
  return (
    <div className={styles.row}>
      <Badge appearance="tint" color="success">{`${report.imported} new`}</Badge>
      <Badge appearance="tint" color="informative">{`${report.updated - report.unchanged} ${verb} updated`}</Badge>
      <Badge appearance="tint">{`${report.unchanged} already up to date`}</Badge>
      <Badge appearance="tint" color={report.skipped > 0 ? 'danger' : 'subtle'}>{`${report.skipped} rejected`}</Badge>
      <Badge
        appearance="tint"
        color={report.suppressed.length > 0 ? 'warning' : 'subtle'}
      >{`${report.suppressed.length} on the do-not-contact list`}</Badge>
      <Badge appearance="tint">{`${report.duplicates.inFile.length} duplicate rows merged`}</Badge>
    </div>
  );
}

/**
 * Import prospects: drop a list (CSV, TSV or Excel, as the CRM or tool exported it), check the preview and
 * the column mapping, then import it in the background with a progress bar. Nothing is written before Import.
 */
export default function ImportPage() {
  const styles = useStyles();
  const panel = usePanelStyles();
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [sheet, setSheet] = useState<string>();
  const [preview, setPreview] = useState<ImportReport>();
  const [job, setJob] = useState<ImportJob>();
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();

  async function previewFile(chosen: File, columns: ColumnMapping, sheetName?: string) {
    setBusy(true);
    setProblem(undefined);
    setJob(undefined);
    try {
      setPreview(await api.previewImport(chosen, columns, sheetName));
    } catch (error) {
      setPreview(undefined);
      setProblem(asApiProblem(error));
    } finally {
      setBusy(false);
    }
  }

  function choose(chosen: File | undefined) {
    if (!chosen) return;
    setFile(chosen);
    setMapping({});
    setSheet(undefined);
    void previewFile(chosen, {});
  }

  // Another sheet has other columns: its mapping starts afresh.
  function pickSheet(name: string) {
    setSheet(name);
    setMapping({});
    if (file) void previewFile(file, {}, name);
  }

  function remap(header: string, field: ImportField | null) {
    const next = { ...mapping, [header]: field };
    setMapping(next);
    if (file) void previewFile(file, next, sheet);
  }

  async function startImport() {
    if (!file) return;
    setProblem(undefined);
    try {
      setJob(await api.startImport(file, mapping, sheet));
    } catch (error) {
      setProblem(asApiProblem(error));
    }
  }

  // Follow a running import until it ends; leaving the page stops the polling.
  useEffect(() => {
    if (job?.status !== 'running') return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.importJob(job.id, controller.signal).then(setJob, (error: unknown) => {
        if (!controller.signal.aborted) setProblem(asApiProblem(error));
      });
    }, 500);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, job]);

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    choose(event.dataTransfer.files[0]);
  }

  const report = job?.report ?? preview;
  const toWrite = preview ? preview.imported + preview.updated - preview.unchanged : 0;
  const written = job ? job.progress.imported + job.progress.updated : 0;
  const rejectedLines = new Set(report?.errors.map((error) => error.row));

  return (
    <>
      <PageHeader title="Import prospects" description="Lists as your CRM or prospecting tool exports them: CSV, TSV or Excel, any encoding." />
      {problem && <ProblemBar problem={problem} />}
      <section className={panel.panel} aria-labelledby="import-file-heading">
        <Text as="h2" size={400} weight="semibold" id="import-file-heading" className={styles.heading}>
          File
        </Text>
        <div
          className={dragging ? `${styles.dropZone} ${styles.dragging}` : styles.dropZone}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="import-drop-zone"
        >
          <Text>{file ? `${file.name} (${Math.ceil(file.size / 1024)} KB)` : 'Drop a file here'}</Text>
          <input
            ref={input}
            type="file"
            className={styles.hidden}
            aria-label="Prospect list file"
            accept=".csv,.tsv,.txt,.xlsx,text/csv,text/tab-separated-values,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(event) => choose(event.target.files?.[0])}
          />
          <Button onClick={() => input.current?.click()}>{file ? 'Choose another file' : 'Choose a file'}</Button>
        </div>
        {busy && <Spinner size="small" label="Reading the file…" />}
        {preview && (
          <Text>
            {`${preview.file.format.toUpperCase()}${preview.file.encoding ? `, ${preview.file.encoding}` : ''}${
              preview.file.delimiter ? `, separated by "${preview.file.delimiter === '\t' ? 'tab' : preview.file.delimiter}"` : ''
            }${preview.file.sheet ? `, sheet "${preview.file.sheet}"` : ''}: ${preview.file.rows} rows${preview.mapping.preset ? `, recognised as ${preview.mapping.preset.name}` : ''}.`}
          </Text>
        )}
        {preview?.file.sheets && preview.file.sheets.length > 1 && (
          <Field label="Sheet to import" hint={`The workbook has ${preview.file.sheets.length} sheets.`}>
            <Select value={preview.file.sheet ?? ''} onChange={(_event, data) => pickSheet(data.value)}>
              {preview.file.sheets.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </section>

      {preview && (
        <section className={panel.panel} aria-labelledby="import-mapping-heading">
          <Text as="h2" size={400} weight="semibold" id="import-mapping-heading" className={styles.heading}>
            Columns
          </Text>
          <div className={styles.scroll}>
            <Table aria-labelledby="import-mapping-heading" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Column in the file</TableHeaderCell>
                  <TableHeaderCell>Imported as</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.mapping.columns.map((column) => (
                  <TableRow key={column.index}>
                    <TableCell>{column.header || `(column ${column.index + 1}, no header)`}</TableCell>
                    <TableCell>
                      <Select
                        aria-label={`Import "${column.header}" as`}
                        value={column.field ?? ''}
                        onChange={(_event, data) => remap(column.header, data.value === '' ? null : (data.value as ImportField))}
                      >
                        <option value="">Not imported</option>
                        {importFieldSchema.options.map((field) => (
                          <option key={field} value={field}>
                            {fieldLabels[field]}
                          </option>
                        ))}
                      </Select>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </section>
      )}

      {report && (
        <section className={panel.panel} aria-labelledby="import-preview-heading">
          <Text as="h2" size={400} weight="semibold" id="import-preview-heading" className={styles.heading}>
            {report.preview ? 'Preview' : 'Imported'}
          </Text>
          <Summary report={report} />
          <div className={styles.scroll}>
            <Table aria-label="First rows as they will be stored" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Line</TableHeaderCell>
                  <TableHeaderCell>Email</TableHeaderCell>
                  <TableHeaderCell>Name</TableHeaderCell>
                  <TableHeaderCell>Company</TableHeaderCell>
                  <TableHeaderCell>Title</TableHeaderCell>
                  <TableHeaderCell>Phone</TableHeaderCell>
                  <TableHeaderCell>Time zone</TableHeaderCell>
                  <TableHeaderCell>Change</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {report.sample.map((row) => (
                  <TableRow key={row.line}>
                    <TableCell>{row.line}</TableCell>
                    <TableCell>{row.email}</TableCell>
                    <TableCell>{[row.firstName, row.lastName].filter(Boolean).join(' ') || row.fullName}</TableCell>
                    <TableCell>{row.company}</TableCell>
                    <TableCell>{row.title}</TableCell>
                    <TableCell>{row.phone}</TableCell>
                    <TableCell>{row.timeZone}</TableCell>
                    <TableCell>{row.action === 'create' ? 'New' : row.action === 'update' ? 'Update' : 'No change'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {report.errors.length + report.warnings.length > 0 && (
            <>
              <Text as="h3" size={300} weight="semibold" className={styles.heading}>
                {`Problems in ${report.errors.length + report.warnings.length} places`}
              </Text>
              <div className={styles.scroll}>
                <Table aria-label="Row problems" size="small">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Line</TableHeaderCell>
                      <TableHeaderCell>Field</TableHeaderCell>
                      <TableHeaderCell>Problem</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {[...report.errors, ...report.warnings].slice(0, shownErrors).map((issue, index) => (
                      <TableRow key={index} className={rejectedLines.has(issue.row) ? styles.rejected : undefined}>
                        <TableCell>{issue.row}</TableCell>
                        <TableCell>{issue.field}</TableCell>
                        <TableCell>{`${rejectedLines.has(issue.row) ? 'Row rejected: ' : ''}${issue.message}`}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
              <div className={styles.row}>
                <Button onClick={() => download(`${file?.name ?? 'import'}-problems.csv`, rowErrorsCsv(report))}>Download problems as CSV</Button>
              </div>
            </>
          )}
          {!job && (
            <div className={styles.row}>
              <Button appearance="primary" disabled={busy || toWrite === 0} onClick={() => void startImport()}>
                {toWrite === 0 ? 'Nothing to import' : `Import ${toWrite} prospects`}
              </Button>
            </div>
          )}
          {job && (
            <Field
              label="Import progress"
              validationState={job.status === 'failed' ? 'error' : 'none'}
              validationMessage={job.status === 'failed' ? job.error : undefined}
            >
              <ProgressBar value={toWrite > 0 ? Math.min(written / toWrite, 1) : 1} max={1} />
            </Field>
          )}
          {job?.status === 'running' && <Text>{`${job.progress.rowsRead} rows read, ${written} of ${toWrite} written…`}</Text>}
          {job?.status === 'succeeded' && (
            <SuccessBar>{`Imported: ${job.progress.imported} new, ${job.progress.updated} updated, ${job.progress.rejected} rejected.`}</SuccessBar>
          )}
        </section>
      )}
    </>
  );
}
