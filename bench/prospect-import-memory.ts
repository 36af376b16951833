/**
 * Whether a 100,000-row list is imported without holding the file in memory twice. The file's bytes are one copy
 * (the request body); what the import keeps on top of them is measured as the live heap after a full garbage
 * collection at the end of every chunk, while a generated list is previewed through `importProspects` on the
 * local stack (preview, so the figure does not depend on how full the store already is). Alongside: the same
 * figure while only the parser reads the file, and what the rows would take if they were kept, which is what
 * holding the file twice would cost.
 *
 * Alone: `npx tsx bench/prospect-import-memory.ts [rows]` starts a local suite and prints the figures with a
 * PASS/MISS verdict: PASS when the import's peak growth is under the file's own size. What the import keeps per
 * person for dedupe (each address once, with its line: ~90 bytes) and a fixed ~3 MB (the store client's and the
 * compiler's first use) count against that, so the verdict is meant for the 100,000 rows of the target; far
 * smaller files MISS on the fixed part alone.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Services } from '@asep/functions/composition/services';
import { importProspects } from '@asep/functions/prospects/import/import-prospects';
import { openImportFile } from '@asep/functions/prospects/import/read-file';
import { runAlone } from './bench-api';
import { benchList } from './prospect-import';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Live heap (plus buffers outside it) after a full collection, in bytes. */
function liveBytes(): number {
  collectGarbage();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

export interface ImportMemory {
  rows: number;
  fileBytes: number;
  /** Peak live growth over the memory held before the file was opened, in bytes. */
  importPeakBytes: number;
  parsePeakBytes: number;
  /** The rows kept in an array: what reading the whole file before importing it would add. */
  keptRowsBytes: number;
  verdict: 'PASS' | 'MISS';
  load: number[];
}

async function parsePeak(file: Buffer): Promise<number> {
  const base = liveBytes();
  let peak = 0;
  const table = await openImportFile(file, { contentType: 'text/csv' });
  let count = 0;
  for await (const _row of table.rows) if (++count % 1000 === 0) peak = Math.max(peak, liveBytes() - base);
  return Math.max(peak, liveBytes() - base);
}

async function keptRows(file: Buffer): Promise<number> {
  const base = liveBytes();
  const table = await openImportFile(file, { contentType: 'text/csv' });
  const rows: unknown[] = [];
  for await (const row of table.rows) rows.push(row);
  const grown = liveBytes() - base;
  return rows.length > 0 ? grown : 0;
}

export async function measureImportMemory(services: Services, rows = 100_000): Promise<ImportMemory> {
  const file = Buffer.from(benchList(rows));
  const parsePeakBytes = await parsePeak(file);
  const keptRowsBytes = await keptRows(file);
  const base = liveBytes();
  let peak = 0;
  const table = await openImportFile(file, { contentType: 'text/csv' });
  const report = await importProspects(services, randomUUID(), table, {
    preview: true,
    onProgress: () => {
      peak = Math.max(peak, liveBytes() - base);
    },
  });
  if (report.imported !== rows) throw new Error(`the preview found ${report.imported} of ${rows} rows`);
  const importPeakBytes = Math.max(peak, liveBytes() - base);
  return {
    rows,
    fileBytes: file.length,
    importPeakBytes,
    parsePeakBytes,
    keptRowsBytes,
    verdict: importPeakBytes < file.length ? 'PASS' : 'MISS',
    load: loadavg(),
  };
}

export function describeImportMemory(memory: ImportMemory): string[] {
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
  return [
    `prospect import memory, ${memory.rows} rows, file ${mb(memory.fileBytes)} (live heap after GC at each chunk, over before the file was opened)`,
    `import (preview) peak growth  ${mb(memory.importPeakBytes).padStart(9)}  target < file size  ${memory.verdict}`,
    `parser alone peak growth      ${mb(memory.parsePeakBytes).padStart(9)}`,
    `the rows if kept              ${mb(memory.keptRowsBytes).padStart(9)}  (what a second copy of the file costs)`,
    `load average (1, 5, 15 min): ${memory.load.map((value) => value.toFixed(2)).join(' ')}`,
  ];
}

runAlone(module, 'import-memory', (suite) => measureImportMemory(suite.services, Number(process.argv[2] ?? 100_000)).then(describeImportMemory));
