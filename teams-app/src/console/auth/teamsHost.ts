import type { AccessTokenSource } from '@asep/shared/client/dev-token';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

/** What the console uses of the Teams host, once it knows it runs inside one. */
export interface TeamsHost {
  /** Teams SSO: an Entra ID token for the ASEP API, for the signed-in user. */
  getAuthToken: AccessTokenSource;
  theme: TeamsTheme;
  onThemeChange(handler: (theme: TeamsTheme) => void): void;
}

/**
 * Connects to Teams when the console runs as a tab. Outside Teams, `app.initialize()` fails at once in a
 * top-level window and never answers in someone else's frame, hence the time limit. teams-js is loaded
 * only here, so a plain browser never pays for more than this check.
 */
export async function connectToTeams(timeoutMs: number): Promise<TeamsHost | undefined> {
  const { app, authentication } = await import('@microsoft/teams-js');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const initialized = await Promise.race([
    app.initialize().then(
      () => true,
      () => false,
    ),
    timedOut,
  ]);
  clearTimeout(timer);
  if (!initialized) return undefined;
  const context = await app.getContext();
  return {
    getAuthToken: () => authentication.getAuthToken(),
    theme: asTeamsTheme(context.app.theme),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(asTeamsTheme(theme))),
  };
}

function asTeamsTheme(theme: string): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}
