import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid, UserInputError } from '@kartoteka/kit';
import type { FilesSettings } from '../../config';
import type { ByteRange, FileStorage } from './file.storage';
import { detectFileType, SIGNATURE_BYTES, type AllowedFileType } from './file.signature';
import { StoredFile } from './stored-file.entity';

/** Multipart field that carries the files of an upload. */
export const UPLOAD_FIELD = 'files';

export type FileUploadReason = 'file.too-large' | 'file.type-not-allowed' | 'file.too-many' | 'file.empty' | 'file.malformed';

/** A refused upload: BAD_USER_INPUT on the field `files`, with the reason and the HTTP status to answer with. */
export class FileUploadError extends UserInputError {
  readonly httpStatus: 400 | 413;

  constructor(
    readonly reason: FileUploadReason,
    message: string,
  ) {
    super(UPLOAD_FIELD, message, { reason });
    this.httpStatus = reason === 'file.too-large' || reason === 'file.too-many' ? 413 : 400;
  }
}

const MAX_NAME_BYTES = 255;

/**
 * The original file name made safe to keep and to send back: the last path segment only, Unicode NFC, no
 * control or bidirectional-override characters, no leading dots, at most 255 bytes of UTF-8 (the extension
 * kept). Never used to build a path.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (!cleaned) return 'file';
  if (Buffer.byteLength(cleaned) <= MAX_NAME_BYTES) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  let stem = [...cleaned.slice(0, cleaned.length - extension.length)];
  while (stem.length && Buffer.byteLength(stem.join('') + extension) > MAX_NAME_BYTES) stem = stem.slice(0, -1);
  return stem.join('') + extension;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

/** A file received into the scratch space, checked, not yet stored. */
type ReceivedFile = { name: string; size: number; sha256: string; type: AllowedFileType; tempPath: string };

/**
 * Streams one multipart part to a temporary file, hashing (sha-256) and counting on the way, recognising the
 * type from the first bytes. Fails as soon as the part is too large or of a type that is not allowed.
 */
async function receivePart(part: Readable & { truncated?: boolean }, rawName: string | undefined, settings: FilesSettings, scratch: string, track: (path: string) => void): Promise<ReceivedFile> {
  const name = sanitizeFileName(rawName);
  const tempPath = join(scratch, randomUUID());
  track(tempPath);
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  let type: AllowedFileType | null = null;
  const tooLarge = () => new FileUploadError('file.too-large', `The file "${name}" is larger than ${formatBytes(settings.maxBytes)}`);
  const notAllowed = () => new FileUploadError('file.type-not-allowed', `The file "${name}" is not of an allowed type (PDF, DOCX, XLSX, DOC, XLS, PNG, JPEG, GIF, WEBP, TIFF)`);

  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > settings.maxBytes) {
        done(tooLarge());
        return;
      }
      hash.update(chunk);
      if (!type && head.length < SIGNATURE_BYTES) {
        head = Buffer.concat([head, chunk.subarray(0, SIGNATURE_BYTES - head.length)]);
        if (head.length >= SIGNATURE_BYTES) {
          type = detectFileType(head, name);
          if (!type) {
            done(notAllowed());
            return;
          }
        }
      }
      done(null, chunk);
    },
  });
  // busboy stops a part at its size limit (set one byte above ours) and says so
  part.once('limit', () => inspect.destroy(tooLarge()));
  await pipeline(part, inspect, createWriteStream(tempPath, { flags: 'wx' }));
  if (size === 0) throw new FileUploadError('file.empty', `The file "${name}" is empty`);
  type ??= detectFileType(head, name);
  if (!type) throw notAllowed();
  return { name, size, sha256: hash.digest('hex'), type, tempPath };
}

/** Where contents live and what an upload may hold: needed to receive and read files, not to look them up. */
export type FileStore = { storage: FileStorage; settings: FilesSettings };

/**
 * Files of the EDMS: finding stored files (`new FileService(em)` is enough), receiving uploads (all-or-nothing
 * per request) and reading contents (both need the store).
 */
export class FileService {
  constructor(
    private readonly em: EntityManager,
    private readonly store: FileStore | null = null,
  ) {}

  private requireStore(): FileStore {
    if (!this.store) throw new Error('FileService needs a FileStore to receive or read contents');
    return this.store;
  }

  /** Stored files by id (one query); unknown or malformed ids are left out. */
  async findStoredFiles(ids: readonly string[]): Promise<StoredFile[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (!valid.length) return [];
    return this.em.find(StoredFile, { id: { $in: valid } });
  }

