import { createHash } from 'node:crypto';
import { hasPermission, isUuid, type SubgraphContext, type SubgraphDefinition } from '@kartoteka/kit';
import { LockMode } from '@mikro-orm/core';
import busboy from 'busboy';
import { MailingAttachmentContent, MAX_ATTACHMENT_BYTES } from './mailing-attachment.entity';
import { Mailing } from './mailing.entity';
import { MAILING_TRANSITIONS } from './mailing.service';

type Deps = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[1];
type Router = Parameters<NonNullable<SubgraphDefinition['internalRoutes']>>[0];
type Request = Parameters<Deps['contextOf']>[0];
type Response = {
  status: (code: number) => Response;
  json: (body: unknown) => unknown;
  setHeader: (name: string, value: string) => unknown;
  end: (body?: Buffer) => unknown;
};

/** The multipart field the file comes in. */
export const ATTACHMENT_FIELD = 'file';

/** What a mailing may carry: documents and pictures, never markup or scripts (every recipient's mail client opens it). */
export const ATTACHMENT_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'image/png',
  'image/jpeg',
]);

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

/** A file name safe for a header and a mail client: no path, no control characters, at most 200 characters. */
export function cleanAttachmentName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|*?:]+/g, ' ').replace(/\s+/g, ' ').trim().slice(-200);
  return cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'attachment';
}

type Received = { fileName: string; contentType: string; bytes: Buffer };
class UploadError extends Error {
  constructor(readonly status: number, message: string, readonly reason: string) {
    super(message);
  }
}

/** Reads one file from a multipart body (field `file`), refusing more than one file or more than MAX_ATTACHMENT_BYTES. */
function receive(req: Request): Promise<Received> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: MAX_ATTACHMENT_BYTES, fields: 10, parts: 12 } });
    } catch {
      reject(new UploadError(400, 'Send the file as multipart/form-data in the field "file"', 'attachment.malformed'));
      return;
    }
    let received: Received | null = null;
    let failure: UploadError | null = null;
    let pending: Promise<void> = Promise.resolve();
    parser.on('file', (field, stream, info) => {
      if (field !== ATTACHMENT_FIELD || received || failure) {
        failure ??= new UploadError(400, 'Send exactly one file, in the field "file"', 'attachment.too-many');
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      pending = new Promise((done) => {
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('limit', () => {
          failure = new UploadError(413, `The attachment is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`, 'attachment.too-large');
        });
        stream.on('close', () => {
          received = { fileName: cleanAttachmentName(info.filename), contentType: (info.mimeType || 'application/octet-stream').toLowerCase(), bytes: Buffer.concat(chunks) };
          done();
        });
      });
    });
    parser.on('filesLimit', () => {
      failure ??= new UploadError(400, 'Send exactly one file, in the field "file"', 'attachment.too-many');
    });
    parser.on('error', () => reject(new UploadError(400, 'The upload is malformed or was interrupted', 'attachment.malformed')));
    parser.on('close', () => {
      void pending.then(() => {
        if (failure) reject(failure);
        else if (!received) reject(new UploadError(400, 'Send the file in the field "file"', 'attachment.missing'));
        else if (!received.bytes.length) reject(new UploadError(400, 'The file is empty', 'attachment.empty'));
        else resolve(received);
      });
    });
    req.pipe(parser);
  });
}

/** Who may touch a mailing's attachment, and the mailing (404 unknown; 400 when its status no longer allows a change). */
function guard(context: SubgraphContext, res: Response, permission: 'mailings:read' | 'mailings:manage'): boolean {
  if (context.identity.kind === 'anonymous') {
    sendError(res, 401, 'Authentication required', { code: 'UNAUTHENTICATED' });
    return false;
  }
  if (!hasPermission(context.identity, permission)) {
    sendError(res, 403, `Missing permission ${permission}`, { code: 'FORBIDDEN' });
    return false;
  }
  return true;
}

const EDITABLE = new Set<string>(MAILING_TRANSITIONS.update);

/**
 * The mailing's attachment over REST, on the internal router (the gateway serves it as
 * `/rest/mailings/mailings/<id>/attachment`): POST a multipart body with one file in the field `file` (≤ 10 MB, a
 * document or picture type) to set or replace it, GET to download it, DELETE to remove it. Changing it needs
 * `mailings:manage` and a DRAFT or REJECTED mailing (an approved mailing is sent as approved); it counts as a change of
 * the mailing (its version increases). Errors are `{ errors: [{ message, extensions: { code, field?, reason? } }] }`.
 */
