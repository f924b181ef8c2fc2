/**
 * Columns and cell formats of registry exports (XLSX and CSV), shared by every service so that one registry
 * looks like the next: headers in the caller's language, dates as dates, money as numbers beside a currency
 * column, enum values as their labels.
 */

export type ExportLanguage = 'ru' | 'en';
export type ExportFormat = 'xlsx' | 'csv';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['xlsx', 'csv'];

/**
 * How a column's values are written:
 * - `text`: as text (CSV: formula-injection safe);
 * - `integer` / `number`: as numbers;
 * - `money`: integer minor units in, a number of major units with two decimals out (pair it with a currency column);
 * - `date`: a calendar day (`YYYY-MM-DD` text or a Date at UTC midnight) — an Excel date, no time;
 * - `datetime`: an instant — an Excel date-time in UTC (the header says so).
 */
export type ExportCellType = 'text' | 'integer' | 'number' | 'money' | 'date' | 'datetime';

export type ExportValue = string | number | bigint | boolean | Date | null | undefined;

export type ExportColumn<Row> = {
  key: string;
  header: Record<ExportLanguage, string>;
  type?: ExportCellType;
  /** Width in characters (XLSX); a default by type otherwise. */
  width?: number;
  value: (row: Row) => ExportValue;
  /** Enum values → their labels in each language (a value without a label is written as it is). */
  labels?: Record<ExportLanguage, Readonly<Record<string, string>>>;
};

/** A cell ready for a writer: the value in the type it is written as. */
export type ExportCell = string | number | Date | null;

const DEFAULT_WIDTH: Record<ExportCellType, number> = { text: 24, integer: 10, number: 12, money: 16, date: 12, datetime: 20 };

export function columnWidth<Row>(column: ExportColumn<Row>): number {
  return column.width ?? DEFAULT_WIDTH[column.type ?? 'text'];
}

/** The header of a column in a language; instants say they are in UTC (the file has no time zone of its own). */
export function columnHeader<Row>(column: ExportColumn<Row>, language: ExportLanguage): string {
  return column.type === 'datetime' ? `${column.header[language]} (UTC)` : column.header[language];
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayOf(value: ExportValue): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate()));
  if (typeof value !== 'string') return null;
  const match = ISO_DAY.exec(value.slice(0, 10));
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

function instantOf(value: ExportValue): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'string' && value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

function numberOf(value: ExportValue): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A row's value for a column, converted to what the column's type writes. */
export function cellOf<Row>(column: ExportColumn<Row>, row: Row, language: ExportLanguage): ExportCell {
  const value = column.value(row);
  if (value === null || value === undefined) return null;
  switch (column.type ?? 'text') {
    case 'integer':
    case 'number':
      return numberOf(value);
    case 'money': {
      // minor units are integers below 2^53 (MAX_AMOUNT_MINOR): /100 gives the nearest double of the amount
      const minor = numberOf(value);
      return minor === null ? null : minor / 100;
    }
    case 'date':
      return dayOf(value);
    case 'datetime':
      return instantOf(value);
    case 'text': {
      const text = value instanceof Date ? value.toISOString() : String(value);
      return column.labels?.[language][text] ?? text;
    }
  }
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** A day as Excel-RU reads it (`31.12.2026`) or ISO (`2026-12-31`). */
export function formatDay(date: Date, language: ExportLanguage): string {
  const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  return language === 'ru' ? `${pad(d)}.${pad(m)}.${pad(y, 4)}` : `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** An instant in UTC, to the second. */
export function formatInstant(date: Date, language: ExportLanguage): string {
  return `${formatDay(date, language)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** XLSX number formats: what Excel shows; the cell keeps the number or date itself. */
export function numberFormatOf(type: ExportCellType | undefined, language: ExportLanguage): string | undefined {
  switch (type) {
    case 'money':
      return '#,##0.00';
    case 'date':
      return language === 'ru' ? 'dd.mm.yyyy' : 'yyyy-mm-dd';
    case 'datetime':
      return language === 'ru' ? 'dd.mm.yyyy hh:mm:ss' : 'yyyy-mm-dd hh:mm:ss';
    default:
      return undefined;
  }
}

/** The CSV field separator: `;`, what Excel with Russian regional settings expects (its list separator). */
export const CSV_SEPARATOR = ';';

/**
 * A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab / carriage return that
 * some programs strip before them) is prefixed with `'`, so it stays text (OWASP "CSV injection").
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** One CSV field (RFC 4180): quoted when it holds the separator, a quote or a line break; quotes doubled. */
export function csvField(text: string): string {
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell as CSV text: numbers with the language's decimal mark, days and instants as Excel-RU reads them. */
export function csvCell(cell: ExportCell, type: ExportCellType | undefined, language: ExportLanguage): string {
  if (cell === null) return '';
  if (cell instanceof Date) return type === 'datetime' ? formatInstant(cell, language) : formatDay(cell, language);
  if (typeof cell === 'number') {
    const text = type === 'money' ? cell.toFixed(2) : String(cell);
    return language === 'ru' ? text.replace('.', ',') : text;
  }
  return csvField(neutralizeFormula(cell));
}

/** One CSV record with its CRLF. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.join(CSV_SEPARATOR)}\r\n`;
}

/** The UTF-8 byte order mark: without it Excel opens a CSV as ANSI (cp1251) and garbles Cyrillic. */
export const UTF8_BOM = '\uFEFF';

/**
 * The language of the headers from `Accept-Language`: the first of Russian or English by preference (q),
 * Russian when neither is named.
 */
export function exportLanguageOf(acceptLanguage: string | undefined | null): ExportLanguage {
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
      return { primary: tag.split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((range) => (range.primary === 'ru' || range.primary === 'en') && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges[0]?.primary === 'en' ? 'en' : 'ru';
}

/** `counterparties-2026-12-06.xlsx`: the registry and the day of the export (UTC). */
export function exportFileName(registry: string, format: ExportFormat, now: Date = new Date()): string {
  return `${registry}-${now.toISOString().slice(0, 10)}.${format}`;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};
