import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';
import type { Response, Router } from 'express';
import { DomainError, hasPermission, isUuid, type Identity, type SubgraphDefinition } from '@kartoteka/kit';
import { excelJs } from '@kartoteka/kit/export';
import { detectFormat } from './import.parser';
import { ImportService } from './import.service';

type Deps = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[1];

/** The multipart field that carries the spreadsheet. */
export const IMPORT_UPLOAD_FIELD = 'file';

export type ImportRoutesOptions = { maxBytes: number };

class UploadError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
}

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/** 401 anonymous, 403 without `counterparties:import`; true when refused (the answer is sent). */
function refused(identity: Identity, res: Response): boolean {
  if (identity.kind === 'anonymous') {
    sendError(res, 401, 'Authentication required', { code: 'UNAUTHENTICATED' });
    return true;
  }
  if (!hasPermission(identity, 'counterparties:import')) {
    sendError(res, 403, 'Missing permission counterparties:import', { code: 'FORBIDDEN' });
    return true;
  }
  return false;
}

/** Receives the one file of the multipart field `file` into `dir`; refuses more than `maxBytes`. */
function receive(headers: IncomingHttpHeaders, body: Readable, dir: string, maxBytes: number): Promise<{ path: string; name: string }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes, fields: 5, parts: 6 } });
    } catch {
      reject(new UploadError(400, 'file.malformed', `Send the file as multipart/form-data in the field "${IMPORT_UPLOAD_FIELD}"`));
      return;
    }
    let received: Promise<{ path: string; name: string }> | null = null;
    parser.on('file', (field, stream, info) => {
      if (field !== IMPORT_UPLOAD_FIELD || received) {
        stream.resume();
        return;
      }
      const path = join(dir, 'upload');
      received = pipeline(stream, createWriteStream(path)).then(() => {
        if ((stream as Readable & { truncated?: boolean }).truncated) throw new UploadError(413, 'file.too-large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
        return { path, name: info.filename || 'import' };
      });
      received.catch(() => undefined);
    });
    parser.on('error', () => reject(new UploadError(400, 'file.malformed', 'The upload is not a well-formed multipart/form-data body')));
    parser.on('close', () => {
      if (!received) reject(new UploadError(400, 'file.empty', `The upload contains no file (multipart field "${IMPORT_UPLOAD_FIELD}")`));
      else received.then(resolve, reject);
    });
    body.pipe(parser);
  });
}

function csvCell(value: string): string {
  // formula-looking cells are defused for spreadsheet programs (CSV injection)
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function errorsText(errors: { field: string; message: string }[]): string {
  return errors.map((error) => (error.field ? `${error.field}: ${error.message}` : error.message)).join('; ');
}

/**
 * Imports over HTTP on the internal router (the gateway serves them as `/rest/counterparties/imports`):
 * `POST /rest/imports` (multipart field `file`, XLSX or CSV) → the new job as JSON; `GET
 * /rest/imports/:id/refused.csv|xlsx` → the refused rows with their original columns and an "errors" column.
 */
export function importRoutes(router: Router, deps: Deps, options: ImportRoutesOptions): void {
  router.post('/rest/imports', async (req, res) => {
    const context = deps.contextOf(req);
    if (refused(context.identity, res)) {
      req.resume();
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'kartoteka-import-'));
    try {
      const file = await receive(req.headers, req, dir, options.maxBytes);
      const format = await detectFormat(file.path);
      const job = await new ImportService(context).upload(file.path, format, file.name);
      context.logger.info({ jobId: job.id, rows: job.rowCount, format }, 'import uploaded');
      res.status(201).json({ job: { id: job.id, fileName: job.fileName, status: job.status, headers: job.headers, rowCount: job.rowCount } });
    } catch (error) {
      req.resume();
      if (error instanceof UploadError) sendError(res, error.status, error.message, { code: 'BAD_USER_INPUT', field: 'file', reason: error.reason });
      else if (error instanceof DomainError) sendError(res, 400, error.message, { ...error.extensions });
      else {
        context.logger.warn({ err: error }, 'import upload failed');
        sendError(res, 400, 'The file could not be read as XLSX or CSV', { code: 'BAD_USER_INPUT', field: 'file', reason: 'file.unreadable' });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  router.get('/rest/imports/:id/refused.:format', async (req, res) => {
    const context = deps.contextOf(req);
    if (refused(context.identity, res)) return;
    const id = String(req.params.id);
    const format = String(req.params.format);
    if (format !== 'csv' && format !== 'xlsx') {
      sendError(res, 404, 'The report is refused.csv or refused.xlsx', { code: 'NOT_FOUND' });
      return;
    }
    const service = new ImportService(context);
    const job = isUuid(id) ? await service.job(id).catch(() => null) : null;
    if (!job) {
      sendError(res, 404, `Import ${id.slice(0, 40)} was not found`, { code: 'NOT_FOUND', entity: 'ImportJob', id: id.slice(0, 40) });
      return;
    }
    const header = [...job.headers, 'errors'];
    const base = job.fileName.replace(/\.[^.]+$/, '') || 'import';
    res.setHeader('Content-Disposition', `attachment; filename="refused.${format}"; filename*=UTF-8''${encodeURIComponent(`${base}-refused.${format}`)}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      if (format === 'csv') {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        // BOM and `;`: what Excel-RU opens as UTF-8 columns
        res.write(`\uFEFF${header.map(csvCell).join(';')}\r\n`);
        for await (const row of service.refusedRows(job.id)) {
          const cells = job.headers.map((_, index) => row.cells[index] ?? '');
          if (!res.write(`${[...cells, errorsText(row.errors)].map(csvCell).join(';')}\r\n`)) await new Promise((resolve) => res.once('drain', resolve));
        }
        res.end();
        return;
      }
      res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new (excelJs().stream.xlsx.WorkbookWriter)({ stream: res, useSharedStrings: false, useStyles: false });
      const sheet = workbook.addWorksheet('refused');
      sheet.addRow(header).commit();
      for await (const row of service.refusedRows(job.id)) {
        sheet.addRow([...job.headers.map((_, index) => row.cells[index] ?? ''), errorsText(row.errors)]).commit();
      }
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      context.logger.warn({ err: error, jobId: job.id }, 'refused-rows report ended early');
      if (!res.headersSent) sendError(res, 500, 'The report could not be made', { code: 'INTERNAL_SERVER_ERROR' });
      else res.destroy();
    }
  });
}
