import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  notice: { marginBlock: tokens.spacingVerticalM },
});

export interface PaneNoticeProps {
  intent: 'info' | 'warning' | 'error';
  title: string;
  children?: ReactNode;
  onRetry?: () => void;
}

/** A whole-pane message (no campaign, no access, service down), with a retry where trying again can help. */
export function PaneNotice({ intent, title, children, onRetry }: PaneNoticeProps) {
  const styles = useStyles();
  return (
    <MessageBar intent={intent} layout="multiline" className={styles.notice} politeness={intent === 'error' ? 'assertive' : 'polite'}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {children}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button icon={<ArrowClockwiseRegular />} onClick={onRetry}>
            Retry
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
