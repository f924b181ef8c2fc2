import type { Request, Response, Router } from 'express';
import { create as contentDisposition } from 'content-disposition';
import { hasPermission } from '../auth/identity';
import type { Permission } from '../auth/permissions';
import { DomainError, UserInputError } from '../errors/domain-errors';
import type { SubgraphContext } from '../server/context';
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS,
  exportFileName,
  exportLanguageOf,
  type ExportColumn,
  type ExportFormat,
  type ExportLanguage,
} from './export-format';
import { parseExportFilters, validateExportFilters, type ExportFilterSpecs } from './export-query';
import { createExportWriter } from './export-writer';

/** One page of a registry as its list returns it (a Relay connection's rows and where the next page starts). */
export type ExportPage<Row> = { rows: readonly Row[]; endCursor: string | null; hasNextPage: boolean; totalCount: number };

/**
 * A registry that can be exported: its name (the URL and the file name), the permission its list needs, the
 * filters (the list's GraphQL arguments), the columns, and how to read one page — through the list's own
 * service, so the export has exactly the list's filters, order and row-level access.
 */
export type ExportRegistry<Filter, Row> = {
  name: string;
  permission: Permission;
  filters: ExportFilterSpecs<Filter>;
  /** The list's argument class: its class-validator rules are applied to the filters too. */
  argumentsType?: new () => object;
  title: Record<ExportLanguage, string>;
  columns: readonly ExportColumn<Row>[];
  /** `withTotal`: whether `totalCount` is needed (the first page: the row cap and X-Total-Count); later pages skip counting. */
  page: (context: SubgraphContext, filter: Partial<Filter>, page: { first: number; after: string | null; withTotal: boolean }) => Promise<ExportPage<Row>>;
};

export type ExportSettings = {
  /** The most rows one export may have; a larger result is refused before a byte is written. */
  maxRows: number;
  /** Rows read per page (one keyset query each). */
  pageSize?: number;
};

export const DEFAULT_EXPORT_SETTINGS: ExportSettings = { maxRows: 1_000_000, pageSize: 1000 };

type Deps = { contextOf: (req: Request) => SubgraphContext; stopping?: AbortSignal };

const STATUS_OF_CODE: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, RATE_LIMITED: 429 };

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/**
 * `GET /rest/exports/<name>.xlsx|csv?<filters>` on a service's internal router (the gateway serves it as
 * `/rest/<service>/exports/<name>.xlsx`). 401 / 403 without the list's read permission (API keys with the
 * read scope may export); 400 (`BAD_USER_INPUT` with `field` and `reason`) for an unknown filter, a bad
 * value, or more rows than `maxRows`. Otherwise 200 and the file, written page by page as the pages are read
 * (keyset pages through the list's own service; memory stays that of one page). A client that goes away stops
 * the reading after the current page; an error after the first byte cuts the response short (never a file
 * that looks whole).
 */
export function exportRoute<Filter, Row>(router: Router, deps: Deps, registry: ExportRegistry<Filter, Row>, settings: ExportSettings = DEFAULT_EXPORT_SETTINGS): void {
  const pageSize = Math.max(1, Math.floor(settings.pageSize ?? DEFAULT_EXPORT_SETTINGS.pageSize ?? 1000));
  for (const format of EXPORT_FORMATS) {
    router.get(`/rest/exports/${registry.name}.${format}`, (req, res) => {
      void serveExport(req, res, deps, registry, format, { maxRows: settings.maxRows, pageSize });
    });
  }
}

async function serveExport<Filter, Row>(req: Request, res: Response, deps: Deps, registry: ExportRegistry<Filter, Row>, format: ExportFormat, settings: { maxRows: number; pageSize: number }): Promise<void> {
  const context = deps.contextOf(req);
  const { identity } = context;
  if (identity.kind === 'anonymous') {
    sendError(res, 401, 'Authentication required', { code: 'UNAUTHENTICATED' });
    return;
  }
  if (!hasPermission(identity, registry.permission)) {
    sendError(res, 403, `Missing permission ${registry.permission}`, { code: 'FORBIDDEN' });
    return;
  }
  const started = process.hrtime.bigint();
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const stopped = () => closed || res.destroyed || deps.stopping?.aborted === true;

  let first: Awaited<ReturnType<typeof registry.page>>;
  let filter: Partial<Filter>;
  try {
    filter = parseExportFilters<Filter>(req.query as Record<string, unknown>, registry.filters);
    if (registry.argumentsType) await validateExportFilters(registry.argumentsType, filter as Record<string, unknown>);
    first = await registry.page(context, filter, { first: settings.pageSize, after: null, withTotal: true });
    if (first.totalCount > settings.maxRows) {
      throw new UserInputError('filters', `The export would have ${first.totalCount} rows; at most ${settings.maxRows} can be exported at once — narrow the filters`, {
        reason: 'export.too-many-rows',
        max: settings.maxRows,
        total: first.totalCount,
      });
    }
  } catch (error) {
    if (error instanceof DomainError) {
      const code = String(error.extensions.code);
      context.logger.info({ registry: registry.name, code, field: error.extensions.field, reason: error.extensions.reason }, 'export refused');
      sendError(res, STATUS_OF_CODE[code] ?? 400, error.message, { ...error.extensions });
      return;
    }
    context.logger.error({ err: error, registry: registry.name }, 'export failed');
    sendError(res, 500, 'The export could not be made', { code: 'INTERNAL_SERVER_ERROR' });
    return;
  }

  const language = exportLanguageOf(req.header('accept-language'));
  res.status(200);
  res.setHeader('Content-Type', EXPORT_CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', contentDisposition(exportFileName(registry.name, format)));
  res.setHeader('Content-Language', language);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Total-Count', String(first.totalCount));
  if (req.method === 'HEAD') {
    res.end(); // the headers say what a GET would give; no page beyond the first is read
    return;
  }
  const writer = createExportWriter({ format, language, columns: registry.columns, output: res, sheetName: registry.title[language] });
  let rows = 0;
  try {
    let page = first;
    for (;;) {
      const room = settings.maxRows - rows;
      const take = page.rows.length > room ? page.rows.slice(0, room) : page.rows;
      await writer.writeRows(take);
      rows += take.length;
      if (!page.hasNextPage || !page.endCursor || rows >= settings.maxRows || stopped()) break;
      // the written page's entities leave the request's identity map: memory stays that of one page
      context.em.clear();
      // let the socket's events in (a client gone away) even when pages come without waiting on I/O
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stopped()) break;
      page = await registry.page(context, filter, { first: settings.pageSize, after: page.endCursor, withTotal: false });
      if (stopped()) break;
    }
    if (stopped()) {
      context.logger.info({ registry: registry.name, format, rows, shutdown: deps.stopping?.aborted === true }, 'export stopped: the client went away');
      if (!res.destroyed) res.destroy(); // shutting down: cut short, so the file cannot pass for a whole one
      return;
    }
    await writer.finish();
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    context.logger.info({ registry: registry.name, format, rows, durationMs }, 'export written');
  } catch (error) {
    // the status line is gone: cutting the connection is the only way to say the file is not whole
    context.logger.error({ err: error, registry: registry.name, format, rows }, 'export failed mid-way');
    res.destroy();
  }
}
