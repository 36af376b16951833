import { Checkbox, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { Campaign } from '@asep/shared/campaigns/campaign';
import { errorsAt } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

/** A canary small enough to review by hand, never more than the campaign has. */
const suggestedCanarySize = 5;

interface StartCampaignDialogProps {
  campaign: Campaign;
  onClose(): void;
  onStarted(message: string): void;
}

export function StartCampaignDialog({ campaign, onClose, onStarted }: StartCampaignDialogProps) {
  const api = useApi();
  const enrolled = campaign.enrolled;
  const [withCanary, setWithCanary] = useState(enrolled > 1);
  const [size, setSize] = useState(String(Math.min(suggestedCanarySize, enrolled)));
  const [sizeError, setSizeError] = useState<string>();

  const start = async () => {
    const canarySize = Number(size);
    if (withCanary && !(Number.isInteger(canarySize) && canarySize >= 1 && canarySize <= enrolled)) {
      setSizeError(`The canary size must be a whole number from 1 to ${enrolled}.`);
      return false;
    }
    const result = await api.startCampaign(campaign.id, withCanary ? canarySize : undefined);
    const sequences = `${result.started} sequence${result.started === 1 ? '' : 's'}`;
    const already = result.alreadyRunning > 0 ? ` (${result.alreadyRunning} were already running)` : '';
    const rest = result.total - result.started - result.alreadyRunning;
    const background = rest > 0 ? `; ${rest} more start in the background` : '';
    onStarted(`${campaign.name}: started ${sequences}${already}${background}${result.canary ? `, a canary of ${result.canary.size}` : ''}.`);
  };

  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={`Start ${campaign.name}?`}
      confirmLabel={withCanary ? `Start a canary of ${size}` : `Start for all ${enrolled}`}
      busyLabel="Starting sequences…"
      onConfirm={start}
    >
      {({ problem }) => (
        <>
          <Text>
            {`Each prospect gets their own sequence from ${campaign.mailbox}. First emails still wait for a manager's approval where the policy asks for it.`}
          </Text>
          <Checkbox
            label="Start with a canary: only the first prospects, to check before everyone"
            checked={withCanary}
            onChange={(_, data) => setWithCanary(data.checked === true)}
          />
          {withCanary && (
            <Field
              label="Canary size"
              hint={`Prospects to start first, out of ${enrolled}.`}
              required
              validationMessage={[sizeError, ...errorsAt(problem, 'canary')].filter(Boolean).join(' ') || undefined}
            >
              <Input
                type="number"
                min={1}
                max={enrolled}
                value={size}
                onChange={(_, data) => {
                  setSize(data.value);
                  setSizeError(undefined);
                }}
              />
            </Field>
          )}
        </>
      )}
    </ActionDialog>
  );
}
