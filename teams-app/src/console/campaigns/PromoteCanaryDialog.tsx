import { Text } from '@fluentui/react-components';
import type { ListedCampaign } from '../api/responses';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

interface PromoteCanaryDialogProps {
  campaign: ListedCampaign;
  onClose(): void;
  onPromoted(message: string): void;
}

/** The canary looked right: everyone else enrolled gets their sequence. */
export function PromoteCanaryDialog({ campaign, onClose, onPromoted }: PromoteCanaryDialogProps) {
  const api = useApi();
  const enrolled = campaign.enrolled;
  const cohort = campaign.canaryRun?.cohortSize ?? 0;
  const halted = campaign.canaryRun?.status === 'halted';

  const promote = async () => {
    const result = await api.promoteCanary(campaign.id);
    onPromoted(`${campaign.name}: promoted; started ${result.started} more sequence${result.started === 1 ? '' : 's'} for everyone else enrolled.`);
  };

  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={`Promote ${campaign.name} to everyone?`}
      confirmLabel={`Send to all ${enrolled}`}
      busyLabel="Starting sequences…"
      onConfirm={promote}
    >
      {() => (
        <>
          <Text>
            {`The canary of ${cohort} has run. Promoting starts the sequences of the other ${enrolled - cohort} enrolled prospects; the canary's carry on. First emails still wait for a manager's approval where the policy asks for it.`}
          </Text>
          {halted && (
            <Text>
              {`The canary halted this campaign${campaign.canaryRun?.haltReason ? ` (${campaign.canaryRun.haltReason})` : ''}. Look into it and release its kill switch before promoting.`}
            </Text>
          )}
        </>
      )}
    </ActionDialog>
  );
}
