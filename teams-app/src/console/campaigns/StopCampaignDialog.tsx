import { Field, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { Campaign } from '@asep/shared/campaigns/campaign';
import { errorsAt } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

export function StopCampaignDialog({ campaign, onClose, onStopped }: { campaign: Campaign; onClose(): void; onStopped(message: string): void }) {
  const api = useApi();
  const [reason, setReason] = useState('');

  const stop = async () => {
    const result = await api.stopCampaign(campaign.id, reason.trim() || undefined);
    onStopped(`${campaign.name}: stopped ${result.sequencesStopped} sequence${result.sequencesStopped === 1 ? '' : 's'}; nothing more is sent.`);
  };

  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={`Stop ${campaign.name}?`}
      confirmLabel="Stop campaign"
      busyLabel="Stopping sequences…"
      onConfirm={stop}
    >
      {({ problem }) => (
        <>
          <Text>
            Every sequence of this campaign ends and nothing more is sent from it. To pause sending and resume later, use its kill switch instead.
          </Text>
          <Field label="Reason (optional)" hint="Kept in the audit log." validationMessage={errorsAt(problem, 'reason').join(' ') || undefined}>
            <Textarea value={reason} maxLength={500} resize="vertical" onChange={(_, data) => setReason(data.value)} />
          </Field>
        </>
      )}
    </ActionDialog>
  );
}
