import { z } from 'zod';

/** What a column of an imported file can hold. Several columns may feed one field: the first non-empty wins. */
export const importFieldSchema = z.enum([
  'email',
  'firstName',
  'lastName',
  'fullName',
  'company',
  'title',
  'domain',
  'website',
  'phone',
  'crmId',
  'city',
  'state',
  'country',
  'location',
  'timeZone',
  'region',
  'vertical',
  'owner',
  'doNotContact',
]);
export type ImportField = z.infer<typeof importFieldSchema>;

/** Header → field (null: ignore the column). Headers compare without case, spaces or punctuation. */
export const columnMappingSchema = z.record(z.string().max(200), importFieldSchema.nullable());
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export interface ImportPreset {
  id: string;
  name: string;
  /** Headers only this tool writes; all present means the file came from it. */
  signature: string[];
  columns: ColumnMapping;
}

/** The exports sales teams bring, with the header each tool writes. */
export const importPresets: ImportPreset[] = [
  {
    id: 'hubspot',
    name: 'HubSpot contacts export',
    signature: ['Record ID', 'Email'],
    columns: {
      'Record ID': 'crmId',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Phone Number': 'phone',
      'Mobile Phone Number': 'phone',
      'Company Name': 'company',
      'Associated Company': 'company',
      'Job Title': 'title',
      'Website URL': 'website',
      City: 'city',
      'State/Region': 'state',
      'Country/Region': 'country',
      'Time Zone': 'timeZone',
      Industry: 'vertical',
    },
  },
  {
    id: 'salesforce-report',
    name: 'Salesforce report',
    signature: ['Contact ID', 'Account Name'],
    columns: {
      'Contact ID': 'crmId',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Title: 'title',
      'Account Name': 'company',
      Email: 'email',
      Phone: 'phone',
      Mobile: 'phone',
      'Mailing City': 'city',
      'Mailing State/Province': 'state',
      'Mailing Country': 'country',
      'Email Opt Out': 'doNotContact',
      Industry: 'vertical',
    },
  },
  {
    id: 'salesforce-data-loader',
    name: 'Salesforce Data Loader',
    signature: ['ID', 'FIRSTNAME', 'LASTNAME', 'EMAIL'],
    columns: {
      ID: 'crmId',
      FIRSTNAME: 'firstName',
      LASTNAME: 'lastName',
      EMAIL: 'email',
      TITLE: 'title',
      PHONE: 'phone',
      MOBILEPHONE: 'phone',
      'ACCOUNT.NAME': 'company',
      MAILINGCITY: 'city',
      MAILINGSTATE: 'state',
      MAILINGCOUNTRY: 'country',
      HASOPTEDOUTOFEMAIL: 'doNotContact',
    },
  },
  {
    id: 'dynamics-365',
    name: 'Dynamics 365 contacts',
    signature: ['(Do Not Modify) Contact'],
    columns: {
      '(Do Not Modify) Contact': 'crmId',
      'Full Name': 'fullName',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Email: 'email',
      'Company Name': 'company',
      'Job Title': 'title',
      'Business Phone': 'phone',
      'Mobile Phone': 'phone',
      'Address 1: City': 'city',
      'Address 1: State/Province': 'state',
      'Address 1: Country/Region': 'country',
      'Do not allow Emails': 'doNotContact',
    },
  },
  {
    id: 'apollo',
    name: 'Apollo',
    signature: ['Apollo Contact Id'],
    columns: {
      'Apollo Contact Id': 'crmId',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Title: 'title',
      Company: 'company',
      Email: 'email',
      'Work Direct Phone': 'phone',
      'Mobile Phone': 'phone',
      'Corporate Phone': 'phone',
      Website: 'website',
      City: 'city',
      State: 'state',
      Country: 'country',
      Industry: 'vertical',
    },
  },
  {
    id: 'sales-navigator',
    name: 'LinkedIn Sales Navigator (Evaboot, Phantombuster and similar)',
    signature: ['LinkedIn Profile URL'],
    columns: {
      'First Name': 'firstName',
      'Last Name': 'lastName',
      'Full Name': 'fullName',
      fullName: 'fullName',
      Email: 'email',
      'Job Title': 'title',
      title: 'title',
      Company: 'company',
      companyName: 'company',
      'Company Domain': 'domain',
      'Company Website': 'website',
      Location: 'location',
      'Company Industry': 'vertical',
    },
  },
  {
    id: 'zoominfo',
    name: 'ZoomInfo',
    signature: ['ZoomInfo Contact ID'],
    columns: {
      'ZoomInfo Contact ID': 'crmId',
      'First Name': 'firstName',
      'Last Name': 'lastName',
      'Job Title': 'title',
      'Email Address': 'email',
      'Direct Phone Number': 'phone',
      'Mobile phone': 'phone',
      'Company Name': 'company',
      Website: 'website',
      'Person City': 'city',
      'Person State': 'state',
      Country: 'country',
      'Primary Industry': 'vertical',
    },
  },
  {
    id: 'outlook',
    name: 'Outlook contacts',
    signature: ['E-mail Address', 'Business Phone'],
    // Outlook's "Title" is the courtesy title (Mr., Dr.); the job is "Job Title".
    columns: {
      'First Name': 'firstName',
      'Last Name': 'lastName',
      Title: null,
      'E-mail Address': 'email',
      'Job Title': 'title',
      Company: 'company',
      'Business Phone': 'phone',
      'Mobile Phone': 'phone',
      'Business City': 'city',
      'Business State': 'state',
      'Business Country/Region': 'country',
      'Web Page': 'website',
    },
  },
];

