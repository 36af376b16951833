import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTaskpane } from './buildTaskpane';

/** One chunk of Vite's build manifest (`.vite/manifest.json`), as far as this measurement reads it. */
interface ManifestChunk {
  file: string;
  imports?: string[];
}

export interface FirstRenderSize {
  /** Gzipped KB of the JS the pane needs before its first render: the entry chunk, its static imports and the chunks the page preloads. */
  gzipKb: number;
  chunks: { file: string; gzipKb: number }[];
}

/** The pane's target for the JS of its first render, in gzipped KB. */
export const firstRenderBudgetKb = 150;

/**
 * Builds the pane and measures the JS needed for its first render: what taskpane.html loads up front (its module
 * script, with every static import, and the `modulepreload`ed UI chunk the entry renders with). Lazy chunks (the
 * booking view, MSAL) and office.js (the host's own library, loaded by every add-in) are not counted.
 */
export async function measureFirstRenderJs(): Promise<FirstRenderSize> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'asep-taskpane-size-'));
  try {
    await buildTaskpane(outDir);
    const manifest = JSON.parse(await readFile(path.join(outDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
    const html = await readFile(path.join(outDir, 'taskpane.html'), 'utf8');
    const upFront = [...html.matchAll(/<(?:script type="module"[^>]*\ssrc|link rel="modulepreload"[^>]*\shref)="\.\/([^"]+\.js)"/g)].map((match) => match[1]!);
    if (upFront.length === 0) throw new Error('taskpane.html loads no module script.');

    const byFile = new Map(Object.entries(manifest).map(([key, chunk]) => [chunk.file, key]));
    const needed = new Set<string>();
    const visit = (file: string) => {
      if (needed.has(file)) return;
      needed.add(file);
      const key = byFile.get(file);
      for (const imported of (key && manifest[key]!.imports) || []) visit(manifest[imported]!.file);
    };
    upFront.forEach(visit);

    const chunks = await Promise.all(
      [...needed].map(async (file) => ({ file, gzipKb: kb(gzipSync(await readFile(path.join(outDir, file))).length) })),
    );
    return { gzipKb: kb(chunks.reduce((sum, chunk) => sum + chunk.gzipKb * 1024, 0)), chunks };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

function kb(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}
