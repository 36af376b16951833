import {
  Body1,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import type { Role } from '@asep/shared/access/roles';
import type { MessageInsight } from '@asep/shared/insights/insight';
import { crmProductName } from '@asep/shared/deals/deal';
import type { ApiClient } from '../api/client';
import { BookedMeeting } from '../booking/BookedMeeting';
import { BookingLauncher } from '../booking/BookingLauncher';
import { MeetingChanges } from '../booking/MeetingChanges';
import { formatDateTime, formatDay } from '../display/dates';
import type { SelectedMessage } from '../office/mailbox';
import { ActionBar } from './ActionBar';
import type { ReplyLabel } from '@asep/shared/classification/labels';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { readConfidence } from './labels';
import { actionsForInsight } from './paneActions';
import { Section } from './Section';

const useStyles = makeStyles({
  labelRow: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  quote: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalM,
    borderInlineStartWidth: tokens.strokeWidthThicker,
    borderInlineStartStyle: 'solid',
    borderInlineStartColor: tokens.colorBrandStroke1,
  },
  highlight: { backgroundColor: tokens.colorPaletteYellowBackground2, color: tokens.colorNeutralForeground1, paddingInline: '2px' },
  list: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL },
  label: {
    borderRadius: tokens.borderRadiusMedium,
    paddingInline: tokens.spacingHorizontalS,
    paddingBlock: tokens.spacingVerticalXXS,
    fontWeight: tokens.fontWeightSemibold,
  },
  good: { backgroundColor: tokens.colorPaletteGreenBackground2, color: tokens.colorPaletteGreenForeground2 },
  calm: { backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground1 },
  caution: { backgroundColor: tokens.colorPaletteYellowBackground2, color: tokens.colorNeutralForeground1 },
  stop: { backgroundColor: tokens.colorPaletteRedBackground2, color: tokens.colorPaletteRedForeground2 },
  trace: {
    '& summary': { cursor: 'pointer', color: tokens.colorNeutralForeground2, paddingBlock: tokens.spacingVerticalXS },
    '& summary:focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, borderRadius: tokens.borderRadiusMedium },
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground2 },
    '& dd': { margin: 0 },
  },
});

/** Green to go ahead, yellow to read carefully, red to stop: the label's colour says what it means for the rep. */
const labelTones: Record<ReplyLabel, 'good' | 'calm' | 'caution' | 'stop'> = {
  positive: 'good',
  neutral: 'calm',
  objection: 'caution',
  unsubscribe: 'stop',
  ooo: 'calm',
  bounce: 'stop',
};

const sequenceStatusNames: Record<NonNullable<MessageInsight['sequence']>['status'], string> = {
  running: 'Running',
  waiting_approval: 'Waiting for approval',
  paused: 'Paused',
  completed: 'Completed',
  stopped: 'Stopped',
};

const dealStageNames: Record<NonNullable<MessageInsight['deal']>['stage'], string> = {
  POSITIVE_REPLY: 'Positive reply',
  MEETING_BOOKED: 'Meeting booked',
  QUALIFIED: 'Qualified',
  WON: 'Won',
  DISQUALIFIED: 'Disqualified',
};

export interface InsightDetailsProps {
  insight: MessageInsight;
  message: SelectedMessage | null;
  roles: readonly Role[];
  api: ApiClient;
  onChanged: () => void;
}

/** Everything known about one reply, ordered as a rep reads it: what it is, why, who, where it stands, what next. */
export function InsightDetails({ insight, message, roles, api, onChanged }: InsightDetailsProps) {
  const actions = actionsForInsight(roles, insight);
  return (
    <>
      <Classification insight={insight} />
      <Evidence evidence={insight.evidence} />
      {insight.ooo && <OutOfOffice ooo={insight.ooo} />}
      {insight.bounce && <Bounce bounce={insight.bounce} />}
      <ProspectAndSequence prospect={insight.prospect} sequence={insight.sequence} />
      <DealState insight={insight} />
      <NextStep nextAction={insight.nextAction} />
      <ActionBar actions={actions} insight={insight} message={message} api={api} onChanged={onChanged} />
      {insight.booking ? (
        <Section title="Meeting">
          <BookedMeeting meeting={insight.booking} firstName={insight.prospect?.name.split(/\s+/)[0]} />
          {actions.includes('changeMeeting') && insight.prospect && (
            // Keyed by the time: once the meeting has moved, the choices start afresh from the new time.
            <MeetingChanges key={insight.booking.start} api={api} booking={insight.booking} prospect={insight.prospect} onChanged={onChanged} />
          )}
        </Section>
      ) : (
        actions.includes('bookMeeting') && insight.prospect && <BookingLauncher api={api} prospect={insight.prospect} onBooked={onChanged} />
      )}
    </>
  );
}

function Classification({ insight }: { insight: MessageInsight }) {
  const styles = useStyles();
  const { label, confidence, reliability } = insight.classification;
  const reading = readConfidence(label, confidence, reliability);
  return (
    <Section title="Reply">
      <div className={styles.labelRow}>
        <Text className={mergeClasses(styles.label, styles[labelTones[label]])}>{replyLabelNames[label]}</Text>
        <Text weight="semibold">
          {reading.percent} confidence ({reading.level.toLowerCase()})
        </Text>
      </div>
      <Caption1>{reading.meaning}</Caption1>
    </Section>
  );
}