export function attachmentRoutes(router: Router, deps: Deps): void {
  router.post('/rest/mailings/:id/attachment', async (req, res) => {
    const context = deps.contextOf(req);
    if (!guard(context, res, 'mailings:manage')) return void req.resume();
    const id = String(req.params.id).toLowerCase();
    if (!isUuid(id)) {
      req.resume();
      return sendError(res, 404, 'There is no such mailing', { code: 'NOT_FOUND' });
    }
    if (Number(req.header('content-length') ?? 0) > MAX_ATTACHMENT_BYTES + 64 * 1024) {
      req.resume();
      return sendError(res, 413, `The attachment is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`, { code: 'BAD_USER_INPUT', field: 'file', reason: 'attachment.too-large' });
    }
    let file: Received;
    try {
      file = await receive(req);
    } catch (error) {
      req.resume();
      if (error instanceof UploadError) return sendError(res, error.status, error.message, { code: 'BAD_USER_INPUT', field: 'file', reason: error.reason });
      throw error;
    }
    if (!ATTACHMENT_CONTENT_TYPES.has(file.contentType)) {
      return sendError(res, 400, 'Attach a PDF, an office document or a PNG/JPEG picture', { code: 'BAD_USER_INPUT', field: 'file', reason: 'attachment.type-not-allowed' });
    }
    const result = await context.em.fork().transactional(async (em) => {
      const mailing = await em.findOne(Mailing, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!mailing) return { status: 404 as const };
      if (!EDITABLE.has(mailing.status)) return { status: 400 as const, mailingStatus: mailing.status };
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      await em.upsert(MailingAttachmentContent, { mailingId: mailing.id, bytes: file.bytes, sha256, createdAt: new Date() });
      Object.assign(mailing, { attachmentFileName: file.fileName, attachmentContentType: file.contentType, attachmentSize: file.bytes.length });
      await em.flush();
      return { status: 201 as const, attachment: { fileName: file.fileName, contentType: file.contentType, size: file.bytes.length }, version: mailing.version };
    });
    if (result.status === 404) return sendError(res, 404, 'There is no such mailing', { code: 'NOT_FOUND' });
    if (result.status === 400) return sendError(res, 400, `The attachment of a ${result.mailingStatus} mailing cannot be changed`, { code: 'BAD_USER_INPUT', field: 'id', reason: 'mailing.status' });
    context.logger.info({ mailingId: id, size: result.attachment.size }, 'mailing attachment stored');
    res.status(201).json({ attachment: result.attachment, version: result.version });
  });

  router.delete('/rest/mailings/:id/attachment', async (req, res) => {
    const context = deps.contextOf(req);
    if (!guard(context, res, 'mailings:manage')) return;
    const id = String(req.params.id).toLowerCase();
    const result = !isUuid(id)
      ? { status: 404 as const }
      : await context.em.fork().transactional(async (em) => {
          const mailing = await em.findOne(Mailing, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (!mailing) return { status: 404 as const };
          if (!EDITABLE.has(mailing.status)) return { status: 400 as const, mailingStatus: mailing.status };
          await em.nativeDelete(MailingAttachmentContent, { mailingId: mailing.id });
          if (mailing.attachmentFileName) Object.assign(mailing, { attachmentFileName: null, attachmentContentType: null, attachmentSize: null });
          await em.flush();
          return { status: 200 as const, version: mailing.version };
        });
    if (result.status === 404) return sendError(res, 404, 'There is no such mailing', { code: 'NOT_FOUND' });
    if (result.status === 400) return sendError(res, 400, `The attachment of a ${result.mailingStatus} mailing cannot be changed`, { code: 'BAD_USER_INPUT', field: 'id', reason: 'mailing.status' });
    res.status(200).json({ attachment: null, version: result.version });
  });

  router.get('/rest/mailings/:id/attachment', async (req, res) => {
    const context = deps.contextOf(req);
    if (!guard(context, res, 'mailings:read')) return;
    const id = String(req.params.id).toLowerCase();
    const em = context.em.fork();
    const mailing = isUuid(id) ? await em.findOne(Mailing, { id }) : null;
    const content = mailing?.attachmentFileName ? await em.findOne(MailingAttachmentContent, { mailingId: mailing.id }) : null;
    if (!mailing || !content) return sendError(res, 404, 'The mailing has no attachment', { code: 'NOT_FOUND' });
    res.setHeader('Content-Type', mailing.attachmentContentType ?? 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(mailing.attachmentFileName ?? 'attachment')}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', 'sandbox');
    res.status(200).end(content.bytes);
  });
}
