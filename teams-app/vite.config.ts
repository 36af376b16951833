import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const teamsAppRoot = path.dirname(fileURLToPath(import.meta.url));

/** The managers' console tab: built to teams-app/dist, served by the local suite at /console/ and in Azure by a static web app. */
export default defineConfig({
  root: teamsAppRoot,
  // Relative, so the same build works at the local suite's /console/ and at the root of the tab's own host.
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The bench reads it to weigh the first render (bench/console-bundle.ts).
    manifest: true,
    rollupOptions: { input: path.resolve(teamsAppRoot, 'index.html') },
  },
});
