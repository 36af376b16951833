import { Button, Label, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { MessageInsight } from '@asep/shared/insights/insight';
import { useId, useState } from 'react';
import type { ApiClient } from '../api/client';
import { asApiProblem } from '@asep/shared/client/problem';
import type { SelectedMessage } from '../office/mailbox';
import { replyLabels, type ReplyLabel } from '@asep/shared/classification/labels';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import type { PaneAction } from './paneActions';
import { Section } from './Section';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalS },
  field: { display: 'grid', gap: tokens.spacingVerticalXXS },
  /** A native select in Fluent's look: Fluent's Select wraps the same element, at ~4 KB gzip of first-render JS. */
  select: {
    minHeight: '32px',
    paddingInline: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderBottomColor: tokens.colorNeutralStrokeAccessible,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
});

type Outcome = { intent: 'success' | 'error'; text: string };

/** Runs one action at a time and says how it went; a success refreshes the insight. */
function useActionRunner(onChanged: () => void) {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  async function run(successText: string, action: () => Promise<unknown>) {
    setPending(true);
    setOutcome(undefined);
    try {
      await action();
      setOutcome({ intent: 'success', text: successText });
      onChanged();
    } catch (error) {
      setOutcome({ intent: 'error', text: asApiProblem(error).message });
    } finally {
      setPending(false);
    }
  }
  return { pending, outcome, run };
}

export interface ActionBarProps {
  actions: readonly PaneAction[];
  /** Null when the service does not know the email (only adding the sender applies). */
  insight: MessageInsight | null;
  message: SelectedMessage | null;
  api: ApiClient;
  onChanged: () => void;
}

/**
 * Triage was not sure enough to act: one click confirms its label (applying what a confident label would have
 * done), or the runner-up; the label picker above picks any other.
 */
function ConfirmReview({
  review,
  disabled,
  api,
  run,
}: {
  review: NonNullable<MessageInsight['pendingReview']>;
  disabled: boolean;
  api: ApiClient;
  run: (successText: string, action: () => Promise<unknown>) => Promise<void>;
}) {
  const styles = useStyles();
  const choices = [review.suggestedLabel, ...review.topLabels.map((candidate) => candidate.label)].filter(
    (label, index, all) => all.indexOf(label) === index,
  );
  const confirm = (label: ReplyLabel) =>
    void run(`Confirmed as ${replyLabelNames[label]}: applied once.`, () => api.approve(review.approvalId, { label }));
  return (
    <div className={styles.field}>
      <Text>Not sure enough to act on its own ({Math.round(review.confidence * 100)}%). Nothing was done yet.</Text>
      <div className={styles.row}>
        {choices.slice(0, 2).map((label, index) => (
          <Button key={label} appearance={index === 0 ? 'primary' : 'secondary'} disabled={disabled} onClick={() => confirm(label)}>
            Confirm {replyLabelNames[label]}
          </Button>
        ))}
      </div>
    </div>
  );
}

/** The buttons the rep's role allows for this email. */
export function ActionBar({ actions, insight, message, api, onChanged }: ActionBarProps) {
  const styles = useStyles();
  const { pending, outcome, run } = useActionRunner(onChanged);
  const [confirmingSuppression, setConfirmingSuppression] = useState(false);
  // Meetings have their own section.
  const shown: readonly PaneAction[] = actions.filter((action) => action !== 'bookMeeting' && action !== 'changeMeeting');
  if (shown.length === 0) return null;

  const contactEmail = insight?.prospect?.email ?? message?.from?.email;
  const has = (action: PaneAction) => shown.includes(action);

  return (
    <Section title="Actions">
      {has('correctLabel') && insight && (
        <CorrectLabel
          current={insight.classification.label}
          disabled={pending}
          onSave={(label) => run(`Label corrected to ${replyLabelNames[label]}.`, () => api.correctLabel(insight.internetMessageId, label))}
        />
      )}
      {has('approveDealCreation') && insight?.pendingReview && (
        <ConfirmReview review={insight.pendingReview} disabled={pending} api={api} run={run} />
      )}
      <div className={styles.row}>
        {has('approveDealCreation') && insight?.pendingDealApprovalId && (
          <Button
            appearance="primary"
            disabled={pending}
            onClick={() => void run('Approved: the deal will be created.', () => api.approve(insight.pendingDealApprovalId!))}
          >
            Approve “Create deal?”
          </Button>
        )}
        {has('logToCrm') && insight && (
          <Button disabled={pending} onClick={() => void run('Logged to the CRM.', () => api.logToCrm(insight.internetMessageId))}>
            Log to CRM
          </Button>
        )}
        {has('addProspect') && message?.from && (
          <Button
            disabled={pending}
            onClick={() =>
              void run(`${message.from!.name} was added as a prospect.`, () =>
                api.addProspect({ email: message.from!.email, fullName: message.from!.name }),
              )
            }
          >
            Add sender as prospect
          </Button>
        )}
        {has('suppressContact') && contactEmail && !confirmingSuppression && (
          <Button disabled={pending} onClick={() => setConfirmingSuppression(true)}>
            Suppress contact
          </Button>
        )}
      </div>
      {confirmingSuppression && contactEmail && (
        <div className={styles.row} role="group" aria-label="Confirm suppression">
          <Text>Stop all outreach to {contactEmail}?</Text>
          <Button
            appearance="primary"
            disabled={pending}
            onClick={() => {
              setConfirmingSuppression(false);
              void run(`${contactEmail} is suppressed.`, () => api.suppress(contactEmail, 'Suppressed by the rep from the Outlook pane'));
            }}
          >
            Suppress
          </Button>
          <Button onClick={() => setConfirmingSuppression(false)}>Cancel</Button>
        </div>
      )}
      {outcome && (
        <MessageBar intent={outcome.intent} politeness={outcome.intent === 'error' ? 'assertive' : 'polite'}>
          <MessageBarBody>{outcome.text}</MessageBarBody>
        </MessageBar>
      )}
    </Section>
  );
}

function CorrectLabel({ current, disabled, onSave }: { current: ReplyLabel; disabled: boolean; onSave: (label: ReplyLabel) => Promise<void> }) {
  const styles = useStyles();
  const [label, setLabel] = useState(current);
  const selectId = useId();
  return (
    <div className={styles.row}>
      <div className={styles.field}>
        <Label htmlFor={selectId}>Correct the label</Label>
        <select
          id={selectId}
          className={styles.select}
          value={label}
          onChange={(event) => setLabel(replyLabels.find((option) => option === event.target.value) ?? current)}
        >
          {replyLabels.map((option) => (
            <option key={option} value={option}>
              {replyLabelNames[option]}
            </option>
          ))}
        </select>
      </div>
      <Button disabled={disabled || label === current} onClick={() => void onSave(label)}>
        Save label
      </Button>
    </div>
  );
}
