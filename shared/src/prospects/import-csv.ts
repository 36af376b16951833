import { parse } from 'csv-parse/sync';
import { prospectFieldsSchema, type ProspectFields } from './prospect';

export interface CsvRowError {
  /** 1-based line number in the file, the header being line 1. */
  row: number;
  message: string;
}

export interface ParsedProspectCsv {
  prospects: ProspectFields[];
  errors: CsvRowError[];
}

const columnAliases: Record<string, keyof ProspectFields> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  firstname: 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  fullname: 'fullName',
  name: 'fullName',
  company: 'company',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  title: 'title',
  jobtitle: 'title',
  domain: 'domain',
  website: 'domain',
  companydomain: 'domain',
  phone: 'phone',
  phonenumber: 'phone',
  timezone: 'timeZone',
  tz: 'timeZone',
  owner: 'owner',
  owneremail: 'owner',
  contactowner: 'owner',
};

function fieldFor(header: string): keyof ProspectFields | undefined {
  return columnAliases[header.toLowerCase().replace(/[^a-z]/g, '')];
}

/**
 * Reads a prospect CSV: a header row, then one prospect per row. Good rows come back normalised;
 * each bad row is reported with its line number and why, so one typo never sinks a whole import.
 */
export function parseProspectCsv(text: string): ParsedProspectCsv {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, relax_column_count: true, trim: true, bom: true });
  } catch (error) {
    return { prospects: [], errors: [{ row: 0, message: `The file is not valid CSV: ${(error as Error).message}` }] };
  }
  const [header, ...records] = rows;
  const fields = header?.map(fieldFor) ?? [];
  if (!fields.includes('email')) {
    return { prospects: [], errors: [{ row: 1, message: 'The header row needs an "email" column.' }] };
  }
  const byEmail = new Map<string, ProspectFields>();
  const errors: CsvRowError[] = [];
  records.forEach((record, index) => {
    const candidate: Record<string, string> = {};
    fields.forEach((field, column) => {
      const value = record[column];
      if (field && value) candidate[field] = value;
    });
    const parsed = prospectFieldsSchema.safeParse(candidate);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
      errors.push({ row: index + 2, message });
      return;
    }
    byEmail.set(parsed.data.email, { ...byEmail.get(parsed.data.email), ...parsed.data });
  });
  return { prospects: [...byEmail.values()], errors };
}
