import { Button, Field, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'end', gap: tokens.spacingHorizontalS },
  confirm: { display: 'grid', gap: tokens.spacingVerticalS },
});

export interface CancelMeetingFormProps {
  firstName: string;
  cancelling: boolean;
  /** Cancels with the reason the rep typed (trimmed; none when blank). */
  onCancel: (reason: string | undefined) => void;
  onKeep: () => void;
}

/**
 * Loaded on demand (its text field is not part of the pane's first render): asks for the optional reason the
 * attendee reads, then cancels.
 */
export default function CancelMeetingForm({ firstName, cancelling, onCancel, onKeep }: CancelMeetingFormProps) {
  const styles = useStyles();
  const [reason, setReason] = useState('');
  return (
    <div className={styles.confirm} role="group" aria-label="Confirm cancellation">
      <Field label={`Reason for ${firstName} (optional)`} hint="Sent with the cancellation; the deal goes back to “Positive reply”.">
        <Textarea value={reason} maxLength={500} onChange={(_event, data) => setReason(data.value)} />
      </Field>
      <div className={styles.row}>
        <Button appearance="primary" disabled={cancelling} onClick={() => onCancel(reason.trim() || undefined)}>
          {cancelling ? 'Cancelling…' : 'Cancel the meeting'}
        </Button>
        <Button disabled={cancelling} onClick={onKeep}>
          Keep it
        </Button>
      </div>
    </div>
  );
}
