import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTaskpane } from './buildTaskpane';

/** One chunk of Vite's build manifest (`.vite/manifest.json`), as far as this measurement reads it. */
interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

export interface FirstRenderSize {
  /** Gzipped KB of the JS the pane needs before its first render: the entry chunk and its static imports. */
  gzipKb: number;
  chunks: { file: string; gzipKb: number }[];
}

/** The pane's target for the JS of its first render, in gzipped KB. */
export const firstRenderBudgetKb = 150;

/**
 * Builds the pane and measures the JS needed for its first render. Lazy chunks (the booking view, MSAL) and
 * office.js (the host's own library, loaded by every add-in) are not counted.
 */
export async function measureFirstRenderJs(): Promise<FirstRenderSize> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'asep-taskpane-size-'));
  try {
    await buildTaskpane(outDir);
    const manifest = JSON.parse(await readFile(path.join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
    if (!entryKey) throw new Error('The build manifest has no entry chunk.');

    const needed = new Set<string>();
    const visit = (key: string) => {
      if (needed.has(key)) return;
      needed.add(key);
      for (const imported of manifest[key]!.imports ?? []) visit(imported);
    };
    visit(entryKey);

    const chunks = await Promise.all(
      [...needed].map(async (key) => {
        const file = manifest[key]!.file;
        return { file, gzipKb: kb(gzipSync(await readFile(path.join(outDir, file))).length) };
      }),
    );
    return { gzipKb: kb(chunks.reduce((sum, chunk) => sum + chunk.gzipKb * 1024, 0)), chunks };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}
