import { defaultDemoRole, demoUsers, demoUserWithRole, type DemoUser } from './auth/demoUsers';

export interface ConsoleConfig {
  /** Where the API's routes start (`https://…/api`); the console's own origin by default, as the local suite serves both. */
  apiBaseUrl: string;
  /** Outside Teams only: the demo user whose local dev token the console signs in with (`?devRole=Admin`). */
  demoUser: DemoUser;
  /** Things about the configuration the user should know, e.g. an unknown `devRole`. */
  notices: string[];
}

/** Build-time settings (Vite's `VITE_ASEP_*` variables) merged with the page's query string. */
export function readConsoleConfig(search: string, env: Record<string, unknown>): ConsoleConfig {
  const configured = env.VITE_ASEP_API_BASE_URL;
  const apiBaseUrl = (typeof configured === 'string' && configured !== '' ? configured : '/api').replace(/\/+$/, '');
  const requestedRole = new URLSearchParams(search).get('devRole');
  const requestedUser = requestedRole ? demoUserWithRole(requestedRole) : undefined;
  const demoUser = requestedUser ?? demoUserWithRole(defaultDemoRole)!;
  const notices =
    requestedRole && !requestedUser
      ? [
          `There is no demo user with the role "${requestedRole}", so you are signed in as ${demoUser.name}. ` +
            `Pick one of ${demoUsers.flatMap((user) => user.roles).join(', ')}.`,
        ]
      : [];
  return { apiBaseUrl, demoUser, notices };
}
