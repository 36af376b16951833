import { prospectFieldsSchema, type ProspectFields } from './prospect';
import type { ImportField, MappedColumn } from './mapping';
import { countryCode, domainFromWebsite, parseEmailCell, parseFlag, singleLine, splitFullName, timeZoneFor, toE164 } from './normalise';

/** Something wrong with one row: `error` rejects the row, `warning` drops only the value named. */
export interface RowIssue {
  /** The line in the file where the row starts (the header is line 1 of a plain CSV). */
  line: number;
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface ImportedRow {
  line: number;
  fields?: ProspectFields;
  issues: RowIssue[];
}

/** The first non-empty value each field gets from the row's cells. */
function cellsByField(cells: readonly string[], columns: readonly MappedColumn[]): Partial<Record<ImportField, string>> {
  const values: Partial<Record<ImportField, string>> = {};
  for (const column of columns) {
    const value = cells[column.index]?.trim();
    if (column.field && value && values[column.field] === undefined) values[column.field] = value;
  }
  return values;
}

/** `Munich, Bavaria, Germany` → city, state, country; two parts are city and country. */
function splitLocation(location: string): { city?: string; state?: string; country?: string } {
  const parts = location
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length >= 3) return { city: parts[0], state: parts[parts.length - 2], country: parts[parts.length - 1] };
  if (parts.length === 2) return { city: parts[0], country: parts[1] };
  return countryCode(parts[0] ?? '') ? { country: parts[0] } : { city: parts[0] };
}

/**
 * One row of an imported file as the prospect it becomes: names split, e-mail cleaned, phone in E.164,
 * domain from the website or the address, time zone from the place. Values that cannot be made sense of
 * are dropped with a warning; a row without a usable e-mail is rejected.
 */
export function importRow(line: number, cells: readonly string[], columns: readonly MappedColumn[]): ImportedRow {
  const values = cellsByField(cells, columns);
  const issues: RowIssue[] = [];
  const warn = (field: string, message: string) => issues.push({ line, field, message, severity: 'warning' });

  const { email, displayName } = parseEmailCell(values.email ?? '');
  const fullName = values.fullName ? singleLine(values.fullName) : displayName;
  const split = fullName && !values.firstName && !values.lastName ? splitFullName(fullName) : {};
  const place = values.location ? splitLocation(values.location) : {};
  const city = values.city ?? place.city;
  const state = values.state ?? place.state;
  const countryText = values.country ?? place.country;
  const country = countryText ? countryCode(countryText) : undefined;
  if (countryText && !country) warn('country', `"${singleLine(countryText)}" is not a country we recognise; the column was left out.`);

  let phone: string | undefined;
  if (values.phone) {
    phone = toE164(values.phone, country);
    if (!phone)
      warn(
        'phone',
        `"${singleLine(values.phone)}" is not a phone number${country ? '' : ' in international form (+country code)'}; it was left out.`,
      );
  }
  let domain = values.domain ? domainFromWebsite(values.domain) : undefined;
  if (!domain && values.website) domain = domainFromWebsite(values.website);
  if ((values.domain || values.website) && !domain)
    warn(values.domain ? 'domain' : 'website', 'is not a web address; the domain comes from the e-mail.');

  let doNotContact: boolean | undefined;
  if (values.doNotContact !== undefined) {
    doNotContact = parseFlag(values.doNotContact);
    if (doNotContact === undefined) warn('doNotContact', `"${singleLine(values.doNotContact)}" is neither yes nor no; it was left out.`);
  }
  let owner: string | undefined;
  if (values.owner) {
    owner = parseEmailCell(values.owner).email;
    if (!prospectFieldsSchema.shape.owner.safeParse(owner).success) {
      warn('owner', `"${singleLine(values.owner)}" is not the e-mail address of a rep; the owner was left out.`);
      owner = undefined;
    }
  }
  const timeZone = values.timeZone ? singleLine(values.timeZone) : timeZoneFor({ country, state, city });

  const candidate = Object.fromEntries(
    Object.entries({
      email,
      firstName: values.firstName ? singleLine(values.firstName) : split.firstName,
      lastName: values.lastName ? singleLine(values.lastName) : split.lastName,
      fullName,
      company: values.company && singleLine(values.company),
      title: values.title && singleLine(values.title),
      domain,
      phone,
      crmId: values.crmId && singleLine(values.crmId),
      city: city && singleLine(city),
      state: state && singleLine(state),
      country,
      timeZone,
      region: values.region && singleLine(values.region),
      vertical: values.vertical && singleLine(values.vertical),
      owner,
      doNotContact,
    }).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = prospectFieldsSchema.safeParse(candidate);
  if (parsed.success) return { line, fields: parsed.data, issues };
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'row');
    issues.push({
      line,
      field,
      message: field === 'email' ? (email ? `"${email}" is not an e-mail address.` : 'The e-mail is missing.') : issue.message,
      severity: 'error',
    });
  }
  return { line, issues };
}
