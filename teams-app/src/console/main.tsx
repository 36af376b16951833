import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { readConsoleConfig } from './config';
import { ConsoleRoot } from './shell/ConsoleRoot';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');
createRoot(container).render(
  <StrictMode>
    <ConsoleRoot config={readConsoleConfig(window.location.search, import.meta.env)} />
  </StrictMode>,
);
