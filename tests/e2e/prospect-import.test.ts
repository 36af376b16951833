import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPresets } from '@asep/shared/prospects/mapping';
import { presetCsv, sampleFiles, samplePeople } from '../support/prospect-files';
import { call, eventually, everyPage, newTenantId, signIn, startSuite, type Person, type RunningSuite } from '../support/suite';

let suite: RunningSuite;

beforeAll(async () => {
  suite = await startSuite({ seed: false });
});
afterAll(async () => suite?.stop());

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(
  person: Person,
  file: Buffer | string,
  options: { contentType?: string; query?: string; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${suite.baseUrl}/api/v1/prospects/import${options.query ? `?${options.query}` : ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${person.token}`, 'content-type': options.contentType ?? 'text/csv', ...options.headers },
    body: typeof file === 'string' ? file : new Uint8Array(file),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: (await response.json()) as any };
}

async function newRevOps(): Promise<Person> {
  return signIn(suite.baseUrl, newTenantId(), ['RevOps']);
}

async function storedProspects(person: Person): Promise<any[]> {
  return (await call<any[]>(suite.baseUrl, 'GET', 'v1/prospects?limit=1000', { token: person.token })).body;
}

/** Every stored prospect, a page of 1,000 at a time, following the continuation token. */
async function allPages(person: Person): Promise<any[][]> {
  return everyPage(suite.baseUrl, 'v1/prospects?limit=1000', person.token);
}

const samePeople = samplePeople.map((person) => ({
  email: person.email,
  firstName: person.firstName,
  lastName: person.lastName,
  company: person.company,
  title: person.title.replace('\n', ' '),
}));

describe('importing the lists people really have', () => {
  const files: [string, () => Buffer | Promise<Buffer>, string, string?][] = [
    ['UTF-8 CSV with a BOM', sampleFiles.utf8WithBom, 'text/csv'],
    ['Windows-1252 CSV from Excel (sep=;)', sampleFiles.windows1252Semicolon, 'application/vnd.ms-excel'],
    ['UTF-16 LE Unicode text', sampleFiles.utf16LeTabs, 'text/plain'],
    ['semicolon-delimited CSV', sampleFiles.semicolon, 'text/csv'],
    ['Excel workbook with merged header cells', () => sampleFiles.workbookWithMergedHeader(), xlsxType, 'sheet=Contacts'],
    ...importPresets.map((preset): [string, () => Buffer, string] => [`${preset.name} export`, () => Buffer.from(presetCsv(preset.id)), 'text/csv']),
  ];

  it.each(files)('%s imports the same four prospects', async (_name, make, contentType, query) => {
    const revops = await newRevOps();
    const response = await upload(revops, await make(), { contentType, ...(query ? { query } : {}) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ imported: 4, updated: 0, skipped: 0, errors: [] });
    const stored = (await storedProspects(revops)).sort(
      (a, b) => samePeople.findIndex((p) => p.email === a.email) - samePeople.findIndex((p) => p.email === b.email),
    );
    expect(stored).toMatchObject(samePeople);
  });

  it('previews without writing anything, then imports exactly what it previewed, and a second import changes nothing', async () => {
    const revops = await newRevOps();
    const file = sampleFiles.windows1252Semicolon();
    const preview = await upload(revops, file, { query: 'preview=true' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      preview: true,
      file: { format: 'csv', encoding: 'windows-1252', delimiter: ';', rows: 4 },
      imported: 4,
      updated: 0,
    });
    expect(preview.body.mapping.columns.find((column: any) => column.header === 'Email Address')).toMatchObject({
      field: 'email',
      source: 'synonym',
    });
    expect(preview.body.sample[0]).toMatchObject({
      line: 3,
      action: 'create',
      email: samplePeople[0]!.email,
      phone: samplePeople[0]!.e164,
      timeZone: 'Europe/Berlin',
    });
    expect(await storedProspects(revops)).toEqual([]);
    const audit = await call<any[]>(suite.baseUrl, 'GET', 'v1/audit', { token: (await signIn(suite.baseUrl, revops.tenantId, ['Auditor'])).token });
    expect(audit.body.filter((event) => event.type === 'prospects.imported')).toEqual([]);

    const committed = await upload(revops, file);
    expect(committed.body).toMatchObject({ preview: false, imported: preview.body.imported, updated: 0, sample: preview.body.sample });
    const again = await upload(revops, file);
    expect(again.body).toMatchObject({ imported: 0, updated: 4, unchanged: 4 });
    const before = await storedProspects(revops);
    expect(before).toHaveLength(4);
    expect((await upload(revops, file, { query: 'preview=true' })).body.duplicates.existing).toHaveLength(4);
  });

  it('dedupes within the file and against stored prospects by e-mail and by CRM id, and flags suppressed addresses', async () => {
    const revops = await newRevOps();
    await upload(revops, 'Record ID,Email,First Name\n77,old.address@acme.example,Kim\n');
    await call(suite.baseUrl, 'POST', 'v1/suppressions', {
      token: (await signIn(suite.baseUrl, revops.tenantId, ['Manager'])).token,
      json: { email: 'gone@acme.example' },
    });
    const file = [
      'Record ID,Email,First Name,Last Name',
      '77,new.address@acme.example,Kim,Lee', // same CRM id, new address: the stored prospect is updated
      ',gone@acme.example,Gone,Away',
      ',twice@acme.example,Twice,',
      ',TWICE@acme.example,,Over', // same person again: merged into line 4
      '78,other@acme.example,Other,One',
      '78,clash@acme.example,Clash,One', // another address under a CRM id already used in the file
    ].join('\n');
    const preview = await upload(revops, file, { query: 'preview=true' });
    expect(preview.body.duplicates.inFile).toEqual([{ row: 5, firstRow: 4, by: 'email' }]);
    expect(preview.body.duplicates.existing).toEqual([expect.objectContaining({ row: 2, by: 'crmId' })]);
    expect(preview.body.suppressed).toEqual([{ row: 3, email: 'gone@acme.example', reason: 'manual' }]);
    expect(preview.body.errors).toEqual([expect.objectContaining({ row: 7, field: 'crmId' })]);
    expect(preview.body).toMatchObject({ imported: 3, updated: 1, skipped: 1 });

    const committed = await upload(revops, file);
    expect(committed.body).toMatchObject({ imported: 3, updated: 1, skipped: 1 });
    const stored = await storedProspects(revops);
    expect(stored.map((prospect) => prospect.email).sort()).toEqual([
      'gone@acme.example',
      'new.address@acme.example',
      'other@acme.example',
      'twice@acme.example',
    ]);
    expect(stored.find((prospect) => prospect.email === 'twice@acme.example')).toMatchObject({ firstName: 'Twice', lastName: 'Over' });
    expect(stored.find((prospect) => prospect.email === 'gone@acme.example')).toMatchObject({ status: 'suppressed' });
  });

  it('names the sheets of a workbook, imports the one picked, and says which sheets there are when the first is not a list', async () => {
    const revops = await newRevOps();
    const workbook = await sampleFiles.workbookWithMergedHeader();
    const first = await upload(revops, workbook, { contentType: xlsxType, query: 'preview=true' });
    expect(first.status).toBe(422);
    expect(first.body.detail).toContain('the workbook\'s sheets are "Read me", "Contacts"');
    const picked = await upload(revops, workbook, { contentType: xlsxType, query: 'preview=true&sheet=Contacts' });
    expect(picked.body.file).toMatchObject({ format: 'xlsx', sheet: 'Contacts', sheets: ['Read me', 'Contacts'], rows: 4 });
    expect(await storedProspects(revops)).toEqual([]);
  });

  it('answers a file that is not what it says with a 4xx problem and imports nothing', async () => {
    const revops = await newRevOps();
    const cases: [Buffer | string, string, number][] = [
      ['email\na@b.example\n', xlsxType, 415],
      [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'application/vnd.ms-excel', 415],
      ['Name,Company\nBob,Acme\n', 'text/csv', 422],
      ['Email,Name\n', 'text/csv', 422],
      ['email,name\na@b.example,"Ann\nb@c.example,Bob\n', 'text/csv', 422],
      ['{"email":"a@b.example"}', 'application/json', 415],
    ];
    for (const [file, contentType, status] of cases) {
      const response = await upload(revops, file, { contentType });
      expect(response.status, `${contentType}: ${JSON.stringify(response.body)}`).toBe(status);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body.detail).toBeTruthy();
    }
    expect(await storedProspects(revops)).toEqual([]);
  });

  it('pages the prospect list in a stable order with an opaque token that only continues the same list', async () => {
    const revops = await newRevOps();
    await upload(revops, ['Email', ...Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}@paged.example`)].join('\n'));
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const response: Response = await fetch(
        `${suite.baseUrl}/api/v1/prospects?status=new&limit=10${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
        {
          headers: { authorization: `Bearer ${revops.token}` },
        },
      );
      const page = (await response.json()) as { email: string }[];
      expect(page.length).toBeLessThanOrEqual(10);
      seen.push(...page.map((prospect) => prospect.email));
      token = response.headers.get('x-continuation-token');
      pages += 1;
      if (token) {
        const elsewhere = await call(suite.baseUrl, 'GET', `v1/prospects?status=enrolled&limit=10&continuationToken=${encodeURIComponent(token)}`, {
          token: revops.token,
        });
        expect(elsewhere.status).toBe(400);
        expect(elsewhere.body.errors[0].field).toBe('continuationToken');
      }
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(2, '0')}@paged.example`));
  });

  it('imports 10,000 rows in the background with progress, landing every good row exactly once', async () => {
    const revops = await newRevOps();
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      i % 1000 === 999 ? `broken-${i},Row ${i}` : `person${i}@bulk${i % 50}.example,Person ${i}`,
    );
    const file = ['Email,Full Name', ...rows].join('\n');
    const started = await upload(revops, file, { query: 'background=true' });
    expect(started.status).toBe(202);
    const running: any[] = [];
    const done = await eventually(
      async () => {
        const job = await call(suite.baseUrl, 'GET', `v1/imports/${started.body.id}`, { token: revops.token });
        if (job.body.status === 'running') running.push(job.body.progress);
        return job.body.status === 'running' ? undefined : job.body;
      },
      'the import to finish',
      240_000,
    );
    expect(done).toMatchObject({ status: 'succeeded', progress: { rowsRead: 10_000, imported: 9_990, updated: 0, rejected: 10 } });
    // Progress moved while it ran: batches were written and reported before the end, while the file was still being read.
    expect(running.some((progress) => progress.imported > 0 && progress.imported < 9_990)).toBe(true);
    expect(running.some((progress) => progress.imported > 0 && progress.rowsRead < 10_000)).toBe(true);
    expect(running.map((progress) => progress.rowsRead)).toEqual([...running.map((progress) => progress.rowsRead)].sort((a, b) => a - b));
    expect(done.report.errors.map((error: any) => error.row)).toEqual(Array.from({ length: 10 }, (_, k) => k * 1000 + 1001));
    const pages = await allPages(revops);
    const count = pages.reduce((sum, page) => sum + page.length, 0);
    const emails = new Set(pages.flat().map((prospect) => prospect.email));
    expect(count).toBe(9_990);
    expect(emails.size).toBe(9_990);
    const again = await upload(revops, file);
    expect(again.body).toMatchObject({ imported: 0, updated: 9_990, unchanged: 9_990, skipped: 10 });
  }, 300_000);
});
