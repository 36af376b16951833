import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { importRow } from '@asep/shared/prospects/import-row';
import { detectPreset, importPresets, mapHeaders } from '@asep/shared/prospects/mapping';
import { presetCsv, sampleFiles, samplePeople } from '../../../../tests/support/prospect-files';
import { openImportFile, UnreadableFileError } from './read-file';

async function prospectsIn(bytes: Buffer, contentType?: string) {
  const table = await openImportFile(bytes, contentType ? { contentType } : {});
  const mapping = mapHeaders(table.headers);
  const rows = [];
  for await (const row of table.rows) rows.push(importRow(row.line, row.cells, mapping.columns));
  return { table, mapping, rows };
}

const expected = samplePeople.map((person) => ({
  email: person.email,
  firstName: person.firstName,
  lastName: person.lastName,
  company: person.company,
  title: person.title.replace('\n', ' '),
}));

describe('reading the lists people export', () => {
  it.each([
    ['UTF-8 with a BOM', sampleFiles.utf8WithBom, 'utf-8', ','],
    ['Windows-1252 with Excel’s sep= line', sampleFiles.windows1252Semicolon, 'windows-1252', ';'],
    ['UTF-16 LE with a BOM, tab-separated', sampleFiles.utf16LeTabs, 'utf-16le', '\t'],
    ['semicolon-delimited', sampleFiles.semicolon, 'utf-8', ';'],
  ])('%s reads as the same prospects, accents intact', async (_name, make, encoding, delimiter) => {
    const { table, rows } = await prospectsIn(make());
    expect(table).toMatchObject({ encoding, delimiter });
    expect(rows.map((row) => row.issues.filter((issue) => issue.severity === 'error'))).toEqual([[], [], [], []]);
    expect(rows.map((row) => row.fields)).toMatchObject(expected);
    expect(rows.map((row) => row.fields?.phone)).toEqual(samplePeople.map((person) => person.e164));
    expect(rows.map((row) => row.fields?.timeZone)).toEqual(samplePeople.map((person) => person.timeZone));
    expect(rows.map((row) => row.fields?.domain)).toEqual(['beispiel.example', 'acme.example', 'societe.example', 'example.example']);
  });

  it('numbers rows by the line they start on, past quoted line breaks and the sep= line', async () => {
    const { rows } = await prospectsIn(sampleFiles.windows1252Semicolon());
    // sep= is line 1, the header line 2; the third person's title spans two lines.
    expect(rows.map((row) => row.line)).toEqual([3, 4, 5, 7]);
  });

  it('reads an Excel workbook by sheet name, under a title row and merged header cells, with dates', async () => {
    const file = await sampleFiles.workbookWithMergedHeader('Contacts');
    const table = await openImportFile(file, { sheet: 'Contacts' });
    expect(table).toMatchObject({ format: 'xlsx', sheet: 'Contacts', headerLine: 3 });
    expect(table.headers).toEqual(['Email Address', 'First Name', 'Last Name', 'Company Name', 'Job Title', 'Phone', 'Country', 'Created']);
    const mapping = mapHeaders(table.headers);
    const rows = [];
    for await (const row of table.rows) rows.push({ ...importRow(row.line, row.cells, mapping.columns), created: row.cells[7] });
    expect(rows.map((row) => row.fields)).toMatchObject(expected);
    expect(rows.map((row) => row.line)).toEqual([4, 5, 6, 7]);
    expect(rows[0]!.created).toBe('2024-03-01');
  });

  it('names the sheets when the one asked for is missing', async () => {
    const file = await sampleFiles.workbookWithMergedHeader();
    await expect(openImportFile(file, { sheet: 'Leads' })).rejects.toThrow(/"Read me", "Contacts"/);
  });

  it.each(importPresets.map((preset) => [preset.name, preset.id]))('%s: its header row maps to the same prospects', async (_name, presetId) => {
    const { mapping, rows } = await prospectsIn(Buffer.from(presetCsv(presetId)));
    expect(detectPreset(mapping.columns.map((column) => column.header))?.id).toBe(presetId);
    expect(mapping.preset?.id).toBe(presetId);
    expect(rows.map((row) => row.fields)).toMatchObject(expected);
    const crmIds = rows.map((row) => row.fields?.crmId);
    if (Object.values(importPresets.find((preset) => preset.id === presetId)!.columns).includes('crmId')) {
      expect(crmIds).toEqual(samplePeople.map((person) => person.crmId));
    }
  });

  it('refuses files that are not what they say, with a 4xx reason', async () => {
    const cases: [Buffer, string | undefined, number, RegExp][] = [
      [Buffer.from('email\na@b.example'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 415, /not one/],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), undefined, 415, /\.xls/],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]), undefined, 415, /not an Excel workbook/],
      [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0]), undefined, 415, /not a text file/],
      [Buffer.from(''), 'text/csv', 422, /empty/],
    ];
    for (const [bytes, contentType, status, message] of cases) {
      const error = await openImportFile(bytes, contentType ? { contentType } : {}).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(UnreadableFileError);
      expect((error as UnreadableFileError).status).toBe(status);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('reports an unclosed quote as an unreadable file, not a crash', async () => {
    const read = async () => {
      const table = await openImportFile(Buffer.from('email,name\na@b.example,"Ann\nb@c.example,Bob\n'));
      for await (const _row of table.rows) void _row;
    };
    await expect(read()).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/not valid CSV/) });
  });

  it('tells Windows-1252 from UTF-8 without a BOM', async () => {
    const { table, rows } = await prospectsIn(iconv.encode('Name,Email\nJosé Müller,jose@x.example\n', 'windows-1252'));
    expect(table.encoding).toBe('windows-1252');
    expect(rows[0]!.fields).toMatchObject({ firstName: 'José', lastName: 'Müller' });
  });
});
