import type { Writable } from 'node:stream';
import { excelJs } from './excel';
import { cellOf, columnHeader, columnWidth, csvCell, csvLine, numberFormatOf, UTF8_BOM, type ExportColumn, type ExportFormat, type ExportLanguage } from './export-format';

/**
 * Writes rows to a stream as they come: nothing but the current page is held in memory. `writeRows` resolves
 * once the output has room again (backpressure), so a slow client slows the reading of pages instead of
 * letting them pile up; `finish` ends the file (and the stream).
 */
export type ExportWriter<Row> = {
  writeRows: (rows: readonly Row[]) => Promise<void>;
  finish: () => Promise<void>;
};

export type ExportWriterOptions<Row> = {
  format: ExportFormat;
  language: ExportLanguage;
  columns: readonly ExportColumn<Row>[];
  output: Writable;
  /** The worksheet's name (XLSX; at most 31 characters, Excel's limit). */
  sheetName?: string;
};

/** Resolves when `output` can take more (or is gone: then writing stops at the caller's next check). */
export function roomIn(output: Writable): Promise<void> {
  if (!output.writableNeedDrain || output.destroyed || output.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      output.off('drain', done);
      output.off('close', done);
      output.off('error', done);
      resolve();
    };
    output.on('drain', done);
    output.on('close', done);
    output.on('error', done);
  });
}

function csvWriter<Row>({ columns, language, output }: ExportWriterOptions<Row>): ExportWriter<Row> {
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    output.write(UTF8_BOM + csvLine(columns.map((column) => csvCell(columnHeader(column, language), 'text', language))));
  };
  return {
    async writeRows(rows) {
      start();
      let chunk = '';
      for (const row of rows) chunk += csvLine(columns.map((column) => csvCell(cellOf(column, row, language), column.type, language)));
      if (chunk) output.write(chunk);
      await roomIn(output);
    },
    async finish() {
      start();
      await new Promise<void>((resolve) => output.end(resolve));
    },
  };
}

/** Uncompressed sheet XML waiting for the zip before a page waits for it to be compressed and sent. */
const XLSX_BACKLOG_BYTES = 1024 * 1024;

type Backlogged = { _writableState?: { length?: number }; once: (event: string, listener: () => void) => unknown; off: (event: string, listener: () => void) => unknown };

/**
 * The sheet stream's entry into the zip (exceljs 4.4.0 internals: the worksheet writes its XML into a StreamBuf
 * piped to a PassThrough of archiver without heeding backpressure, so a slow client would make that PassThrough
 * buffer the whole sheet). Null if the internals are not as expected (then only the output's backpressure paces).
 */
function sheetEntryOf(sheet: unknown): Backlogged | null {
  const pipes = (sheet as { stream?: { pipes?: unknown } }).stream?.pipes;
  const entry = Array.isArray(pipes) ? (pipes[0] as Partial<Backlogged> | undefined) : undefined;
  return entry && typeof entry.once === 'function' && typeof entry.off === 'function' && typeof entry._writableState?.length === 'number' ? (entry as Backlogged) : null;
}

/** Resolves once the sheet's backlog is below XLSX_BACKLOG_BYTES (or the output is gone). */
async function sheetCaughtUp(sheet: unknown, output: Writable): Promise<void> {
  for (;;) {
    const entry = sheetEntryOf(sheet);
    if (!entry || (entry._writableState?.length ?? 0) <= XLSX_BACKLOG_BYTES || output.destroyed || output.writableEnded) return;
    await new Promise<void>((resolve) => {
      // `drain` when the entry empties; the timer re-checks in case it was emitted before we listened
      const done = () => {
        clearTimeout(timer);
        entry.off('drain', done);
        output.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, 50);
      entry.once('drain', done);
      output.once('close', done);
    });
  }
}

function xlsxWriter<Row>({ columns, language, output, sheetName }: ExportWriterOptions<Row>): ExportWriter<Row> {
  // no shared strings: they would be kept in memory until the end; styles only for the few number formats
  const workbook = new (excelJs().stream.xlsx.WorkbookWriter)({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet((sheetName ?? 'Export').replace(/[\\/?*[\]:]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => {
    const numFmt = numberFormatOf(column.type, language);
    return { header: columnHeader(column, language), key: column.key, width: columnWidth(column), ...(numFmt ? { style: { numFmt } } : {}) };
  });
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  return {
    async writeRows(rows) {
      for (const row of rows) sheet.addRow(columns.map((column) => cellOf(column, row, language))).commit();
      await sheetCaughtUp(sheet, output);
      await roomIn(output);
    },
    async finish() {
      sheet.commit();
      const ended = new Promise<void>((resolve) => {
        if (output.writableFinished || output.destroyed) resolve();
        output.once('finish', () => resolve());
        output.once('close', () => resolve());
      });
      await workbook.commit(); // finalizes the zip, which ends `output`
      await ended;
    },
  };
}

/** A streaming writer of one export file. */
export function createExportWriter<Row>(options: ExportWriterOptions<Row>): ExportWriter<Row> {
  return options.format === 'csv' ? csvWriter(options) : xlsxWriter(options);
}
