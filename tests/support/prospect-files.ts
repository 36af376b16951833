import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { importPresets } from '@asep/shared/prospects/mapping';

/**
 * Prospect lists as the tools people use write them, generated here so every test reads files it made:
 * the same four people in each encoding, delimiter and layout, and under each preset's headers.
 */

export interface SamplePerson {
  email: string;
  /** What the e-mail cell holds (mailto:, angle brackets, stray capitals). */
  emailCell: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  phone: string;
  /** The phone in E.164, as the import stores it. */
  e164: string;
  city: string;
  country: string;
  timeZone: string;
  website: string;
  crmId: string;
}

export const samplePeople: SamplePerson[] = [
  {
    email: 'jose.mueller@beispiel.example',
    emailCell: ' José Müller <Jose.Mueller@Beispiel.example> ',
    firstName: 'José',
    lastName: 'Müller',
    company: 'Beispiel GmbH',
    title: 'Leiter Vertrieb',
    phone: '+49 89 1234567',
    e164: '+49891234567',
    city: 'Munich',
    country: 'Germany',
    timeZone: 'Europe/Berlin',
    website: 'https://www.beispiel.example/de',
    crmId: '1001',
  },
  {
    email: 'zoe.obrien@acme.example',
    emailCell: 'mailto:ZOE.OBRIEN@acme.example',
    firstName: 'Zoë',
    lastName: "O'Brien",
    company: 'Acme, Inc.',
    title: 'Head of Sales; EMEA',
    phone: '+1 (415) 555-2671',
    e164: '+14155552671',
    city: 'San Francisco',
    country: 'United States',
    timeZone: 'America/Los_Angeles',
    website: 'acme.example',
    crmId: '1002',
  },
  {
    email: 'francois.lefevre@societe.example',
    emailCell: 'francois.lefevre@societe.example',
    firstName: 'François',
    lastName: 'Lefèvre',
    company: 'Société "Générale" Fictive',
    title: 'Directeur\ncommercial',
    phone: '+33 1 23 45 67 89',
    e164: '+33123456789',
    city: 'Paris',
    country: 'France',
    timeZone: 'Europe/Paris',
    website: 'http://societe.example',
    crmId: '1003',
  },
  {
    email: 'ann.lee@example.example',
    emailCell: '<Ann.Lee@Example.example>',
    firstName: 'Ann',
    lastName: 'Lee',
    company: 'Example Ltd',
    title: 'CFO',
    phone: '+44 20 7946 0958',
    e164: '+442079460958',
    city: 'London',
    country: 'United Kingdom',
    timeZone: 'Europe/London',
    website: 'www.example.example',
    crmId: '1004',
  },
];

/** A plain header most lists have. */
const plainColumns: [string, (person: SamplePerson) => string][] = [
  ['Full Name', (person) => `${person.firstName} ${person.lastName}`],
  ['Email Address', (person) => person.emailCell],
  ['Company Name', (person) => person.company],
  ['Job Title', (person) => person.title],
  ['Phone', (person) => person.phone],
  ['City', (person) => person.city],
  ['Country', (person) => person.country],
  ['Website', (person) => person.website],
  ['Created', () => '2024-03-01'],
];

function quote(value: string, delimiter: string): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function delimitedText(delimiter: string, columns = plainColumns, people = samplePeople): string {
  const lines = [columns.map(([header]) => quote(header, delimiter)).join(delimiter)];
  for (const person of people) lines.push(columns.map(([, value]) => quote(value(person), delimiter)).join(delimiter));
  return `${lines.join('\r\n')}\r\n`;
}

export const sampleFiles = {
  utf8WithBom: () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(delimitedText(','), 'utf8')]),
  /** Excel's "CSV" on a Windows machine with a German list separator. */
  windows1252Semicolon: () => iconv.encode(`sep=;\r\n${delimitedText(';')}`, 'windows-1252'),
  /** Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated. */
  utf16LeTabs: () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(delimitedText('\t'), 'utf-16le')]),
  semicolon: () => Buffer.from(delimitedText(';'), 'utf8'),
  /** A title row, a group heading merged over two columns, header cells merged down two rows, real dates. */
  workbookWithMergedHeader: async (sheetName = 'Contacts') => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Read me').addRow(['This sheet is not the list']);
    const sheet = workbook.addWorksheet(sheetName);
    sheet.addRow(['Prospects exported 2024-03-01', '', '', '', '', '', '', '']);
    sheet.mergeCells('A1:H1');
    sheet.addRow(['Email Address', 'Person', '', 'Company Name', 'Job Title', 'Phone', 'Country', 'Created']);
    sheet.addRow(['', 'First Name', 'Last Name', '', '', '', '', '']);
    sheet.mergeCells('B2:C2');
    for (const column of ['A', 'D', 'E', 'F', 'G', 'H']) sheet.mergeCells(`${column}2:${column}3`);
    for (const person of samplePeople) {
      sheet.addRow([
        person.emailCell,
        person.firstName,
        person.lastName,
        person.company,
        person.title,
        person.phone,
        person.country,
        new Date(Date.UTC(2024, 2, 1)),
      ]);
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  },
};

/** What a preset's column holds for a person, by the field the preset maps it to. */
const valueFor: Record<string, (person: SamplePerson) => string> = {
  email: (person) => person.emailCell,
  firstName: (person) => person.firstName,
  lastName: (person) => person.lastName,
  fullName: (person) => `${person.firstName} ${person.lastName}`,
  company: (person) => person.company,
  title: (person) => person.title,
  phone: (person) => person.phone,
  crmId: (person) => person.crmId,
  city: (person) => person.city,
  country: (person) => person.country,
  website: (person) => person.website,
  location: (person) => `${person.city}, ${person.country}`,
};

/** A CSV under a preset's own header row (every column it names), plus a column we do not import. */
export function presetCsv(presetId: string): string {
  const preset = importPresets.find((candidate) => candidate.id === presetId)!;
  const filled = new Set<string>();
  const columns: [string, (person: SamplePerson) => string][] = Object.entries(preset.columns).map(([header, field]) => {
    const value = field && !filled.has(field) ? valueFor[field] : undefined;
    if (field && value) filled.add(field);
    return [header, value ?? (() => '')];
  });
  for (const header of preset.signature) if (!(header in preset.columns)) columns.push([header, () => '']);
  columns.push(['Notes', () => 'imported for a test']);
  return delimitedText(',', columns);
}
