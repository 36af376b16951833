import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin, type PluginOption } from 'vite';

const addinRoot = path.dirname(fileURLToPath(import.meta.url));
const officeJsDist = path.resolve(addinRoot, '..', 'node_modules', '@microsoft', 'office-js', 'dist');

/** Outlook's part of Office.js (loader, Outlook host scripts, their string tables): 8 MB instead of 86 MB. */
function isOutlookOfficeJsFile(relativePath: string): boolean {
  const name = path.basename(relativePath);
  if (name.includes('.debug.')) return false;
  if (relativePath === name) return /^(office|o15apptofilemappingtable|outlook[-\w.]*)\.js$/.test(name);
  return name === 'office_strings.js' || name === 'outlook_strings.js';
}

/** Serves and ships office.js from node_modules, never from a CDN (tests and the local suite run offline). */
function officeJs(): Plugin {
  let outDir = '';
  return {
    name: 'asep-office-js',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use('/office-js', (request, response, next) => {
        const relative = decodeURIComponent((request.url ?? '/').split('?')[0]!).replace(/^\/+/, '');
        if (!isOutlookOfficeJsFile(relative)) return next();
        response.setHeader('content-type', 'text/javascript');
        response.end(readFileSync(path.join(officeJsDist, relative)));
      });
    },
    writeBundle() {
      const target = path.join(outDir, 'office-js');
      for (const entry of readdirSync(officeJsDist, { recursive: true, encoding: 'utf8' })) {
        if (isOutlookOfficeJsFile(entry)) cpSync(path.join(officeJsDist, entry), path.join(target, entry));
      }
    },
  };
}

/** The module the small entry (src/main.ts) imports to render the pane. */
const paneModule = path.resolve(addinRoot, 'src', 'pane', 'renderPane.tsx');

/**
 * Makes the page fetch the pane's UI chunk (and what it imports) while office.js and the entry run, instead of
 * only when the entry asks for it: the UI is on its way while the entry signs in and asks for the insight.
 */
function preloadPane(): Plugin {
  return {
    name: 'asep-preload-pane',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {}).flatMap((output) => (output.type === 'chunk' ? [output] : []));
        const pane = chunks.find((chunk) => chunk.moduleIds.includes(paneModule));
        if (!pane) throw new Error(`The build has no chunk for ${paneModule}: the pane's UI would not be preloaded.`);
        const files = new Set<string>();
        const visit = (fileName: string) => {
          if (files.has(fileName)) return;
          files.add(fileName);
          for (const imported of chunks.find((chunk) => chunk.fileName === fileName)?.imports ?? []) visit(imported);
        };
        visit(pane.fileName);
        const entry = chunks.find((chunk) => chunk.isEntry);
        return [...files]
          .filter((fileName) => fileName !== entry?.fileName && !entry?.imports.includes(fileName))
          .map((fileName): HtmlTagDescriptor => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${fileName}` }, injectTo: 'head' }));
      },
    },
  };
}

export default defineConfig({
  root: addinRoot,
  // Relative, so the same build works at the local suite's /addin/ and at any hosting path.
  base: './',
  // plugin-react is typed against the repo root's Vite 8 (Vitest's); it supports this workspace's Vite 7 at runtime.
  plugins: [react() as PluginOption, officeJs(), preloadPane()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    rollupOptions: { input: path.resolve(addinRoot, 'taskpane.html') },
  },
});
