import {
  Button,
  Field,
  Input,
  makeStyles,
  mergeClasses,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import { roiCsv, type RoiFigures, type RoiReport, type RoiRow } from '@asep/shared/reports/roi';
import { useApi } from '../api/useApi';
import { downloadText } from '../audit/auditExport';
import { formatAmount, formatCount, formatPercent } from '../display/format';
import { ResourceView } from '../feedback/ResourceView';
import { useResource } from '../feedback/useResource';
import { BarChart } from './BarChart';
import { usePanelStyles } from '../shell/usePanelStyles';

const useStyles = makeStyles({
  controls: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalL },
  tiles: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(9rem, 1fr))', gap: tokens.spacingHorizontalM, margin: 0 },
  tile: { display: 'flex', flexDirection: 'column-reverse', justifyContent: 'flex-end', margin: 0 },
  tileValue: { margin: 0, fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
  tileLabel: { color: tokens.colorNeutralForeground2 },
  heading: { margin: 0 },
});

type Period = { days: 7 | 30 | 90 } | { from: string; to: string };

const optional = (value: number | null, format: (value: number) => string) => (value === null ? 'n/a' : format(value));
const hours = (value: number) => `${value.toFixed(1)} h`;
const minutes = (value: number) => (value >= 120 ? `${formatCount(Math.round(value / 60))} h` : `${formatCount(value)} min`);

const columns: { title: string; value: (figures: RoiFigures) => string }[] = [
  { title: 'Sent', value: (f) => formatCount(f.sent) },
  { title: 'Delivered', value: (f) => formatCount(f.delivered) },
  { title: 'Human replies', value: (f) => formatCount(f.humanReplies) },
  { title: 'Positive rate', value: (f) => optional(f.positiveRate, formatPercent) },
  { title: 'Meetings', value: (f) => formatCount(f.meetings) },
  { title: 'Deals', value: (f) => formatCount(f.deals) },
  { title: 'Pipeline', value: (f) => formatAmount(f.pipelineAmount) },
  { title: 'Won', value: (f) => formatAmount(f.wonAmount) },
  { title: 'Median reply time', value: (f) => optional(f.medianReplyHours, hours) },
  { title: 'Time saved', value: (f) => minutes(f.timeSavedMinutes) },
];

function Breakdown({ title, rows }: { title: string; rows: readonly RoiRow[] }) {
  return (
    <Table aria-label={`Managers' numbers by ${title.toLowerCase()}`} size="small">
      <TableHeader>
        <TableRow>
          {[title, ...columns.map((column) => column.title)].map((column) => (
            <TableHeaderCell key={column}>{column}</TableHeaderCell>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key}>
            <TableCell>{row.label}</TableCell>
            {columns.map((column) => (
              <TableCell key={column.title}>{column.value(row)}</TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Numbers({ report }: { report: RoiReport }) {
  const styles = useStyles();
  return (
    <>
      <dl className={styles.tiles} aria-label="Totals for the period">
        {columns.map((column) => (
          <div key={column.title} className={styles.tile}>
            <dd className={styles.tileValue}>{column.value(report.totals)}</dd>
            <dt className={styles.tileLabel}>{column.title}</dt>
          </div>
        ))}
      </dl>
      <BarChart
        title="Pipeline by rep"
        series={['pipeline']}
        rows={report.byRep.map((row) => ({ label: row.label, values: [row.pipelineAmount] }))}
        format={formatAmount}
      />
      <BarChart
        title="Human replies and positive replies by sequence step"
        series={['human replies', 'positive']}
        rows={report.byStep.map((row) => ({ label: row.label, values: [row.humanReplies, row.positive] }))}
        format={formatCount}
      />
      <Breakdown title="Rep" rows={report.byRep} />
      <Breakdown title="Campaign" rows={report.byCampaign} />
      <Breakdown title="Step" rows={report.byStep} />
    </>
  );
}

/**
 * The managers' numbers for a period: what was sent and delivered, human replies (out-of-office and bounces left
 * out), meetings, deals, pipeline and won amounts, reply time and time saved, in all and by rep, campaign and step.
 */
export function RoiNumbers() {
  const styles = useStyles();
  const panel = usePanelStyles();
  const api = useApi();
  const [period, setPeriod] = useState<Period>({ days: 30 });
  const [custom, setCustom] = useState({ from: '', to: '' });
  const report = useResource(useCallback((signal: AbortSignal) => api.roi(period, signal), [api, period]));
  const choice = 'days' in period ? String(period.days) : 'custom';

  return (
    <section className={mergeClasses(panel.panel, panel.roomy)} aria-labelledby="roi-numbers">
      <Text as="h2" id="roi-numbers" size={500} weight="semibold" className={styles.heading}>
        Managers&apos; numbers
      </Text>
      <div className={styles.controls}>
        <Field label="Period">
          <RadioGroup
            layout="horizontal"
            value={choice}
            onChange={(_, data) => data.value !== 'custom' && setPeriod({ days: Number(data.value) as 7 | 30 | 90 })}
          >
            <Radio value="7" label="7 days" />
            <Radio value="30" label="30 days" />
            <Radio value="90" label="90 days" />
            <Radio value="custom" label="Custom" disabled={!custom.from || !custom.to} />
          </RadioGroup>
        </Field>
        <Field label="From">
          <Input type="date" value={custom.from} onChange={(_, data) => setCustom({ ...custom, from: data.value })} />
        </Field>
        <Field label="To (not included)">
          <Input type="date" value={custom.to} onChange={(_, data) => setCustom({ ...custom, to: data.value })} />
        </Field>
        <Button disabled={!custom.from || !custom.to} onClick={() => setPeriod({ ...custom })}>
          Show custom period
        </Button>
        <Button
          disabled={!report.data}
          onClick={() => {
            const data = report.data!;
            downloadText(roiCsv(data), `asep-roi-${data.period.from.slice(0, 10)}-${data.period.to.slice(0, 10)}.csv`, 'text/csv');
          }}
        >
          Download CSV
        </Button>
      </div>
      <ResourceView resource={report} loadingLabel="Loading the numbers…">
        {(data) => <Numbers report={data} />}
      </ResourceView>
    </section>
  );
}