/** Names people give columns, beyond any one tool's export. */
const synonyms: Record<ImportField, string[]> = {
  email: ['email', 'e-mail', 'email address', 'e-mail address', 'mail', 'work email', 'business email', 'emailaddress1'],
  firstName: ['first name', 'firstname', 'given name', 'forename', 'first'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'last'],
  fullName: ['name', 'full name', 'contact name', 'contact', 'person', 'display name'],
  company: ['company', 'company name', 'account', 'account name', 'organization', 'organisation', 'employer', 'parentcustomerid'],
  title: ['job title', 'title', 'position', 'role', 'jobtitle'],
  domain: ['domain', 'company domain', 'email domain'],
  website: ['website', 'web site', 'url', 'company website', 'website url', 'web page', 'homepage'],
  phone: ['phone', 'phone number', 'telephone', 'tel', 'mobile', 'mobile phone', 'work phone', 'direct phone', 'business phone', 'telephone1'],
  crmId: ['crm id', 'record id', 'contact id', 'id', 'external id', 'contactid'],
  city: ['city', 'town', 'address1_city'],
  state: ['state', 'province', 'region/state', 'state/province', 'county', 'address1_stateorprovince'],
  country: ['country', 'country/region', 'nation', 'country code', 'address1_country'],
  location: ['location', 'place'],
  timeZone: ['time zone', 'timezone', 'tz'],
  region: ['sales region', 'territory', 'region'],
  vertical: ['industry', 'vertical', 'sector'],
  owner: ['owner', 'owner email', 'contact owner', 'account owner email', 'sales rep email'],
  doNotContact: ['do not contact', 'do not email', 'unsubscribed', 'email opt out', 'opted out', 'donotemail'],
};

/** How headers compare: `E-mail Address`, `email_address` and `EmailAddress` are one. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const synonymByKey = new Map<string, ImportField>(
  Object.entries(synonyms).flatMap(([field, names]) => names.map((name) => [headerKey(name), field as ImportField] as const)),
);

export type MappingSource = 'request' | 'saved' | 'preset' | 'synonym' | 'none';

export interface MappedColumn {
  index: number;
  header: string;
  field: ImportField | null;
  source: MappingSource;
}

export interface HeaderMapping {
  preset?: { id: string; name: string };
  columns: MappedColumn[];
}

export function detectPreset(headers: string[]): ImportPreset | undefined {
  const keys = new Set(headers.map(headerKey));
  return importPresets.find((preset) => preset.signature.every((header) => keys.has(headerKey(header))));
}

function keyed(mapping: ColumnMapping | undefined): Map<string, ImportField | null> {
  return new Map(Object.entries(mapping ?? {}).map(([header, field]) => [headerKey(header), field]));
}

/**
 * Maps each column to a field: what the request says wins, then the tenant's saved mapping, then the
 * preset of the tool that wrote the file (named, or recognised by its headers), then common names.
 */
export function mapHeaders(headers: string[], options: { requested?: ColumnMapping; saved?: ColumnMapping; presetId?: string } = {}): HeaderMapping {
  const preset = options.presetId ? importPresets.find((candidate) => candidate.id === options.presetId) : detectPreset(headers);
  const layers: [MappingSource, Map<string, ImportField | null>][] = [
    ['request', keyed(options.requested)],
    ['saved', keyed(options.saved)],
    ['preset', keyed(preset?.columns)],
    ['synonym', synonymByKey],
  ];
  const columns = headers.map((header, index): MappedColumn => {
    const key = headerKey(header);
    for (const [source, layer] of layers) {
      if (layer.has(key)) return { index, header, field: layer.get(key)!, source };
    }
    return { index, header, field: null, source: 'none' };
  });
  return { ...(preset ? { preset: { id: preset.id, name: preset.name } } : {}), columns };
}
