import {
  Badge,
  makeStyles,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback } from 'react';
import type { ReportSummary } from '../api/responses';
import { useApi } from '../api/useApi';
import { formatAmount, formatCount, formatPercent } from '../display/format';
import { ResourceView } from '../feedback/ResourceView';
import { useResource } from '../feedback/useResource';
import { PageHeader } from '../shell/PageHeader';
import { BarChart } from './BarChart';
import { RoiNumbers } from './RoiNumbers';
import { usePanelStyles } from '../shell/usePanelStyles';

const useStyles = makeStyles({
  tiles: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(10rem, 1fr))', gap: tokens.spacingHorizontalM, margin: 0 },
  tile: {
    display: 'flex',
    flexDirection: 'column-reverse',
    justifyContent: 'flex-end',
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  tileValue: { margin: 0, fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
  tileLabel: { color: tokens.colorNeutralForeground2 },
  heading: { margin: 0 },
});

/** A ratio that reads "n/a" rather than "NaN%" when nothing happened yet. */
function ratio(part: number, whole: number): string {
  return whole > 0 ? formatPercent(part / whole) : 'n/a';
}

function healthColor(health: string): 'success' | 'warning' | 'danger' | 'informative' {
  if (/good|healthy|ok/i.test(health)) return 'success';
  if (/warn|risk|watch/i.test(health)) return 'warning';
  if (/poor|bad|critical|block/i.test(health)) return 'danger';
  return 'informative';
}

function Tiles({ summary }: { summary: ReportSummary }) {
  const styles = useStyles();
  const tiles = [
    { label: 'Emails sent', value: formatCount(summary.sent) },
    { label: `Replies (${ratio(summary.replies, summary.sent)} of sent)`, value: formatCount(summary.replies) },
    { label: `Positive (${ratio(summary.positive, summary.replies)} of replies)`, value: formatCount(summary.positive) },
    { label: 'Meetings booked', value: formatCount(summary.meetings) },
    { label: 'Deals created', value: formatCount(summary.dealsCreated) },
    { label: 'Pipeline', value: formatAmount(summary.pipelineAmount) },
    { label: 'Sends blocked by policy', value: formatCount(summary.policyBlocks) },
  ];
  return (
    <section aria-label="Totals">
      <dl className={styles.tiles}>
        {tiles.map((tile) => (
          <div key={tile.label} className={styles.tile}>
            <dd className={styles.tileValue}>{tile.value}</dd>
            <dt className={styles.tileLabel}>{tile.label}</dt>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Report({ summary }: { summary: ReportSummary }) {
  const styles = useStyles();
  const panel = usePanelStyles();
  return (
    <>
      <Tiles summary={summary} />

      <section className={mergeClasses(panel.panel, panel.roomy)} aria-labelledby="roi-campaigns">
        <Text as="h2" id="roi-campaigns" size={500} weight="semibold" className={styles.heading}>
          By campaign
        </Text>
        {summary.byCampaign.length === 0 ? (
          <Text>No campaign has sent anything yet.</Text>
        ) : (
          <>
            <BarChart
              title="Pipeline by campaign"
              series={['pipeline']}
              rows={summary.byCampaign.map((campaign) => ({ label: campaign.name, values: [campaign.pipelineAmount] }))}
              format={formatAmount}
            />
            <Table aria-label="Outcomes by campaign">
              <TableHeader>
                <TableRow>
                  {['Campaign', 'Sent', 'Replies', 'Positive', 'Meetings', 'Deals', 'Pipeline'].map((column) => (
                    <TableHeaderCell key={column}>{column}</TableHeaderCell>
                  ))}
                </TableRow>
              </TableHeader>
              <TableBody>
                {summary.byCampaign.map((campaign) => (
                  <TableRow key={campaign.campaignId}>
                    <TableCell>{campaign.name}</TableCell>
                    <TableCell>{formatCount(campaign.sent)}</TableCell>
                    <TableCell>{formatCount(campaign.replies)}</TableCell>
                    <TableCell>{formatCount(campaign.positive)}</TableCell>
                    <TableCell>{formatCount(campaign.meetings)}</TableCell>
                    <TableCell>{formatCount(campaign.deals)}</TableCell>
                    <TableCell>{formatAmount(campaign.pipelineAmount)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </section>

      <section className={mergeClasses(panel.panel, panel.roomy)} aria-labelledby="roi-confidence">
        <Text as="h2" id="roi-confidence" size={500} weight="semibold" className={styles.heading}>
          Replies and deals by classifier confidence
        </Text>
        {summary.byConfidenceBand.length === 0 ? (
          <Text>No replies have been classified yet.</Text>
        ) : (
          <BarChart
            title="Replies and deals per confidence band"
            series={['replies', 'deals']}
            rows={summary.byConfidenceBand.map((band) => ({ label: band.band, values: [band.replies, band.deals] }))}
            format={formatCount}
          />
        )}
      </section>

      <section className={mergeClasses(panel.panel, panel.roomy)} aria-labelledby="roi-deliverability">
        <Text as="h2" id="roi-deliverability" size={500} weight="semibold" className={styles.heading}>
          Deliverability
        </Text>
        {summary.deliverability.length === 0 ? (
          <Text>No mailbox has sent anything yet.</Text>
        ) : (
          <Table aria-label="Deliverability by mailbox">
            <TableHeader>
              <TableRow>
                {['Mailbox', 'Sent', 'Bounces', 'Bounce rate', 'Complaints', 'Health'].map((column) => (
                  <TableHeaderCell key={column}>{column}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {summary.deliverability.map((mailbox) => (
                <TableRow key={mailbox.mailbox}>
                  <TableCell>{mailbox.mailbox}</TableCell>
                  <TableCell>{formatCount(mailbox.sent)}</TableCell>
                  <TableCell>{formatCount(mailbox.bounces)}</TableCell>
                  <TableCell>{formatPercent(mailbox.bounceRate)}</TableCell>
                  <TableCell>{formatCount(mailbox.complaints)}</TableCell>
                  <TableCell>
                    <Badge appearance="tint" color={healthColor(mailbox.health)}>
                      {mailbox.health}
                    </Badge>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </>
  );
}

/** What the governed loop has produced: sends, replies, meetings, deals and pipeline, and how healthy the mailboxes are. */
export default function RoiPage() {
  const api = useApi();
  const summary = useResource(useCallback((signal: AbortSignal) => api.reportSummary(signal), [api]));
  const unavailable = summary.data === undefined && summary.problem?.status === 404;

  return (
    <>
      <PageHeader title="ROI" description="What outbound has produced so far, from first email to pipeline." refresh={summary} />
      {!unavailable && <RoiNumbers />}
      {unavailable ? (
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>Reports are not available yet</MessageBarTitle>
            This ASEP service does not serve the ROI summary yet. Everything else in the console works; check back after the next update.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <ResourceView resource={summary} loadingLabel="Loading the ROI summary…">
          {(data) => <Report summary={data} />}
        </ResourceView>
      )}
    </>
  );
}
