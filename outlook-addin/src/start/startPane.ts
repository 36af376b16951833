import type { AccessTokenSource } from '@asep/shared/client/dev-token';
import { cachedTokenSource } from '@asep/shared/client/dev-token';
import { createApiClient } from '../api/client';
import { withInsightInFlight, type ClientWithInsightInFlight } from '../api/insightInFlight';
import { devTokenSource } from '../auth/accessToken';
import { nestedAppAuthTokenSource } from '../auth/nestedAppAuth';
import { readPaneConfig, type PaneConfig } from '../config';
import { isOutlookThemeDark, readSelectedMessage, replaceMailboxWithStandIn, whenOfficeReady } from '../office/mailbox';
import { createStandInMailbox, type StandInMailbox } from '../office/standInMailbox';

declare global {
  interface Window {
    /** Outside Outlook: the stand-in mailbox, to switch the selected message from the console or a test. */
    standInMailbox?: StandInMailbox;
  }
}

/** What the pane starts with: a signed-in client (its first insight already asked for), or a notice to show. */
export type PaneStart =
  | { kind: 'pane'; api: ClientWithInsightInFlight; accessToken: AccessTokenSource; dark: boolean }
  | { kind: 'notice'; title: string; detail: string; dark: boolean };

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

/** The pane's start under way: what it will show, and when its first insight request has left. */
export interface PaneStarting {
  pane: Promise<PaneStart>;
  /** Settles once the first insight request is on the wire (or there is none to make). */
  insightAsked: Promise<void>;
}

const settled = (promise: Promise<unknown>): Promise<void> =>
  promise.then(
    () => undefined,
    () => undefined,
  );

/**
 * Signs in and asks for the selected email's insight as early as each can go: the token as soon as the page
 * runs, the insight as soon as the token and the email's id are known. Outside Outlook (`?devMessage=`, the
 * local suite) the id is in the address, so nothing waits for Office.js; the stand-in mailbox loads beside it.
 */
export function startPane(query: string, env: Record<string, string | boolean | undefined>): PaneStarting {
  const config = readPaneConfig(query, env);
  if (config.devMessageId) {
    const accessToken = devTokenSource(config.apiBaseUrl, config.devRole);
    const api = withInsightInFlight(createApiClient({ baseUrl: config.apiBaseUrl, accessToken }), config.devMessageId);
    // The insight's request was made first, so it leaves as soon as the token is in.
    return { pane: startOnStandInMailbox(api, accessToken, config.devMessageId), insightAsked: settled(accessToken()) };
  }
  const pane = startInOutlook(config);
  return { pane, insightAsked: settled(pane.then((start) => (start.kind === 'pane' ? start.accessToken() : undefined))) };
}

async function startInOutlook(config: PaneConfig): Promise<PaneStart> {
  // MSAL starts loading now; the token is asked for once Office is ready, which nested app authentication needs.
  const accessToken = config.signIn ? cachedTokenSource(nestedAppAuthTokenSource(config.signIn)) : undefined;
  const { inOutlook } = await whenOfficeReady();
  if (!inOutlook) {
    return {
      kind: 'notice',
      title: 'Open this pane beside an email in Outlook',
      detail: 'Locally, open taskpane.html?devMessage=<internetMessageId> to see the pane for a message of the local sandbox mailbox.',
      dark: prefersDark(),
    };
  }
  if (!accessToken) throw new Error('Sign-in is not configured: build the pane with VITE_ASEP_ENTRA_CLIENT_ID and VITE_ASEP_API_SCOPE.');
  const api = createApiClient({ baseUrl: config.apiBaseUrl, accessToken });
  const selected = await readSelectedMessage();
  return {
    kind: 'pane',
    api: withInsightInFlight(api, selected?.internetMessageId),
    accessToken,
    dark: isOutlookThemeDark() ?? false,
  };
}

async function startOnStandInMailbox(api: ClientWithInsightInFlight, accessToken: AccessTokenSource, devMessageId: string): Promise<PaneStart> {
  const standIn = await createStandInMailbox((internetMessageId) => api.storedMessage(internetMessageId), devMessageId);
  replaceMailboxWithStandIn(standIn);
  window.standInMailbox = standIn;
  return { kind: 'pane', api, accessToken, dark: prefersDark() };
}
