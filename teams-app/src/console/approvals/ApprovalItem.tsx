import { Badge, Button, Checkbox, Field, Input, Link, makeStyles, Text, Textarea, tokens, useId } from '@fluentui/react-components';
import { useState } from 'react';
import type { Approval } from '@asep/shared/approvals/approval';
import { citedSentences, draftAuthorNote } from '@asep/shared/drafting/evidence-view';
import { approvalKindTitles, recipientOf } from '../../cards/approval-parts';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { formatInstant, formatPercent } from '../display/format';
import { ProblemBar } from '../feedback/ProblemBar';
import { blockingReasons, isBulkApprovable } from './approvalText';
import { DealDialog } from './DealDialog';
import { RejectDialog } from './RejectDialog';
import { usePanelStyles } from '../shell/usePanelStyles';

const useStyles = makeStyles({
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
  const panel = usePanelStyles();
  const api = useApi();
  const headingId = useId('approval');
  const [dialog, setDialog] = useState<'reject' | 'deal'>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const recipient = recipientOf(approval);
  const isDeal = approval.kind === 'deal_create';
  const reasons = blockingReasons(approval);
  const { facts, excerpt, confidence } = approval.evidence;
  const cited = citedSentences(approval.evidence);
  const authorNote = draftAuthorNote(approval.evidence.author);
  const isDraft = approval.evidence.sentences !== undefined;
  const [editing, setEditing] = useState<{ subject: string; body: string }>();

  const decideNow = async <T,>(decide: () => Promise<T>, message: string | ((result: T) => string)) => {
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await decide();
      onDecided(typeof message === 'string' ? message : message(result));
    } catch (error) {
      setProblem(asApiProblem(error));
      setBusy(false);
    }
  };

  return (
    <article className={panel.panel} aria-labelledby={headingId}>
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
      {editing ? (
        <section aria-label="Edit the email">
          <Field label="Subject">
            <Input value={editing.subject} onChange={(_, data) => setEditing({ ...editing, subject: data.value })} />
          </Field>
          <Field label="Body" hint="The policy checks the edit again; sentences you change no longer cite their facts.">
            <Textarea resize="vertical" rows={10} value={editing.body} onChange={(_, data) => setEditing({ ...editing, body: data.value })} />
          </Field>
        </section>
      ) : (
        (isDeal ? (excerpt ?? approval.body) : approval.body) && (
          <pre className={styles.email}>{isDeal ? (excerpt ?? approval.body) : approval.body}</pre>
        )
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
      {cited.length > 0 && (
        <section aria-label="Evidence">
          <Text as="h3" size={300} weight="semibold" className={styles.sectionTitle}>
            Evidence
          </Text>
          {authorNote && <Text className={styles.subtle}>{authorNote}</Text>}
          <ul className={styles.list}>
            {cited.map((sentence) => (
              <li key={sentence.text}>
                <Text weight="semibold">“{sentence.text}”</Text>
                <ul className={styles.list}>
                  {sentence.facts.map((fact) => (
                    <li key={fact.id ?? fact.fact}>
                      {fact.fact}{' '}
                      <span className={styles.subtle}>
                        (
                        {fact.url ? (
                          <Link href={fact.url} target="_blank" rel="noreferrer">
                            {fact.source}
                          </Link>
                        ) : (
                          `${fact.source}${fact.recordId ? ` ${fact.recordId}` : ''}`
                        )}
                        {fact.retrievedAt && `, retrieved ${formatInstant(fact.retrievedAt)}`})
                      </span>
                    </li>
                  ))}
                  {sentence.missing.map((id) => (
                    <li key={id}>Cites {id}, which is not on record.</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}
      {cited.length === 0 && facts.length > 0 && (
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
                onClick={() =>
                  void decideNow(
                    () => api.approve(approval.id, editing ? { edited: editing } : {}),
                    (decided) =>
                      editing
                        ? `Approved your edit: the email to ${recipient} is on its way. ${recheckOf(decided)}`
                        : `Approved: the email to ${recipient} is on its way.`,
                  )
                }
              >
                {busy ? 'Approving…' : editing ? 'Approve edited email' : 'Approve'}
              </Button>
              {isDraft && !editing && (
                <Button
                  disabled={busy}
                  onClick={() => setEditing({ subject: approval.subject ?? '', body: (approval.body ?? '').replace(/\n\n--\n[^\n]*$/, '') })}
                >
                  Edit before approving
                </Button>
              )}
              {editing && (
                <Button disabled={busy} onClick={() => setEditing(undefined)}>
                  Discard edit
                </Button>
              )}
              {isDraft && (
                <Button disabled={busy} onClick={() => void decideNow(() => api.regenerate(approval.id), `Asked for a new draft for ${recipient}.`)}>
                  Regenerate
                </Button>
              )}
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

/** What the policy said when it checked the approver's edit again, in one sentence for the outcome bar. */
function recheckOf(decided: Approval): string {
  const reasons = decided.edit?.reasons ?? [];
  return reasons.length > 0
    ? `The policy checked your edit again: ${reasons.join(' ')}`
    : 'The policy checked your edit again and found nothing to flag.';
}
