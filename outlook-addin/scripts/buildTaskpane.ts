import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const addinRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds the taskpane into `outDir` with the add-in's own Vite and `vite.config.ts`, exactly as
 * `npx vite build` in outlook-addin/ does. A child process keeps the build independent of the caller's module
 * format (tests run as ESM under Vitest, scripts as CommonJS under tsx) and of the repo root's other Vite.
 */
export async function buildTaskpane(outDir: string): Promise<void> {
  const viteRoot = path.dirname(createRequire(path.join(addinRoot, 'package.json')).resolve('vite/package.json'));
  await promisify(execFile)(
    process.execPath,
    [path.join(viteRoot, 'bin', 'vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd: addinRoot,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
}
