import { Field, Radio, RadioGroup, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { KillSwitchRelease, KillSwitchState } from '@asep/shared/killswitch/killswitch';
import { errorsAt } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ActionDialog } from '../feedback/ActionDialog';

export type KillSwitchTarget = { scope: 'tenant'; name: string } | { scope: 'campaign'; campaignId: string; name: string };

interface KillSwitchDialogProps {
  target: KillSwitchTarget;
  /** The state the person asks for: true stops sending. */
  active: boolean;
  onClose(): void;
  onChanged(state: KillSwitchState, message: string): void;
}

/**
 * Flipping a kill switch always takes a reason and a confirmation that says exactly what stops or resumes. Turning
 * one off also asks what becomes of the sequences it held: they carry on, or they end without sending anything.
 */
export function KillSwitchDialog({ target, active, onClose, onChanged }: KillSwitchDialogProps) {
  const api = useApi();
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [release, setRelease] = useState<KillSwitchRelease>('resume');

  const change = async () => {
    if (reason.trim() === '') {
      setMissing(true);
      return false;
    }
    const scope = target.scope === 'tenant' ? { scope: target.scope } : { scope: target.scope, campaignId: target.campaignId };
    const state = await api.changeKillSwitch({ ...scope, active, reason: reason.trim(), ...(!active && { release }) });
    const outcome = active
      ? 'on: nothing in it is sent'
      : release === 'resume'
        ? 'off: sending resumes'
        : 'off: its sequences are ending, and nothing is sent until they have';
    onChanged(state, `Kill switch for ${target.name} is ${outcome}.`);
  };

  const scope = target.scope === 'tenant' ? 'this tenant, in every campaign' : 'this campaign';
  return (
    <ActionDialog
      open
      onOpenChange={(open) => open || onClose()}
      title={active ? `Stop all sending for ${target.name}?` : `Resume sending for ${target.name}?`}
      confirmLabel={active ? 'Turn kill switch on' : 'Turn kill switch off'}
      busyLabel="Saving…"
      onConfirm={change}
    >
      {({ problem }) => {
        const errors = [...(missing ? ['A reason is required.'] : []), ...errorsAt(problem, 'reason')];
        return (
          <>
            <Text>
              {active
                ? `While the kill switch is on, nothing in ${scope} is sent, including emails already approved or queued. Sequences wait and carry on once it is turned off.`
                : `Sending resumes in ${scope}. Choose what happens to the sequences the kill switch held.`}
            </Text>
            {!active && (
              <Field label="Sequences held by the kill switch" required>
                <RadioGroup value={release} onChange={(_, data) => setRelease(data.value as KillSwitchRelease)}>
                  <Radio value="resume" label="Resume them: waiting emails go out as the policy allows" />
                  <Radio value="end" label="End them all: nothing they held is sent" />
                </RadioGroup>
              </Field>
            )}
            <Field
              label="Reason"
              required
              hint="Shown to everyone who sees the kill switch, and kept in the audit log."
              validationMessage={errors.join(' ') || undefined}
            >
              <Textarea
                value={reason}
                maxLength={500}
                resize="vertical"
                onChange={(_, data) => {
                  setReason(data.value);
                  setMissing(false);
                }}
              />
            </Field>
          </>
        );
      }}
    </ActionDialog>
  );
}
