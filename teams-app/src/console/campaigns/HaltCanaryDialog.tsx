import { Field, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import { errorsAt } from '@asep/shared/client/problem';
import type { ListedCampaign } from '../api/responses';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

interface HaltCanaryDialogProps {
  campaign: ListedCampaign;
  onClose(): void;
  onHalted(message: string): void;
}

/** The canary looked wrong: the campaign's kill switch goes on and nobody else is started. */
export function HaltCanaryDialog({ campaign, onClose, onHalted }: HaltCanaryDialogProps) {
  const api = useApi();
  const [reason, setReason] = useState('');

  const halt = async () => {
    await api.haltCanary(campaign.id, reason.trim() || undefined);
    onHalted(`${campaign.name}: halted; its kill switch is on and nothing more is sent.`);
  };

  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={`Halt ${campaign.name}?`}
      confirmLabel="Halt campaign"
      busyLabel="Halting…"
      onConfirm={halt}
    >
      {({ problem }) => (
        <>
          <Text>
            {
              "The campaign's kill switch goes on: nothing more is sent from it, and nobody beyond the canary is started. To go on later, release the kill switch, then promote."
            }
          </Text>
          <Field
            label="Reason (optional)"
            hint="Kept with the kill switch and in the audit log."
            validationMessage={errorsAt(problem, 'reason').join(' ') || undefined}
          >
            <Textarea value={reason} maxLength={500} resize="vertical" onChange={(_, data) => setReason(data.value)} />
          </Field>
        </>
      )}
    </ActionDialog>
  );
}
