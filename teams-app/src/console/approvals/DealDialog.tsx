import { Field, Input, Select, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { Approval } from '@asep/shared/approvals/approval';
import { dealStageNames } from '@asep/shared/deals/deal';
import { dealPromptStages } from '../../cards/actions';
import { errorsAt } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

type PromptStage = (typeof dealPromptStages)[number];

function isPromptStage(stage: string | undefined): stage is PromptStage {
  return dealPromptStages.some((candidate) => candidate === stage);
}

/** "Create deal?" from the console: the stage and optional amount the card asks for. */
export function DealDialog({
  approval,
  recipient,
  onClose,
  onCreated,
}: {
  approval: Approval;
  recipient: string;
  onClose(): void;
  onCreated(): void;
}) {
  const api = useApi();
  const [stage, setStage] = useState<PromptStage>(isPromptStage(approval.dealInput?.stage) ? approval.dealInput.stage : 'POSITIVE_REPLY');
  const [amount, setAmount] = useState(approval.dealInput?.amount?.toString() ?? '');
  const [amountError, setAmountError] = useState<string>();

  const create = async () => {
    const value = amount.trim() === '' ? undefined : Number(amount);
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      setAmountError('The amount must be a number of zero or more.');
      return false;
    }
    await api.approve(approval.id, { stage, ...(value === undefined ? {} : { amount: value }) });
    onCreated();
  };

  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={`Create a deal for ${recipient}?`}
      confirmLabel="Create deal"
      busyLabel="Creating the deal…"
      onConfirm={create}
    >
      {({ problem }) => (
        <>
          <Text>The deal is recorded in ASEP and, when one is connected, in your CRM.</Text>
          <Field label="Stage" required validationMessage={errorsAt(problem, 'stage').join(' ') || undefined}>
            <Select value={stage} onChange={(_, data) => isPromptStage(data.value) && setStage(data.value)}>
              {dealPromptStages.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {dealStageNames[candidate]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Amount (optional)" validationMessage={[amountError, ...errorsAt(problem, 'amount')].filter(Boolean).join(' ') || undefined}>
            <Input
              type="number"
              min={0}
              value={amount}
              onChange={(_, data) => {
                setAmount(data.value);
                setAmountError(undefined);
              }}
            />
          </Field>
        </>
      )}
    </ActionDialog>
  );
}
