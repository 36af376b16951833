import {
  FluentProvider,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
  webLightTheme,
  type Theme,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { signIn, type Session } from '../auth/signIn';
import type { TeamsTheme } from '../auth/teamsHost';
import type { ConsoleConfig } from '../config';
import { LoadingState } from '../feedback/LoadingState';
import { ProblemBar } from '../feedback/ProblemBar';
import { ConsoleShell } from './ConsoleShell';
import { SessionContext } from './session';

type SignInState = { status: 'signingIn' } | { status: 'signedIn'; session: Session } | { status: 'failed'; problem: ApiProblem };

const teamsThemes: Record<TeamsTheme, Theme> = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useStyles = makeStyles({
  provider: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  pending: { padding: tokens.spacingHorizontalL },
});

/** Signs in first, then shows the console in the theme of its host (the Teams theme in Teams, Fluent's web theme elsewhere). */
export function ConsoleRoot({ config }: { config: ConsoleConfig }) {
  const styles = useStyles();
  const [state, setState] = useState<SignInState>({ status: 'signingIn' });
  const [attempt, setAttempt] = useState(0);
  const [teamsTheme, setTeamsTheme] = useState<TeamsTheme>();

  useEffect(() => {
    let stale = false;
    signIn(config).then(
      (session) => {
        if (stale) return;
        setState({ status: 'signedIn', session });
        if (session.teams) {
          setTeamsTheme(session.teams.theme);
          session.teams.onThemeChange(setTeamsTheme);
        }
      },
      (error: unknown) => stale || setState({ status: 'failed', problem: asApiProblem(error) }),
    );
    return () => {
      stale = true;
    };
  }, [config, attempt]);

  const retry = () => {
    setState({ status: 'signingIn' });
    setAttempt((count) => count + 1);
  };

  return (
    <FluentProvider theme={teamsTheme ? teamsThemes[teamsTheme] : webLightTheme} className={styles.provider}>
      {state.status === 'signingIn' && (
        <div className={styles.pending}>
          <LoadingState label="Signing in…" />
        </div>
      )}
      {state.status === 'failed' && (
        <div className={styles.pending}>
          <ProblemBar problem={state.problem} onRetry={retry} />
        </div>
      )}
      {state.status === 'signedIn' && (
        <SessionContext.Provider value={state.session}>
          <ConsoleShell config={config} />
        </SessionContext.Provider>
      )}
    </FluentProvider>
  );
}
