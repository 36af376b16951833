import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { parse as parseSample } from 'csv-parse/sync';
import { detect } from 'chardet';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export type ImportFormat = 'csv' | 'tsv' | 'xlsx';

export interface TableRow {
  /** Where the row starts in the file: the line of a text file, the row number of a sheet. */
  line: number;
  cells: string[];
}

/** A file of prospects opened for reading: what it turned out to be, its header, and its rows once. */
export interface ImportTable {
  format: ImportFormat;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  /** A workbook's visible sheets, in order. */
  sheets?: string[];
  headerLine: number;
  headers: string[];
  rows: AsyncIterable<TableRow>;
  /**
   * Reads the whole file through once more, keeping nothing, and throws what reading the rows would: an
   * import that writes as it reads runs this first, so a file broken at its end imports nothing.
   */
  verify(): Promise<void>;
}

/** The file cannot be read as what it is or says it is; nothing was imported. */
export class UnreadableFileError extends Error {
  constructor(
    readonly status: 400 | 415 | 422,
    message: string,
  ) {
    super(message);
  }
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const oleMagic = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/**
 * Opens an uploaded list: an Excel workbook (first sheet, or the one named) or delimited text in any
 * common encoding. The bytes decide, not the name; a file whose bytes contradict its content type is
 * refused rather than guessed at.
 */
export async function openImportFile(bytes: Buffer, options: { contentType?: string; sheet?: string } = {}): Promise<ImportTable> {
  const claimsWorkbook = options.contentType?.startsWith(xlsxType) ?? false;
  if (bytes.subarray(0, 4).equals(oleMagic)) {
    throw new UnreadableFileError(415, 'This is an old Excel (.xls) workbook; save it as .xlsx or CSV and upload that.');
  }
  if (bytes.subarray(0, 4).equals(zipMagic)) return openWorkbook(bytes, options.sheet);
  if (claimsWorkbook) throw new UnreadableFileError(415, 'The body says it is an Excel workbook (.xlsx) but it is not one.');
  if (bytes.length === 0) throw new UnreadableFileError(422, 'The file is empty.');
  return openDelimitedText(bytes, options.contentType?.startsWith('text/tab-separated-values') ?? false);
}

// ---- Delimited text ----

function detectEncoding(bytes: Buffer): { encoding: string; bomLength: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const sample = bytes.subarray(0, 64 * 1024);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, lastCompleteUtf8(sample)));
    return { encoding: 'utf-8', bomLength: 0 };
  } catch {
    // Not UTF-8: let the detector weigh the legacy code pages.
  }
  const detected = detect(sample)?.toLowerCase() ?? 'windows-1252';
  // ISO-8859-1 files from Windows are Windows-1252 in practice (curly quotes, €), and 1252 is a superset.
  const encoding = detected === 'iso-8859-1' || detected === 'utf-8' ? 'windows-1252' : detected;
  return { encoding: iconv.encodingExists(encoding) ? encoding : 'windows-1252', bomLength: 0 };
}

/** The sample may end inside a multi-byte character; check UTF-8 validity up to the last whole one. */
function lastCompleteUtf8(sample: Buffer): number {
  let end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = sample[end - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const width = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (width > back) end -= back;
    break;
  }
  return end;
}

const candidateDelimiters = [',', ';', '\t', '|'];

/** The delimiter that splits the first lines into the most columns, the same number on most lines. */
function detectDelimiter(sample: string, preferTab: boolean): string {
  let best = { delimiter: preferTab ? '\t' : ',', score: 0 };
  for (const delimiter of candidateDelimiters) {
    let rows: string[][];
    try {
      rows = parseSample(sample, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to_line: 20 });
    } catch {
      continue;
    }
    if (rows.length > 1) rows = rows.slice(0, -1); // the sample's last line may be cut short
    const widths = rows.map((row) => row.length);
    const width = widths[0] ?? 0;
    const consistent = widths.filter((w) => w === width).length / Math.max(widths.length, 1);
    const score = width > 1 ? width * consistent : 0;
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

function openDelimitedText(bytes: Buffer, preferTab: boolean): Promise<ImportTable> {
  const { encoding, bomLength } = detectEncoding(bytes);
  const body = bytes.subarray(bomLength);
  const sample = iconv.decode(body.subarray(0, 64 * 1024), encoding);
  if (sample.includes('\u0000')) throw new UnreadableFileError(415, 'This is not a text file (CSV or TSV) nor an Excel workbook.');

  // Excel writes `sep=;` as the first line when the list separator is not a comma.
  const sepLine = /^sep=(.)\r?\n/i.exec(sample);
  const delimiter = sepLine ? sepLine[1]! : detectDelimiter(sample, preferTab);
  const firstLine = sepLine ? 2 : 1;

  const options = { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, from_line: firstLine };
  const parser = parse({ ...options, info: true });
  textStream(body, encoding).pipe(parser);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number } }>;
  const notValid = (error: unknown) =>
    new UnreadableFileError(422, `The file is not valid ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${(error as Error).message}`);

  let nextLine = firstLine;
  const read = async (): Promise<TableRow | undefined> => {
    for (;;) {
      let step: IteratorResult<{ record: string[]; info: { lines: number } }>;
      try {
        step = await records.next();
      } catch (error) {
        throw notValid(error);
      }
      if (step.done) return undefined;
      const line = nextLine;
      nextLine = step.value.info.lines + 1;
      if (step.value.record.some((cell) => cell.trim() !== '')) return { line, cells: step.value.record };
    }
  };
  const verify = async () => {
    const checker = parse(options);
    textStream(body, encoding).pipe(checker);
    try {
      for await (const _record of checker) {
        // Only whether it parses matters.
      }
    } catch (error) {
      throw notValid(error);
    }
  };
  return lazyTable(read, {
    format: delimiter === '\t' ? 'tsv' : 'csv',
    encoding,
    delimiter,
    verify,
  });
}

