import { createRoot } from 'react-dom/client';
import { asApiProblem } from '@asep/shared/client/problem';
import type { PaneStart } from '../start/startPane';
import { App, PaneFrame } from './App';
import { firstScreenWithin } from './firstScreen';
import { PaneNotice } from './PaneNotice';

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

/** How long the page's own "Loading ASEP…" stands before the pane shows its skeleton instead of the insight. */
const skeletonAfterMs = 300;

/** Renders the pane once its start (sign-in, first insight request) is under way. */
export async function renderPane(started: Promise<PaneStart>): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  const showNotice = (title: string, detail: string, dark: boolean) =>
    root.render(
      <PaneFrame dark={dark}>
        <PaneNotice intent="warning" title={title}>
          {detail}
        </PaneNotice>
      </PaneFrame>,
    );
  try {
    const start = await started;
    if (start.kind === 'notice') showNotice(start.title, start.detail, start.dark);
    else {
      const firstScreen = await firstScreenWithin(start.api, start.accessToken, skeletonAfterMs);
      root.render(<App api={start.api} accessToken={start.accessToken} dark={start.dark} firstScreen={firstScreen} />);
    }
  } catch (error) {
    showNotice('The pane could not start', asApiProblem(error).message, prefersDark());
  }
}
