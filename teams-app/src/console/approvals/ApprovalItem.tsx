import { Badge, Button, Checkbox, makeStyles, Text, tokens, useId } from '@fluentui/react-components';
import { useState } from 'react';
import type { Approval } from '@asep/shared/approvals/approval';
import { approvalKindTitles, recipientOf } from '../../cards/approval-parts';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { formatInstant, formatPercent } from '../display/format';
import { ProblemBar } from '../feedback/ProblemBar';
import { blockingReasons, isBulkApprovable } from './approvalText';
import { DealDialog } from './DealDialog';
import { RejectDialog } from './RejectDialog';

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  head: { display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'flex-start', gap: tokens.spacingHorizontalM },
  title: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  heading: { margin: 0 },
  context: { color: tokens.colorNeutralForeground2 },
  email: {
    margin: 0,
    padding: tokens.spacingHorizontalM,
    whiteSpace: 'pre-wrap',
    fontFamily: tokens.fontFamilyBase,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  sectionTitle: { margin: 0 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  subtle: { color: tokens.colorNeutralForeground2 },
});

interface ApprovalItemProps {
  approval: Approval;
  canDecide: boolean;
  selected: boolean;
  onSelectedChange(selected: boolean): void;
  /** Called once the API has recorded the decision, with what to tell the person. */
  onDecided(message: string): void;
}

/** One pending approval with everything the Teams card shows, and the card's decisions. */
export function ApprovalItem({ approval, canDecide, selected, onSelectedChange, onDecided }: ApprovalItemProps) {
  const styles = useStyles();
  const api = useApi();
  const headingId = useId('approval');
  const [dialog, setDialog] = useState<'reject' | 'deal'>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const recipient = recipientOf(approval);
  const isDeal = approval.kind === 'deal_create';
  const reasons = blockingReasons(approval);
  const { facts, excerpt, confidence } = approval.evidence;

  const decideNow = async (decide: () => Promise<unknown>, message: string) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await decide();
      onDecided(message);
    } catch (error) {
      setProblem(asApiProblem(error));
      setBusy(false);
    }
  };

  return (
    <article className={styles.card} aria-labelledby={headingId}>
      <div className={styles.head}>
        <div className={styles.title}>
          <Text as="h2" id={headingId} size={400} weight="semibold" className={styles.heading}>
            {recipient}
          </Text>
          <Text className={styles.context}>{[approval.company, approval.campaignName].filter(Boolean).join(' · ')}</Text>
        </div>
        <Badge appearance="tint" color={isDeal ? 'success' : 'brand'}>
          {approvalKindTitles[approval.kind]}
        </Badge>
      </div>

      {approval.subject && (
        <Text>
          <Text weight="semibold">Subject:</Text> {approval.subject}
        </Text>
      )}
      {(isDeal ? (excerpt ?? approval.body) : approval.body) && (
        <pre className={styles.email}>{isDeal ? (excerpt ?? approval.body) : approval.body}</pre>
      )}
      {isDeal && confidence !== undefined && <Text>Confidence that this reply is positive: {formatPercent(confidence)}</Text>}

      {reasons.length > 0 && (
        <section aria-label="Why it needs you">
          <Text as="h3" size={300} weight="semibold" className={styles.sectionTitle}>
            Why it needs you
          </Text>
          <ul className={styles.list}>
            {reasons.map((reason) => (
              <li key={reason.rule}>
                {reason.message} <span className={styles.subtle}>({reason.rule})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {facts.length > 0 && (
        <section aria-label="Evidence">
          <Text as="h3" size={300} weight="semibold" className={styles.sectionTitle}>
            Evidence
          </Text>
          <ul className={styles.list}>
            {facts.map(({ fact, source }) => (
              <li key={`${fact}|${source}`}>
                {fact} {source && <span className={styles.subtle}>(source: {source})</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <Text size={200} className={styles.subtle}>
        Expires {formatInstant(approval.expiresAt)}
      </Text>

      {problem && <ProblemBar problem={problem} />}
      {canDecide && (
        <div className={styles.actions}>
          {isDeal ? (
            <>
              <Button appearance="primary" disabled={busy} onClick={() => setDialog('deal')}>
                Create deal…
              </Button>
              <Button disabled={busy} onClick={() => void decideNow(() => api.reject(approval.id), `Skipped the deal for ${recipient}.`)}>
                Skip deal
              </Button>
            </>
          ) : (
            <>
              <Button
                appearance="primary"
                disabled={busy}
                onClick={() => void decideNow(() => api.approve(approval.id), `Approved: the email to ${recipient} is on its way.`)}
              >
                {busy ? 'Approving…' : 'Approve'}
              </Button>
              <Button disabled={busy} onClick={() => setDialog('reject')}>
                Reject…
              </Button>
            </>
          )}
          {isBulkApprovable(approval) && (
            <Checkbox label="Select for bulk approval" checked={selected} onChange={(_, data) => onSelectedChange(data.checked === true)} />
          )}
        </div>
      )}

      {dialog === 'reject' && (
        <RejectDialog
          approval={approval}
          recipient={recipient}
          onClose={() => setDialog(undefined)}
          onRejected={() => onDecided(`Rejected the email to ${recipient}; it will not be sent.`)}
        />
      )}
      {dialog === 'deal' && (
        <DealDialog
          approval={approval}
          recipient={recipient}
          onClose={() => setDialog(undefined)}
          onCreated={() => onDecided(`Deal created for ${recipient}.`)}
        />
      )}
    </article>
  );
}
