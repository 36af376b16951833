import { Field, makeStyles, ProgressBar, Text, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Approval } from '@asep/shared/approvals/approval';
import { recipientOf } from '../../cards/approval-parts';
import { ApiProblem, asApiProblem } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

const useStyles = makeStyles({
  list: {
    margin: 0,
    maxHeight: '16rem',
    overflowY: 'auto',
    paddingLeft: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
  },
  subtle: { color: tokens.colorNeutralForeground2 },
});

interface BulkApproveDialogProps {
  approvals: readonly Approval[];
  onClose(): void;
  /** Called with the approvals the API accepted, even when others failed. */
  onApproved(ids: readonly string[], message: string): void;
}

/**
 * Approving many emails at once, with care: the dialog lists every email that will be sent before anything
 * is, approves them one by one with progress, and keeps the ones that failed (and why) for another try.
 */
export function BulkApproveDialog({ approvals, onClose, onApproved }: BulkApproveDialogProps) {
  const styles = useStyles();
  const api = useApi();
  // The batch is fixed when the dialog opens, so the list cannot change under the person confirming it.
  const [batch, setBatch] = useState(approvals);
  const [done, setDone] = useState(0);

  const approveAll = async () => {
    const approved: string[] = [];
    const failed: { approval: Approval; problem: ApiProblem }[] = [];
    setDone(0);
    for (const approval of batch) {
      try {
        await api.approve(approval.id);
        approved.push(approval.id);
      } catch (error) {
        failed.push({ approval, problem: asApiProblem(error) });
      }
      setDone((count) => count + 1);
    }
    if (approved.length > 0) onApproved(approved, `Approved ${approved.length} email${approved.length === 1 ? '' : 's'}; they are on their way.`);
    if (failed.length > 0) {
      setBatch(failed.map(({ approval }) => approval));
      throw new ApiProblem(
        0,
        `${failed.length} of ${batch.length} could not be approved`,
        failed.map(({ approval, problem }) => `${recipientOf(approval)}: ${problem.detail ?? problem.title}`).join(' '),
      );
    }
  };

  const count = `${batch.length} email${batch.length === 1 ? '' : 's'}`;
  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={`Approve ${count}?`}
      confirmLabel={`Send ${count}`}
      busyLabel={`Approving ${Math.min(done + 1, batch.length)} of ${batch.length}…`}
      onConfirm={approveAll}
    >
      {({ busy }) => (
        <>
          <Text>Each of these emails is sent as soon as you confirm. Check the recipients and subjects:</Text>
          <ul className={styles.list} aria-label="Emails that will be sent" tabIndex={0}>
            {batch.map((approval) => (
              <li key={approval.id}>
                <Text weight="semibold">{recipientOf(approval)}</Text>: {approval.subject ?? '(no subject)'}{' '}
                {approval.campaignName && <span className={styles.subtle}>({approval.campaignName})</span>}
              </li>
            ))}
          </ul>
          {busy && (
            <Field validationMessage={`${done} of ${batch.length} approved`} validationState="none">
              <ProgressBar value={done} max={batch.length} aria-label="Bulk approval progress" />
            </Field>
          )}
        </>
      )}
    </ActionDialog>
  );
}
