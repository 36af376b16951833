/**
 * How long a 10,000-row prospect list takes to preview and to import on the local stack. Each repeat uses a
 * fresh tenant and checks the work was done right as part of the figure: the preview writes nothing, the
 * import lands every good row exactly once, importing the same file again changes nothing. Figures are the
 * median of the repeats with their spread, and the machine's load is recorded beside them.
 *
 * Alone: `npx tsx bench/prospect-import.ts [rows] [repeats]` starts a local suite and prints the figures.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { allProspects, runAlone } from './bench-api';

export const importTargets = { previewMs: 1000, importMs: 2000 } as const;

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface ImportTimings {
  rows: number;
  repeats: number;
  /** Medians, in milliseconds. */
  previewMs: number;
  importMs: number;
  /** Importing the same file again (every row unchanged). */
  reimportMs: number;
  spread: { previewMs: Spread; importMs: Spread; reimportMs: Spread };
  /** os.loadavg() before and after the runs: 1, 5 and 15 minute averages. */
  load: { before: number[]; after: number[] };
  verdict: { preview: 'PASS' | 'MISS'; import: 'PASS' | 'MISS' };
}

async function post(baseUrl: string, token: string, path: string, body: string, contentType: string): Promise<any> {
  const response = await fetch(`${baseUrl}/api/${path}`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Every stored prospect's address, following the list's continuation tokens. */
async function storedEmails(baseUrl: string, token: string): Promise<string[]> {
  return (await allProspects(baseUrl, token)).map((prospect) => prospect.email);
}

/** A list as a CRM exports it: names to split, mixed-case addresses, national phone numbers, places. */
export function benchList(rows: number): string {
  const cities = [
    ['Munich', 'Germany', '089 1234567'],
    ['San Francisco', 'United States', '(415) 555-2671'],
    ['Paris', 'France', '01 23 45 67 89'],
    ['London', 'United Kingdom', '020 7946 0958'],
  ] as const;
  const lines = ['Full Name,Email Address,Company Name,Job Title,Phone,City,Country,Website'];
  for (let i = 0; i < rows; i += 1) {
    const [city, country, phone] = cities[i % cities.length]!;
    lines.push(
      `Person ${i} Example,Person.${i}@Bench${i % 97}.example,Bench ${i % 97} Ltd,Buyer,${phone},${city},${country},https://www.bench${i % 97}.example`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

/** One repeat against a fresh tenant: preview, import and re-import, each checked. */
async function measureOnce(baseUrl: string, rows: number, file: string): Promise<{ previewMs: number; importMs: number; reimportMs: number }> {
  const tenantId = randomUUID();
  const { access_token: token } = (await post(
    baseUrl,
    '',
    'dev/token',
    JSON.stringify({ tenantId, userId: 'bench-revops', name: 'Bench', roles: ['RevOps'] }),
    'application/json',
  )) as { access_token: string };

  const preview = await timed(() => post(baseUrl, token, 'v1/prospects/import?preview=true', file, 'text/csv'));
  if (preview.result.imported !== rows || preview.result.skipped !== 0) throw new Error(`preview found ${preview.result.imported} of ${rows} rows`);
  if ((await storedEmails(baseUrl, token)).length !== 0) throw new Error('the preview wrote prospects');

  const imported = await timed(() => post(baseUrl, token, 'v1/prospects/import', file, 'text/csv'));
  if (imported.result.imported !== rows) throw new Error(`the import created ${imported.result.imported} of ${rows} prospects`);
  const stored = await storedEmails(baseUrl, token);
  const expected = new Set(Array.from({ length: rows }, (_, i) => `person.${i}@bench${i % 97}.example`));
  if (stored.length !== rows || new Set(stored).size !== rows || !stored.every((email) => expected.has(email))) {
    throw new Error(`the import did not land every row exactly once (${stored.length} stored, ${new Set(stored).size} distinct)`);
  }

  const again = await timed(() => post(baseUrl, token, 'v1/prospects/import', file, 'text/csv'));
  if (again.result.unchanged !== rows || again.result.imported !== 0) throw new Error('importing the same file again changed prospects');
  if ((await storedEmails(baseUrl, token)).length !== rows) throw new Error('importing the same file again added prospects');
  return { previewMs: preview.ms, importMs: imported.ms, reimportMs: again.ms };
}

/**
 * Against a running local suite: `repeats` rounds of preview, import and re-import of `rows` rows, after one
 * unmeasured round that warms the server up as a running one is.
 */
export async function measureProspectImport(baseUrl: string, rows = 10_000, repeats = 5): Promise<ImportTimings> {
  const file = benchList(rows);
  await measureOnce(baseUrl, rows, file);
  const before = loadavg();
  const runs: { previewMs: number; importMs: number; reimportMs: number }[] = [];
  for (let repeat = 0; repeat < repeats; repeat += 1) runs.push(await measureOnce(baseUrl, rows, file));
  const spread = {
    previewMs: spreadOf(runs.map((run) => run.previewMs)),
    importMs: spreadOf(runs.map((run) => run.importMs)),
    reimportMs: spreadOf(runs.map((run) => run.reimportMs)),
  };
  return {
    rows,
    repeats,
    previewMs: spread.previewMs.median,
    importMs: spread.importMs.median,
    reimportMs: spread.reimportMs.median,
    spread,
    load: { before, after: loadavg() },
    verdict: {
      preview: spread.previewMs.median <= importTargets.previewMs ? 'PASS' : 'MISS',
      import: spread.importMs.median <= importTargets.importMs ? 'PASS' : 'MISS',
    },
  };
}

/** The figures as lines for a report. */
export function describeImportTimings(timings: ImportTimings): string[] {
  const line = (name: string, spread: Spread, target?: number, verdict?: string) =>
    `${name.padEnd(22)} median ${spread.median.toFixed(0).padStart(6)} ms  (min ${spread.min.toFixed(0)}, max ${spread.max.toFixed(0)})${
      target ? `  target ≤ ${target} ms  ${verdict}` : ''
    }`;
  return [
    `prospect import, ${timings.rows} rows, ${timings.repeats} repeats; every good row landed exactly once, the preview wrote nothing`,
    line('preview', timings.spread.previewMs, importTargets.previewMs, timings.verdict.preview),
    line('import', timings.spread.importMs, importTargets.importMs, timings.verdict.import),
    line('re-import (unchanged)', timings.spread.reimportMs),
    `load average (1, 5, 15 min): before ${timings.load.before.map((value) => value.toFixed(2)).join(' ')}, after ${timings.load.after
      .map((value) => value.toFixed(2))
      .join(' ')} on this machine`,
  ];
}

runAlone(module, 'import', (suite) =>
  measureProspectImport(suite.baseUrl, Number(process.argv[2] ?? 10_000), Number(process.argv[3] ?? 5)).then(describeImportTimings),
);