/**
 * The file's text for the parser, 64 KB at a time. UTF-8 goes in as bytes: the parser reads UTF-8 itself, and
 * decoding it to text first only had the parser encode that text back into bytes.
 */
function textStream(body: Buffer, encoding: string): NodeJS.ReadableStream {
  const bytes = Readable.from(chunks(body));
  return encoding === 'utf-8' ? bytes : bytes.pipe(iconv.decodeStream(encoding));
}

function* chunks(body: Buffer): Generator<Buffer> {
  for (let start = 0; start < body.length; start += 64 * 1024) yield body.subarray(start, start + 64 * 1024);
}

/** Reads up to the header row, then hands out the data rows as they are parsed. */
async function lazyTable(
  read: () => Promise<TableRow | undefined>,
  about: Omit<ImportTable, 'headers' | 'headerLine' | 'rows'>,
): Promise<ImportTable> {
  const header = await read();
  if (!header) throw new UnreadableFileError(422, 'The file has no header row and no data.');
  return {
    ...about,
    headerLine: header.line,
    headers: header.cells.map((cell) => cell.trim()),
    rows: {
      async *[Symbol.asyncIterator]() {
        for (let row = await read(); row; row = await read()) yield row;
      },
    },
  };
}

// ---- Excel workbooks ----

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function openWorkbook(bytes: Buffer, sheetName: string | undefined): Promise<ImportTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFileError(415, 'The file looks like a zip archive but is not an Excel workbook (.xlsx).');
  }
  const visible = workbook.worksheets.filter((candidate) => candidate.state !== 'hidden');
  const sheet = sheetName ? workbook.getWorksheet(sheetName) : visible[0];
  if (!sheet) {
    throw new UnreadableFileError(
      422,
      sheetName
        ? `The workbook has no sheet "${sheetName}"; it has ${workbook.worksheets.map((s) => `"${s.name}"`).join(', ')}.`
        : 'The workbook has no sheets.',
    );
  }
  const width = sheet.columnCount;
  const rows: { line: number; cells: string[]; groupsColumns: boolean }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    let groupsColumns = false;
    for (let column = 1; column <= width; column += 1) {
      const cell = row.getCell(column);
      cells.push(cellText(cell.value).trim());
      if (cell.isMerged && cell.master.row === cell.row && cell.master.col !== cell.col) groupsColumns = true;
    }
    if (cells.some(Boolean)) rows.push({ line, cells, groupsColumns });
  });

  // Above the header there may be a title (one value, often merged across) and group headings merged
  // over the columns they group; the header is the first row under those.
  let headerIndex = 0;
  while (headerIndex < rows.length - 1) {
    const row = rows[headerIndex]!;
    const distinct = new Set(row.cells.filter(Boolean)).size;
    if (distinct >= 2 && !row.groupsColumns) break;
    headerIndex += 1;
  }
  const header = rows[headerIndex];
  if (!header) throw new UnreadableFileError(422, `The sheet "${sheet.name}" is empty.`);
  const data = rows.slice(headerIndex + 1);
  return {
    format: 'xlsx',
    sheet: sheet.name,
    sheets: visible.map((candidate) => candidate.name),
    headerLine: header.line,
    headers: header.cells,
    // The workbook was read whole when it was opened.
    verify: () => Promise.resolve(),
    rows: {
      async *[Symbol.asyncIterator]() {
        for (const row of data) yield { line: row.line, cells: row.cells };
      },
    },
  };
}
