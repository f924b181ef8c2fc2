import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response, Router } from 'express';
import { create as contentDisposition } from 'content-disposition';
import { actorId, hasPermission, isUuid, type Identity, type Permission, type SubgraphContext, type SubgraphDefinition } from '@kartoteka/kit';
import type { FilesSettings } from '../../config';
import { StoredContentMissingError, type ByteRange, type FileStorage } from './file.storage';
import { FileService, FileUploadError } from './file.service';
import { INLINE_CONTENT_TYPES } from './file.signature';
import type { StoredFile } from './stored-file.entity';

type Deps = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[1];

/**
 * May this caller download this stored file? Called for an authenticated caller holding `documents:read`,
 * after the file was found. The wiring decides (e.g. the file belongs to a version of a document the caller
 * may read, and the download is audited).
 */
export type AuthorizeDownload = (context: SubgraphContext, storedFileId: string) => Promise<boolean>;

/** The default rule: anyone who may read documents may download their files. */
export const documentReadersMayDownload: AuthorizeDownload = async (context) => hasPermission(context.identity, 'documents:read');

export type FileRoutesOptions = { files: FilesSettings; storage: FileStorage; authorizeDownload?: AuthorizeDownload };

export type UploadedFileJson = { id: string; name: string; size: number; contentType: string; sha256: string };

function toJson(file: StoredFile): UploadedFileJson {
  return { id: file.id, name: file.name, size: file.size, contentType: file.contentType, sha256: file.sha256 };
}

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/** 401 for an anonymous caller, 403 without the permission; null when the caller may go on. */
function refusal(identity: Identity, permission: Permission): { status: 401 | 403; message: string; code: string } | null {
  if (identity.kind === 'anonymous') return { status: 401, message: 'Authentication required', code: 'UNAUTHENTICATED' };
  if (!hasPermission(identity, permission)) return { status: 403, message: `Missing permission ${permission}`, code: 'FORBIDDEN' };
  return null;
}

type RangeChoice = { status: 200; range?: undefined } | { status: 206; range: ByteRange } | { status: 416; range?: undefined };

/** One satisfiable byte range → 206; an unsatisfiable one → 416; none, several or a stale If-Range → the whole file. */
function chooseRange(req: Request, size: number, etag: string): RangeChoice {
  if (!req.header('range') || size === 0) return { status: 200 };
  const ifRange = req.header('if-range');
  if (ifRange && ifRange !== etag) return { status: 200 };
  const ranges = req.range(size, { combine: true });
  if (ranges === -1) return { status: 416 };
  if (ranges === undefined || ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return { status: 200 };
  return { status: 206, range: { start: ranges[0].start, end: ranges[0].end } };
}

/**
 * Files over HTTP, on the documents service's internal router (the gateway serves them as
 * `/rest/documents/files`): `POST /rest/files` (multipart upload, field `files`) and `GET /rest/files/:id`
 * (download; `?inline=1` shows PDF and images in the browser).
 */
export function fileRoutes(router: Router, deps: Deps, options: FileRoutesOptions): void {
  const authorizeDownload = options.authorizeDownload ?? documentReadersMayDownload;
  const store = { storage: options.storage, settings: options.files };

  router.post('/rest/files', async (req, res) => {
    const context = deps.contextOf(req);
    const refused = refusal(context.identity, 'documents:write');
    if (refused) {
      req.resume(); // the body is not read, only discarded
      sendError(res, refused.status, refused.message, { code: refused.code });
      return;
    }
    try {
      const stored = await new FileService(context.em, store).upload(req.headers, req, actorId(context.identity));
      context.logger.info({ files: stored.map((file) => ({ id: file.id, size: file.size, contentType: file.contentType })) }, 'files uploaded');
      res.status(201).json({ files: stored.map(toJson) });
    } catch (error) {
      req.resume();
      if (error instanceof FileUploadError) {
        context.logger.info({ reason: error.reason }, 'upload refused');
        sendError(res, error.httpStatus, error.message, { ...error.extensions });
        return;
      }
      context.logger.error({ err: error }, 'upload failed');
      sendError(res, 500, 'The upload could not be stored', { code: 'INTERNAL_SERVER_ERROR' });
    }
  });

  router.get('/rest/files/:id', async (req, res) => {
    const context = deps.contextOf(req);
    const refused = refusal(context.identity, 'documents:read');
    if (refused) {
      sendError(res, refused.status, refused.message, { code: refused.code });
      return;
    }
    const id = String(req.params.id);
    const file = isUuid(id) ? await new FileService(context.em).findStoredFile(id) : null;
    if (!file) {
      sendError(res, 404, `File ${id} was not found`, { code: 'NOT_FOUND', entity: 'StoredFile', id });
      return;
    }
    if (!(await authorizeDownload(context, file.id))) {
      sendError(res, 403, 'You may not download this file', { code: 'FORBIDDEN' });
      return;
    }

    const etag = `"${file.sha256}"`;
    const choice = chooseRange(req, file.size, etag);
    if (choice.status === 416) {
      res.setHeader('Content-Range', `bytes */${file.size}`);
      sendError(res, 416, 'The requested range is outside the file', { code: 'BAD_USER_INPUT', field: 'range' });
      return;
    }
    let content: Readable | null = null;
    if (req.method !== 'HEAD' && file.size > 0) {
      try {
        content = await new FileService(context.em, store).openContent(file, choice.range);
      } catch (error) {
        context.logger.error({ err: error, storedFileId: file.id, missing: error instanceof StoredContentMissingError }, 'file content unavailable');
        sendError(res, 500, 'The file content is unavailable', { code: 'INTERNAL_SERVER_ERROR' });
        return;
      }
    }

    const inline = req.query.inline === '1' && INLINE_CONTENT_TYPES.has(file.contentType);
    res.status(choice.status);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(choice.range ? choice.range.end - choice.range.start + 1 : file.size));
    if (choice.range) res.setHeader('Content-Range', `bytes ${choice.range.start}-${choice.range.end}/${file.size}`);
    res.setHeader('Content-Disposition', contentDisposition(file.name, { type: inline ? 'inline' : 'attachment' }));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', 'sandbox');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('ETag', etag);
    if (!content) {
      res.end();
      return;
    }
    try {
      await pipeline(content, res);
    } catch (error) {
      // usually the client went away; a storage failure mid-way ends the response early (the length tells)
      context.logger.debug({ err: error, storedFileId: file.id }, 'download ended early');
    }
  });
}
