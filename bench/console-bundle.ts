import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';

const teamsAppRoot = resolve(__dirname, '..', 'teams-app');

/** Where the console tab is built; the local suite serves it at /console/. */
export const consoleDistDir = join(teamsAppRoot, 'dist');

/** The part of Vite's build manifest (`build.manifest: true`) that says which chunk loads which. */
const viteManifestSchema = z.record(
  z.string(),
  z.object({ file: z.string(), imports: z.array(z.string()).optional(), css: z.array(z.string()).optional() }),
);
type ViteManifest = z.infer<typeof viteManifestSchema>;

/** Builds the console tab into teams-app/dist with the teams-app workspace's own Vite (teams-app/vite.config.ts). */
export async function buildConsole(): Promise<void> {
  await promisify(execFile)('npx', ['--no-install', 'vite', 'build', '--logLevel', 'error'], { cwd: teamsAppRoot, maxBuffer: 16 * 1024 * 1024 });
}

/** The files a browser must fetch before the console first renders: the entry chunk, its static imports (transitively) and their CSS. */
export function firstRenderFiles(manifest: ViteManifest, entry = 'index.html'): string[] {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`The build manifest has no chunk ${key}.`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...files];
}

export async function readConsoleManifest(): Promise<ViteManifest> {
  return viteManifestSchema.parse(JSON.parse(await readFile(join(consoleDistDir, '.vite', 'manifest.json'), 'utf8')));
}

/** Weighs the first render of the console as last built: the gzip size, in KB, of everything `firstRenderFiles` lists. */
export async function builtFirstRenderGzipKb(): Promise<number> {
  let bytes = 0;
  for (const file of firstRenderFiles(await readConsoleManifest())) bytes += gzipSync(await readFile(join(consoleDistDir, file))).length;
  return Math.round((bytes / 1024) * 10) / 10;
}

/** Builds the console, then weighs its first render. */
export async function consoleFirstRenderGzipKb(): Promise<number> {
  await buildConsole();
  return builtFirstRenderGzipKb();
}
