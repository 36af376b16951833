import { FluentProvider, makeStyles, tokens, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import type { AccessTokenSource } from '@asep/shared/client/dev-token';
import { InsightPane } from '../insight/InsightPane';
import { InsightSkeleton } from '../insight/InsightSkeleton';
import type { FirstScreen } from './firstScreen';
import { PaneNotice } from './PaneNotice';
import { useSignIn } from './useSignIn';

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
  },
});

export function PaneFrame({ dark, children }: { dark: boolean; children: ReactNode }) {
  const styles = useStyles();
  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme} className={styles.root}>
      <main>{children}</main>
    </FluentProvider>
  );
}

export interface AppProps {
  api: ApiClient;
  accessToken: AccessTokenSource;
  dark: boolean;
  /** What the first render shows at once, when the sign-in and the insight were in before the pane rendered. */
  firstScreen?: FirstScreen;
}

export function App({ api, accessToken, dark, firstScreen }: AppProps) {
  const { signIn, retry } = useSignIn(accessToken, firstScreen?.roles);
  return (
    <PaneFrame dark={dark}>
      {signIn.status === 'signingIn' && <InsightSkeleton />}
      {signIn.status === 'failed' && (
        <PaneNotice intent="error" title="We couldn't sign you in to ASEP" onRetry={retry}>
          {signIn.problem.message}
        </PaneNotice>
      )}
      {signIn.status === 'signedIn' && <InsightPane api={api} roles={signIn.roles} firstInsight={firstScreen?.insight} />}
    </PaneFrame>
  );
}