function Evidence({ evidence }: { evidence: MessageInsight['evidence'] }) {
  const styles = useStyles();
  return (
    <Section title="Why">
      <blockquote className={styles.quote} aria-label="The part of the reply that decided the label">
        <mark className={styles.highlight}>{evidence.excerpt}</mark>
      </blockquote>
      {evidence.facts.length > 0 && (
        <ul className={styles.list} aria-label="Facts used">
          {evidence.facts.map((fact) => (
            <li key={fact}>
              <Body1>{fact}</Body1>
            </li>
          ))}
        </ul>
      )}
      {evidence.trace.length > 0 && (
        <details className={styles.trace}>
          <summary>
            <Body1>Decision trace ({evidence.trace.length} steps)</Body1>
          </summary>
          <ol className={styles.list}>
            {evidence.trace.map((entry, index) => (
              <li key={index}>
                <Body1>
                  <Text weight="semibold">{entry.step}</Text>: {entry.detail}
                </Body1>
              </li>
            ))}
          </ol>
        </details>
      )}
    </Section>
  );
}

function OutOfOffice({ ooo }: { ooo: NonNullable<MessageInsight['ooo']> }) {
  const referral = ooo.referral && [ooo.referral.name, ooo.referral.email && `<${ooo.referral.email}>`].filter(Boolean).join(' ');
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{ooo.returnDate ? `Out of office until ${formatDay(ooo.returnDate)}` : 'Out of office'}</MessageBarTitle>
        {referral && <>Refers you to {referral}. </>}
        {ooo.leftCompany && <>Has left the company.</>}
      </MessageBarBody>
    </MessageBar>
  );
}

function Bounce({ bounce }: { bounce: NonNullable<MessageInsight['bounce']> }) {
  const explanation =
    bounce.kind === 'hard' ? 'The address does not accept mail: ASEP stops writing to it.' : 'A temporary delivery failure: ASEP tries again later.';
  return (
    <MessageBar intent="warning" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{bounce.kind === 'hard' ? 'Hard bounce' : 'Soft bounce'}</MessageBarTitle>
        {explanation}
        {bounce.status && <> (status {bounce.status})</>}
      </MessageBarBody>
    </MessageBar>
  );
}

/** What the rep does next, as the service decided it. */
export function NextStep({ nextAction }: Pick<MessageInsight, 'nextAction'>) {
  return (
    <Section title="Next">
      <Body1>
        <Text weight="semibold">{nextAction.label}</Text>
        {nextAction.detail && <> — {nextAction.detail}</>}
      </Body1>
    </Section>
  );
}

/** Who the email is with, and where their sequence stands. */
export function ProspectAndSequence({ prospect, sequence }: Pick<MessageInsight, 'prospect' | 'sequence'>) {
  const styles = useStyles();
  return (
    <Section title="Prospect">
      {prospect ? (
        <Body1>
          <Text weight="semibold">{prospect.name}</Text>
          {[prospect.title, prospect.company].some(Boolean) && <>, {[prospect.title, prospect.company].filter(Boolean).join(' at ')}</>}
        </Body1>
      ) : (
        <Body1>The sender is not a known prospect.</Body1>
      )}
      {sequence && (
        <dl className={styles.facts}>
          <dt>Campaign</dt>
          <dd>{sequence.campaignName}</dd>
          <dt>Sequence</dt>
          <dd>
            Step {sequence.step} of {sequence.totalSteps}, {sequenceStatusNames[sequence.status].toLowerCase()}
          </dd>
          {sequence.pausedUntil && (
            <>
              <dt>Paused until</dt>
              <dd>{formatDay(sequence.pausedUntil)}</dd>
            </>
          )}
          {sequence.nextSendAt && (
            <>
              <dt>Next send</dt>
              <dd>{formatDateTime(sequence.nextSendAt)}</dd>
            </>
          )}
        </dl>
      )}
    </Section>
  );
}

function DealState({ insight }: { insight: MessageInsight }) {
  const styles = useStyles();
  const { deal, pendingDealApprovalId } = insight;
  return (
    <Section title="Deal">
      {deal ? (
        <dl className={styles.facts}>
          <dt>Stage</dt>
          <dd>{dealStageNames[deal.stage]}</dd>
          {deal.amount !== undefined && (
            <>
              <dt>Amount</dt>
              <dd>{new Intl.NumberFormat().format(deal.amount)}</dd>
            </>
          )}
          {deal.crm?.url && (
            <>
              <dt>CRM</dt>
              <dd>
                <Link href={deal.crm.url} target="_blank" rel="noreferrer">
                  Open in {crmProductName(deal.crm.system)}
                </Link>
              </dd>
            </>
          )}
        </dl>
      ) : (
        <Body1>No deal yet.</Body1>
      )}
      {pendingDealApprovalId && <Body1>“Create deal?” is waiting for a Manager’s approval.</Body1>}
    </Section>
  );
}
