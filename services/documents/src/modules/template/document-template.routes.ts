import { pipeline } from 'node:stream/promises';
import type { Response, Router } from 'express';
import { create as contentDisposition } from 'content-disposition';
import { DomainError, hasPermission, type Identity, type Permission, type SubgraphDefinition } from '@kartoteka/kit';
import { FileUploadError } from '../file/file.service';
import { DocumentTemplateService, bindTemplateStore, type TemplateStore } from './document-template.service';

type Deps = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[1];

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

function refusal(identity: Identity, permission: Permission): { status: 401 | 403; message: string; code: string } | null {
  if (identity.kind === 'anonymous') return { status: 401, message: 'Authentication required', code: 'UNAUTHENTICATED' };
  if (!hasPermission(identity, permission)) return { status: 403, message: `Missing permission ${permission}`, code: 'FORBIDDEN' };
  return null;
}

const STATUS_OF_CODE: Record<string, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, FORBIDDEN: 403, CONFLICT: 409 };

/**
 * Template files over HTTP on the internal router (the gateway serves them as `/rest/documents/templates/...`):
 * `POST /rest/templates/:id/versions` (multipart, field `files`, one DOCX; templates:manage) makes a new current
 * version, `GET /rest/templates/versions/:versionId/file` downloads a version's DOCX (documents:read). Also binds
 * the storage and the PDF settings for the GraphQL side.
 */
export function templateRoutes(router: Router, deps: Deps, store: TemplateStore): void {
  bindTemplateStore(deps.orm, store);

  router.post('/rest/templates/:id/versions', async (req, res) => {
    const context = deps.contextOf(req);
    const refused = refusal(context.identity, 'templates:manage');
    if (refused) {
      req.resume();
      sendError(res, refused.status, refused.message, { code: refused.code });
      return;
    }
    try {
      const version = await new DocumentTemplateService(context).uploadVersion(String(req.params.id), req.headers, req);
      res.status(201).json({ version: { id: version.id, templateId: version.templateId, number: version.number, placeholders: version.placeholders, storedFileId: version.storedFileId } });
    } catch (error) {
      req.resume();
      if (error instanceof FileUploadError) {
        sendError(res, error.httpStatus, error.message, { ...error.extensions });
        return;
      }
      if (error instanceof DomainError) {
        const extensions: Record<string, unknown> = { ...error.extensions };
        sendError(res, STATUS_OF_CODE[String(extensions.code)] ?? 400, error.message, extensions);
        return;
      }
      context.logger.error({ err: error }, 'template upload failed');
      sendError(res, 500, 'The template could not be stored', { code: 'INTERNAL_SERVER_ERROR' });
    }
  });

  router.get('/rest/templates/versions/:versionId/file', async (req, res) => {
    const context = deps.contextOf(req);
    const refused = refusal(context.identity, 'documents:read');
    if (refused) {
      sendError(res, refused.status, refused.message, { code: refused.code });
      return;
    }
    const file = await new DocumentTemplateService(context).fileOfVersion(String(req.params.versionId));
    if (!file) {
      sendError(res, 404, 'The template version was not found', { code: 'NOT_FOUND', entity: 'DocumentTemplateVersion' });
      return;
    }
    try {
      const content = await store.storage.open(file.sha256);
      res.status(200);
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', String(file.size));
      res.setHeader('Content-Disposition', contentDisposition(file.name, { type: 'attachment' }));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', 'sandbox');
      res.setHeader('Cache-Control', 'private, no-store');
      await pipeline(content, res);
    } catch (error) {
      context.logger.error({ err: error, storedFileId: file.id }, 'template file unavailable');
      if (!res.headersSent) sendError(res, 500, 'The file content is unavailable', { code: 'INTERNAL_SERVER_ERROR' });
    }
  });
}
