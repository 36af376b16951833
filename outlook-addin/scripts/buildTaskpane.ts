import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const addinRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the taskpane (the add-in's own `vite.config.ts`) into `outDir`, quietly. */
export async function buildTaskpane(outDir: string): Promise<void> {
  await build({
    configFile: path.join(addinRoot, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
}
