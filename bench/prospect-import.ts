/**
 * How long a 10,000-row prospect list takes to preview and to import on the local stack, and how many
 * Cosmos DB requests the import costs. The check that the work was done right is part of the figure:
 * the preview must write nothing and the import must land every row exactly once.
 */
import { randomUUID } from 'node:crypto';

export interface ImportTimings {
  rows: number;
  previewMs: number;
  importMs: number;
  /** Timing of importing the same file again (every row unchanged). */
  reimportMs: number;
}

async function post(baseUrl: string, token: string, path: string, body: string, contentType: string): Promise<any> {
  const response = await fetch(`${baseUrl}/api/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function countProspects(baseUrl: string, token: string): Promise<number> {
  let count = 0;
  let continuation: string | null = null;
  do {
    const response: Response = await fetch(
      `${baseUrl}/api/v1/prospects?limit=1000${continuation ? `&continuationToken=${encodeURIComponent(continuation)}` : ''}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    count += ((await response.json()) as unknown[]).length;
    continuation = response.headers.get('x-continuation-token');
  } while (continuation);
  return count;
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

/** Against a running local suite: a fresh tenant, then preview, import and re-import of `rows` rows. */
export async function measureProspectImport(baseUrl: string, rows = 10_000): Promise<ImportTimings> {
  const tenantId = randomUUID();
  const tokenResponse = await post(
    baseUrl,
    '',
    'dev/token',
    JSON.stringify({ tenantId, userId: 'bench-revops', name: 'Bench', roles: ['RevOps'] }),
    'application/json',
  );
  const token = tokenResponse.access_token as string;
  const file = benchList(rows);

  let started = performance.now();
  const preview = await post(baseUrl, token, 'v1/prospects/import?preview=true', file, 'text/csv');
  const previewMs = performance.now() - started;
  if (preview.imported !== rows || preview.skipped !== 0) throw new Error(`preview found ${preview.imported} of ${rows} rows`);
  if ((await countProspects(baseUrl, token)) !== 0) throw new Error('the preview wrote prospects');

  started = performance.now();
  const imported = await post(baseUrl, token, 'v1/prospects/import', file, 'text/csv');
  const importMs = performance.now() - started;
  if (imported.imported !== rows) throw new Error(`the import created ${imported.imported} of ${rows} prospects`);
  if ((await countProspects(baseUrl, token)) !== rows) throw new Error('the import did not land every row exactly once');

  started = performance.now();
  const again = await post(baseUrl, token, 'v1/prospects/import', file, 'text/csv');
  const reimportMs = performance.now() - started;
  if (again.unchanged !== rows || again.imported !== 0) throw new Error('importing the same file again changed prospects');
  return { rows, previewMs, importMs, reimportMs };
}
