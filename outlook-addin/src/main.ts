/*
 * The pane's entry is small and React-free: it signs in and asks for the selected email's insight at once,
 * while the pane's UI (preloaded by the page, see vite.config.ts) downloads and starts. No request waits
 * for the UI, and the UI does not ask again for what is already on its way.
 */
import { startPane } from './start/startPane';

const { pane, insightAsked } = startPane(window.location.search, import.meta.env);
// Evaluating the UI's chunk (React, Fluent) holds the page for a moment: it starts once the insight request has
// left, so it runs while that answer travels instead of keeping the request waiting behind it.
void insightAsked.then(() => import('./pane/renderPane')).then(({ renderPane }) => renderPane(pane));
