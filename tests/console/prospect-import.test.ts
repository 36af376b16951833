import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTenant } from '../../local/src/seed';
import { everyPage, signIn, type Person } from '../support/suite';
import { seriousAccessibilityViolations, settled, startConsoleHarness, type ConsoleHarness } from './console-harness';

let harness: ConsoleHarness;
let revops: Person;

beforeAll(async () => {
  harness = await startConsoleHarness();
  revops = await signIn(harness.suite.baseUrl, demoTenant.tenantId, ['RevOps'], 'RevOps in test');
});

afterAll(async () => {
  await harness?.close();
});

/** Every stored address, following the list's continuation tokens. */
async function storedEmails(): Promise<string[]> {
  return (await everyPage<{ email: string }>(harness.suite.baseUrl, 'v1/prospects?limit=1000', revops.token))
    .flat()
    .map((prospect) => prospect.email);
}

describe('importing prospects in the console', () => {
  it('previews a dropped list without writing, lets a column be remapped, highlights rejected rows and offers them as CSV', async () => {
    const before = await storedEmails();
    const page = await harness.open({ role: 'RevOps', pageId: 'import' });
    await page.getByRole('heading', { name: 'Import prospects' }).waitFor();

    // Dropped as a person drags it from the desktop: a DataTransfer with the file.
    const broken = 'Email Address,Full Name,Notes\nnot-an-address,Broken Row,x\nkai@drop.example,Kai Drop,Call after 3pm\n';
    await page.evaluate(
      async ([zone, csv]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([csv], 'list.csv', { type: 'text/csv' }));
        const target = document.querySelector(zone)!;
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      ['[data-testid="import-drop-zone"]', broken] as const,
    );
    await page.getByText(/CSV, utf-8, separated by ",": 2 rows/).waitFor();
    const problems = page.getByRole('table', { name: 'Row problems' });
    await expect
      .poll(() => problems.getByRole('row').nth(1).innerText())
      .toMatch(/2\s+email\s+Row rejected: "not-an-address" is not an e-mail address/);
    expect(await storedEmails()).toEqual(before);

    // The Notes column is not imported by default; mapped to Job title it shows in the preview.
    await page.getByRole('combobox', { name: 'Import "Notes" as' }).selectOption('title');
    await expect.poll(() => page.getByRole('table', { name: 'First rows as they will be stored' }).innerText()).toContain('Call after 3pm');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download problems as CSV' }).click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv).toContain('"2","email","rejected"');

    await settled(page);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  });

  it('offers the sheets of a workbook and imports the one picked', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('2023 leads').addRows([
      ['Email', 'Full Name'],
      ['old.lead@sheets.example', 'Old Lead'],
    ]);
    workbook.addWorksheet('2024 leads').addRows([
      ['Email', 'Full Name', 'Company'],
      ['new.lead@sheets.example', 'New Lead', 'Sheets Ltd'],
      ['other.lead@sheets.example', 'Other Lead', 'Sheets Ltd'],
    ]);
    const page = await harness.open({ role: 'RevOps', pageId: 'import' });
    await page.getByLabel('Prospect list file').setInputFiles({
      name: 'leads.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    });
    await page.getByText(/XLSX, sheet "2023 leads": 1 rows/).waitFor();
    await page.getByRole('combobox', { name: 'Sheet to import' }).selectOption('2024 leads');
    await page.getByText(/XLSX, sheet "2024 leads": 2 rows/).waitFor();
    await expect.poll(() => page.getByRole('table', { name: 'First rows as they will be stored' }).innerText()).toContain('new.lead@sheets.example');
    await settled(page);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Import 2 prospects' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported: 2 new, 0 updated, 0 rejected.' }).waitFor({ timeout: 60_000 });
    const emails = await storedEmails();
    expect(emails.filter((email) => email.endsWith('@sheets.example')).sort()).toEqual(['new.lead@sheets.example', 'other.lead@sheets.example']);
  }, 120_000);

  it('imports a list in the background, with a progress bar, and says what it did', async () => {
    const page = await harness.open({ role: 'RevOps', pageId: 'import' });
    const rows = Array.from({ length: 3000 }, (_, i) => `console${i}@progress.example,Person ${i},Progress Ltd`);
    await page.getByLabel('Prospect list file').setInputFiles({
      name: 'big.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['Email,Full Name,Company', ...rows].join('\n')),
    });
    await page.getByRole('button', { name: 'Import 3000 prospects' }).click();
    await page.getByRole('progressbar').waitFor();
    await page.getByRole('status').filter({ hasText: 'Imported: 3000 new, 0 updated, 0 rejected.' }).waitFor({ timeout: 120_000 });
    const emails = await storedEmails();
    expect(emails.filter((email) => email.endsWith('@progress.example'))).toHaveLength(3000);
    await settled(page);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 180_000);
});
