import { Field, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { Approval } from '@asep/shared/approvals/approval';
import { errorsAt } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

/** The Teams card's limit for a rejection reason. */
const maxReasonLength = 500;

/** Reject with a reason, as the card asks: the reason goes into the audit log and back to whoever wrote the email. */
export function RejectDialog({
  approval,
  recipient,
  onClose,
  onRejected,
}: {
  approval: Approval;
  recipient: string;
  onClose(): void;
  onRejected(): void;
}) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);

  const reject = async () => {
    if (reason.trim() === '') {
      setMissing(true);
      return false;
    }
    await api.reject(approval.id, { reason: reason.trim() });
    onRejected();
  };

  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={`Reject the email to ${recipient}?`}
      confirmLabel="Reject"
      busyLabel="Rejecting…"
      onConfirm={reject}
    >
      {({ problem }) => {
        const errors = [...(missing ? ['A reason is required to reject.'] : []), ...errorsAt(problem, 'reason')];
        return (
          <Field label="Why are you rejecting it?" required validationMessage={errors.join(' ') || undefined} hint="Kept in the audit log.">
            <Textarea
              value={reason}
              maxLength={maxReasonLength}
              resize="vertical"
              onChange={(_, data) => {
                setReason(data.value);
                setMissing(false);
              }}
            />
          </Field>
        );
      }}
    </ActionDialog>
  );
}
