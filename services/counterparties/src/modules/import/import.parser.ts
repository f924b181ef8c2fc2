import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { excelJs } from '@kartoteka/kit/export';

export type SpreadsheetFormat = 'xlsx' | 'csv';

/** Characters kept of one cell; longer text is cut (no field takes more than an address's 1000). */
export const MAX_CELL_LENGTH = 2000;
/** Columns kept of a row. */
export const MAX_COLUMNS = 100;

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const SAMPLE_BYTES = 64 * 1024;

async function head(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** XLSX is a ZIP archive whatever its name says; anything else is read as CSV. */
export async function detectFormat(path: string): Promise<SpreadsheetFormat> {
  const start = await head(path, 4);
  return start.equals(ZIP_SIGNATURE) ? 'xlsx' : 'csv';
}

/**
 * The text encoding of a CSV file: UTF-8 when it starts with the BOM or its first 64 KiB decode as UTF-8 (a
 * character cut at the end of the sample is allowed), Windows-1251 otherwise — what Excel-RU writes.
 */
export function detectEncoding(sample: Buffer): 'utf8' | 'win1251' {
  if (sample.subarray(0, 3).equals(UTF8_BOM)) return 'utf8';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf8';
  } catch {
    return 'win1251';
  }
}

/** `;` (Excel-RU), tab or `,`: whichever the first line has most of, outside quotes. */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>([[';', 0], [',', 0], ['\t', 0]]);
  let quoted = false;
  for (const character of firstLine) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && counts.has(character)) counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let best = ';';
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const object = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(object.richText)) return object.richText.map((part) => part.text).join('');
    if (object.text !== undefined) return cellText(object.text);
    if (object.result !== undefined) return cellText(object.result);
    if (object.error !== undefined) return '';
  }
  return String(value);
}

function tidy(cells: readonly string[]): string[] {
  const row = cells.slice(0, MAX_COLUMNS).map((cell) => cell.replace(/\u0000/g, '').slice(0, MAX_CELL_LENGTH));
  while (row.length && !row[row.length - 1].trim()) row.pop();
  return row;
}

async function* csvRows(path: string): AsyncGenerator<string[]> {
  const sample = await head(path, SAMPLE_BYTES);
  const encoding = detectEncoding(sample);
  const text = encoding === 'utf8' ? sample.toString('utf8') : iconv.decode(sample, 'win1251');
  const delimiter = detectDelimiter(text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '');
  const source: NodeJS.ReadableStream = encoding === 'utf8' ? createReadStream(path) : createReadStream(path).pipe(iconv.decodeStream('win1251'));
  const parser = source.pipe(parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_CELL_LENGTH * MAX_COLUMNS * 4 }));
  for await (const record of parser as AsyncIterable<string[]>) yield record;
}

async function* xlsxRows(path: string): AsyncGenerator<string[]> {
  const reader = new (excelJs().stream.xlsx.WorkbookReader)(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit' });
  // the first worksheet only
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      const values = Array.isArray(row.values) ? (row.values as unknown[]) : [];
      // exceljs rows are 1-based and sparse
      const cells: string[] = [];
      for (let index = 1; index < values.length; index += 1) cells.push(cellText(values[index]));
      yield cells;
    }
    return;
  }
}

/**
 * The rows of a spreadsheet, streamed: the first non-blank row is the header, the rest are data rows (blank ones
 * skipped). Cells are text (whole numbers without exponent; styles are not read, so an XLSX date is its serial number).
 */
export async function* readSpreadsheet(path: string, format: SpreadsheetFormat): AsyncGenerator<string[]> {
  const rows = format === 'xlsx' ? xlsxRows(path) : csvRows(path);
  for await (const raw of rows) {
    const row = tidy(raw);
    if (row.some((cell) => cell.trim())) yield row;
  }
}
