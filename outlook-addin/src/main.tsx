import { createRoot } from 'react-dom/client';
import { createApiClient } from './api/client';
import { asApiProblem } from '@asep/shared/client/problem';
import type { AccessTokenSource } from '@asep/shared/client/dev-token';
import { devTokenSource } from './auth/accessToken';
import { nestedAppAuthTokenSource } from './auth/nestedAppAuth';
import { readPaneConfig, type PaneConfig } from './config';
import { isOutlookThemeDark, replaceMailboxWithStandIn, whenOfficeReady } from './office/mailbox';
import { createStandInMailbox, type StandInMailbox } from './office/standInMailbox';
import { App, PaneFrame } from './pane/App';
import { PaneNotice } from './pane/PaneNotice';

declare global {
  interface Window {
    /** Outside Outlook: the stand-in mailbox, to switch the selected message from the console or a test. */
    standInMailbox?: StandInMailbox;
  }
}

const root = createRoot(document.getElementById('root')!);

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

function showNotice(title: string, detail: string, dark = prefersDark()) {
  root.render(
    <PaneFrame dark={dark}>
      <PaneNotice intent="warning" title={title}>
        {detail}
      </PaneNotice>
    </PaneFrame>,
  );
}

async function signInInOutlook(config: PaneConfig): Promise<AccessTokenSource> {
  if (!config.signIn) throw new Error('Sign-in is not configured: build the pane with VITE_ASEP_ENTRA_CLIENT_ID and VITE_ASEP_API_SCOPE.');
  return nestedAppAuthTokenSource(config.signIn);
}

async function start() {
  const { inOutlook } = await whenOfficeReady();
  const config = readPaneConfig(window.location.search, import.meta.env);

  if (inOutlook) {
    const accessToken = await signInInOutlook(config);
    root.render(
      <App api={createApiClient({ baseUrl: config.apiBaseUrl, accessToken })} accessToken={accessToken} dark={isOutlookThemeDark() ?? false} />,
    );
    return;
  }

  if (!config.devMessageId) {
    showNotice(
      'Open this pane beside an email in Outlook',
      'Locally, open taskpane.html?devMessage=<internetMessageId> to see the pane for a message of the local sandbox mailbox.',
    );
    return;
  }

  const accessToken = devTokenSource(config.apiBaseUrl, config.devRole);
  const api = createApiClient({ baseUrl: config.apiBaseUrl, accessToken });
  const standIn = await createStandInMailbox((internetMessageId) => api.storedMessage(internetMessageId), config.devMessageId);
  replaceMailboxWithStandIn(standIn);
  window.standInMailbox = standIn;
  root.render(<App api={api} accessToken={accessToken} dark={prefersDark()} />);
}

start().catch((error: unknown) => showNotice('The pane could not start', asApiProblem(error).message));
