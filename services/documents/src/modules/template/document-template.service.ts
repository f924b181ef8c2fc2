import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { LockMode, type Configuration } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, isUuid, NotFoundError, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import type { FilesSettings, TemplatesSettings } from '../../config';
import { FileService } from '../file/file.service';
import type { FileStorage } from '../file/file.storage';
import { StoredFile } from '../file/stored-file.entity';
import { DocumentTemplate, DocumentTemplateVersion } from './document-template.entity';
import { TEMPLATE_CODE_PATTERN, type CreateDocumentTemplateInput, type UpdateDocumentTemplateInput } from './document-template.input';
import { inspectTemplate, TemplateParseError } from './template.docx';
import { isPlaceholder } from './template.placeholders';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

/** Where template and generated files live and how PDFs are made: bound once per ORM when the service starts. */
export type TemplateStore = { storage: FileStorage; files: FilesSettings; templates: TemplatesSettings };

const storesByOrm = new WeakMap<Configuration, TemplateStore>();

/** Called by the subgraph wiring (internal routes) so that resolvers and event handlers reach the storage. */
export function bindTemplateStore(orm: { config: Configuration }, store: TemplateStore): void {
  storesByOrm.set(orm.config, store);
}

export function templateStoreOf(em: EntityManager): TemplateStore {
  const store = storesByOrm.get(em.config);
  if (!store) throw new Error('The template store is not bound to this ORM (bindTemplateStore)');
  return store;
}

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Reads a stored file's whole content (templates and generated files are small: tens of KiB). */
export async function readStoredContent(store: TemplateStore, sha256: string): Promise<Buffer> {
  const stream: Readable = await store.storage.open(sha256);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Puts bytes into the content-addressed storage and writes their stored_files row (in the caller's transaction). */
export async function storeBytes(em: EntityManager, store: TemplateStore, content: Buffer, meta: { name: string; contentType: string; uploadedById: string | null }): Promise<StoredFile> {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const scratch = join(store.files.dir, 'tmp');
  await mkdir(scratch, { recursive: true });
  const tempPath = join(scratch, randomUUID());
  try {
    await writeFile(tempPath, content, { flag: 'wx' });
    await store.storage.put(sha256, tempPath);
  } finally {
    await rm(tempPath, { force: true });
  }
  const file = em.create(StoredFile, { sha256, size: content.length, contentType: meta.contentType, name: meta.name, uploadedById: meta.uploadedById });
  await em.flush();
  return file;
}

/**
 * Checks a DOCX as a template: docxtemplater can read it and every placeholder is a known one. Returns the
 * placeholders; BAD_USER_INPUT on `file` naming the unknown ones otherwise.
 */
export function checkTemplateContent(content: Buffer): string[] {
  let tags: string[];
  try {
    tags = inspectTemplate(content);
  } catch (error) {
    if (error instanceof TemplateParseError) throw new UserInputError('file', error.message, { reason: 'template.unreadable' });
    throw error;
  }
  const unknown = tags.filter((tag) => !isPlaceholder(tag));
  if (unknown.length) {
    throw new UserInputError('file', `Unknown placeholders: ${unknown.map((tag) => `{${tag}}`).join(', ')}. Use only the documented ones, e.g. {counterparty.name}`, { reason: 'template.unknown-placeholders', placeholders: unknown });
  }
  return tags;
}

/** Document templates: the catalogue (admins edit, readers of documents read) and their uploaded versions. */
export class DocumentTemplateService {
  constructor(private readonly context: Context) {}

  list(documentType: string | null, includeArchived: boolean): Promise<DocumentTemplate[]> {
    return this.context.em.find(DocumentTemplate, { ...(documentType ? { documentType: documentType as DocumentTemplate['documentType'] } : {}), ...(includeArchived ? {} : { archived: false }) }, { orderBy: { documentType: 'asc', name: 'asc', id: 'asc' } });
  }

  findById(id: string): Promise<DocumentTemplate | null> {
    return isUuid(id) ? this.context.em.findOne(DocumentTemplate, { id: id.toLowerCase() }) : Promise.resolve(null);
  }

  findByCode(code: string): Promise<DocumentTemplate | null> {
    return this.context.em.findOne(DocumentTemplate, { code: code.trim().toLowerCase() });
  }

  /** Versions of a template, newest first. */
  versionsOf(templateId: string): Promise<DocumentTemplateVersion[]> {
    return this.context.em.find(DocumentTemplateVersion, { templateId }, { orderBy: { number: 'desc' } });
  }

  async create(input: CreateDocumentTemplateInput): Promise<DocumentTemplate> {
    const code = input.code.trim().toLowerCase();
    if (!TEMPLATE_CODE_PATTERN.test(code)) throw new UserInputError('code', 'Use 2–50 lower-case Latin letters, digits or dashes, starting with a letter');
    const name = input.name.trim();
    if (!name) throw new UserInputError('name', 'Enter a name');
    if (await this.findByCode(code)) throw new UserInputError('code', `A template with the code «${code}» exists already`, { reason: 'template.code-taken' });
    const identity = this.context.identity;
    const template = this.context.em.create(DocumentTemplate, {
      code,
      name,
      documentType: input.documentType,
      description: input.description?.trim() || null,
      createdById: identity.kind === 'user' ? identity.id : null,
    });
    await this.context.em.flush();
    return template;
  }

  async update(input: UpdateDocumentTemplateInput): Promise<DocumentTemplate> {
    await this.context.em.transactional(async (em) => {
      const template = await this.lock(em, input.id, input.version);
      if (input.name !== undefined && input.name !== null) {
        const name = input.name.trim();
        if (!name) throw new UserInputError('name', 'Enter a name');
        template.name = name;
      }
      if (input.description !== undefined) template.description = input.description?.trim() || null;
      if (input.currentVersionNumber !== undefined && input.currentVersionNumber !== null) {
        if (!(await em.count(DocumentTemplateVersion, { templateId: template.id, number: input.currentVersionNumber }))) {
          throw new UserInputError('currentVersionNumber', `The template has no version ${input.currentVersionNumber}`);
        }
        template.currentVersionNumber = input.currentVersionNumber;
      }
    });
    return this.context.em.findOneOrFail(DocumentTemplate, { id: input.id.toLowerCase() }, { refresh: true });
  }

  async archive(id: string, version: number, archived: boolean): Promise<DocumentTemplate> {
    await this.context.em.transactional(async (em) => {
      const template = await this.lock(em, id, version);
      template.archived = archived;
    });
    return this.context.em.findOneOrFail(DocumentTemplate, { id: id.toLowerCase() }, { refresh: true });
  }

  /**
   * Receives a DOCX over multipart (field `files`, one file), checks it as a template and makes it the new
   * current version. All or nothing: a refused file leaves no version and no stored_files row.
   */
  async uploadVersion(templateId: string, headers: IncomingHttpHeaders, body: Readable): Promise<DocumentTemplateVersion> {
    const store = templateStoreOf(this.context.em);
    const identity = this.context.identity;
    const uploadedById = identity.kind === 'anonymous' ? null : identity.id;
    const versionId = await this.context.em.transactional(async (em) => {
      const template = isUuid(templateId) ? await em.findOne(DocumentTemplate, { id: templateId.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
      if (!template) throw new NotFoundError('DocumentTemplate', templateId);
      if (template.archived) throw new UserInputError('id', 'The template is archived; restore it before uploading a version', { reason: 'template.archived' });
      const files = await new FileService(em, { storage: store.storage, settings: store.files }).upload(headers, body, uploadedById);
      if (files.length !== 1) throw new UserInputError('file', 'Upload exactly one DOCX file', { reason: 'template.one-file' });
      const [file] = files;
      if (file.contentType !== DOCX_CONTENT_TYPE) throw new UserInputError('file', 'A template must be a DOCX file (Word 2007 or later)', { reason: 'template.not-docx' });
      const placeholders = checkTemplateContent(await readStoredContent(store, file.sha256));
      template.currentVersionNumber += 1;
      const version = em.create(DocumentTemplateVersion, { templateId: template.id, number: template.currentVersionNumber, storedFileId: file.id, placeholders, uploadedById });
      await em.flush();
      return version.id;
    });
    return this.context.em.findOneOrFail(DocumentTemplateVersion, { id: versionId });
  }

  /** The stored DOCX of a template version (for the download route), or null. */
  async fileOfVersion(versionId: string): Promise<StoredFile | null> {
    if (!isUuid(versionId)) return null;
    const version = await this.context.em.findOne(DocumentTemplateVersion, { id: versionId.toLowerCase() });
    return version ? this.context.em.findOne(StoredFile, { id: version.storedFileId }) : null;
  }

  private async lock(em: EntityManager, id: string, version: number): Promise<DocumentTemplate> {
    const template = isUuid(id) ? await em.findOne(DocumentTemplate, { id: id.toLowerCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null;
    if (!template) throw new NotFoundError('DocumentTemplate', id);
    if (template.version !== version) throw new ConflictError('The template was changed by someone else; reload it and repeat your changes', { currentVersion: template.version });
    return template;
  }
}