  async findStoredFile(id: string): Promise<StoredFile | null> {
    return (await this.findStoredFiles([id]))[0] ?? null;
  }

  /** The content of a stored file, or a byte range of it. */
  openContent(file: StoredFile, range?: ByteRange): Promise<Readable> {
    return this.requireStore().storage.open(file.sha256, range);
  }

  /**
   * Receives a multipart upload of the field `files` and stores it: every file is checked (size, count, type
   * by its content, not empty) while it streams in, and reading stops at the first violation. Only when all
   * files pass are the contents put into the storage and the rows written; a refused upload stores nothing.
   */
  async upload(headers: IncomingHttpHeaders, body: Readable, uploadedById: string | null): Promise<StoredFile[]> {
    const { storage, settings } = this.requireStore();
    const scratch = join(settings.dir, 'tmp');
    await mkdir(scratch, { recursive: true });
    const tempPaths: string[] = [];
    try {
      const received = await this.receive(headers, body, settings, scratch, (path) => tempPaths.push(path));
      for (const sha256 of new Set(received.map((file) => file.sha256))) {
        await storage.put(sha256, received.find((file) => file.sha256 === sha256)!.tempPath);
      }
      const rows = received.map((file) => this.em.create(StoredFile, { sha256: file.sha256, size: file.size, contentType: file.type.contentType, name: file.name, uploadedById }));
      await this.em.flush();
      return rows;
    } finally {
      await Promise.all(tempPaths.map((path) => rm(path, { force: true })));
    }
  }

  private receive(headers: IncomingHttpHeaders, body: Readable, settings: FilesSettings, scratch: string, track: (path: string) => void): Promise<ReceivedFile[]> {
    const { maxBytes, maxCount } = settings;
    return new Promise<ReceivedFile[]>((resolve, reject) => {
      let parser: busboy.Busboy;
      try {
        parser = busboy({
          headers,
          defParamCharset: 'utf8',
          limits: { files: maxCount, fileSize: maxBytes + 1, fields: 20, fieldSize: 64 * 1024, parts: maxCount + 20, headerPairs: 50 },
        });
      } catch {
        reject(new FileUploadError('file.malformed', `Send the files as multipart/form-data in the field "${UPLOAD_FIELD}"`));
        return;
      }
      const parts: Promise<ReceivedFile>[] = [];
      let failure: FileUploadError | null = null;
      let settled = false;
      const finish = async () => {
        const results = await Promise.allSettled(parts);
        if (settled) return;
        settled = true;
        const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        const error = failure ?? (rejected ? (rejected.reason as Error) : null);
        if (error) reject(error);
        else if (!results.length) reject(new FileUploadError('file.empty', `The upload contains no files (multipart field "${UPLOAD_FIELD}")`));
        else resolve(results.map((result) => (result as PromiseFulfilledResult<ReceivedFile>).value));
      };
      // stops processing the request at once and answers; what the client still sends is discarded
      const fail = (error: FileUploadError) => {
        if (failure) return;
        failure = error;
        body.unpipe(parser);
        body.resume(); // discard the rest: nothing more is parsed, hashed or written
        parser.removeAllListeners('file');
        parser.destroy(error); // ends the part being received, if any
        void finish();
      };

      parser.on('file', (field, stream, info) => {
        if (failure || field !== UPLOAD_FIELD) {
          stream.resume();
          return;
        }
        const part = receivePart(stream, info.filename, settings, scratch, track);
        part.catch((error: unknown) => fail(error instanceof FileUploadError ? error : new FileUploadError('file.malformed', 'The upload was interrupted')));
        parts.push(part);
      });
      parser.on('filesLimit', () => fail(new FileUploadError('file.too-many', `At most ${maxCount} files can be uploaded at once`)));
      parser.on('partsLimit', () => fail(new FileUploadError('file.too-many', `At most ${maxCount} files can be uploaded at once`)));
      parser.on('fieldsLimit', () => fail(new FileUploadError('file.malformed', 'The upload has too many form fields')));
      parser.on('error', () => fail(new FileUploadError('file.malformed', 'The upload is not a well-formed multipart/form-data body')));
      parser.on('close', () => void finish());
      body.on('error', () => fail(new FileUploadError('file.malformed', 'The upload was interrupted')));
      body.pipe(parser);
    });
  }
}
