/*
 * The pane's entry is small and React-free: it signs in and asks for the selected email's insight at once,
 * while the pane's UI (preloaded by the page, see vite.config.ts) downloads and starts. No request waits
 * for the UI, and the UI does not ask again for what is already on its way.
 */
import { startPane } from './start/startPane';

const started = startPane(window.location.search, import.meta.env);
void import('./pane/renderPane').then(({ renderPane }) => renderPane(started));
