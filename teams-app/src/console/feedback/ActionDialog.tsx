import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  makeStyles,
  Spinner,
  tokens,
} from '@fluentui/react-components';
import { useState, type FormEvent, type ReactNode } from 'react';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { ProblemBar } from './ProblemBar';

interface ActionDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  /** The button that carries out the action: say what it does ("Send 3 emails"), not "OK". */
  confirmLabel: string;
  /** Shown while the action runs: "Starting sequences…". */
  busyLabel: string;
  /**
   * Carries out the action and closes the dialog. Resolving `false` keeps it open (a field the person must
   * fix first); throwing keeps it open with the problem shown.
   */
  onConfirm(): Promise<boolean | void>;
  /** The dialog's fields and explanations; given the last problem so that fields can show their own errors. */
  children: (state: { problem: ApiProblem | undefined; busy: boolean }) => ReactNode;
}

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** A confirmation for anything that changes what gets sent: explains the effect, runs it, shows progress and failures. */
export function ActionDialog({ open, onOpenChange, title, confirmLabel, busyLabel, onConfirm, children }: ActionDialogProps) {
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();

  const changeOpen = (next: boolean) => {
    if (busy) return;
    if (!next) setProblem(undefined);
    onOpenChange(next);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const close = await onConfirm();
      setBusy(false);
      if (close !== false) onOpenChange(false);
    } catch (error) {
      setBusy(false);
      setProblem(asApiProblem(error));
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, data) => changeOpen(data.open)} modalType={busy ? 'alert' : 'modal'}>
      <DialogSurface>
        {/* noValidate: the dialog's own checks and the API's errors[] speak next to each field, not a browser bubble. */}
        <form noValidate onSubmit={(event) => void submit(event)}>
          <DialogBody>
            <DialogTitle>{title}</DialogTitle>
            <DialogContent className={styles.content}>
              {children({ problem, busy })}
              {problem && <ProblemBar problem={problem} />}
              {busy && <Spinner size="tiny" label={busyLabel} labelPosition="after" role="status" />}
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button disabled={busy}>Cancel</Button>
              </DialogTrigger>
              <Button type="submit" appearance="primary" disabled={busy}>
                {confirmLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
