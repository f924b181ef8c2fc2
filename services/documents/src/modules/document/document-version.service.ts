import type { EntityManager } from '@mikro-orm/postgresql';
import { groupByKeys, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { AcknowledgementService } from '../acknowledgement/acknowledgement.service';
import { AuditService } from '../audit/audit.service';
import { auditedTransaction, deferAudit } from '../audit/audited-transaction';
import { StoredFile } from '../file/stored-file.entity';
import { NotificationService } from '../notification/notification.service';
import { actorOf, readableSql } from './document-access';
import { DocumentFile } from './document-file.type';
import { DocumentVersion, DocumentVersionFile } from './document-version.entity';
import { Document, DocumentStatus } from './document.entity';
import { DocumentReader } from './document.reader';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

/** Most files one version may hold (uploads are limited separately, per request). */
export const MAX_FILES_PER_VERSION = 20;

export class DocumentVersionService {
  constructor(private readonly context: Context) {}

  /** Adds a version with the uploaded files. Refused while on approval and after signature. */
  async add(documentId: string, fileIds: string[], comment: string | null, requireReacknowledgement: boolean): Promise<DocumentVersion> {
    const versionId = await auditedTransaction(this.context.em, async (em) => {
      const document = await new DocumentReader({ ...this.context, em }).lockReadable(em, documentId);
      const version = await this.addWithin(em, document, fileIds, comment, requireReacknowledgement);
      await new NotificationService(em).documentChanged(document.id);
      return version.id;
    });
    return this.context.em.findOneOrFail(DocumentVersion, { id: versionId });
  }

  /** Inside the caller's transaction, with the document row locked by the caller. */
  async addWithin(em: EntityManager, document: Document, fileIds: string[], comment: string | null, requireReacknowledgement: boolean): Promise<DocumentVersion> {
    if (document.status === DocumentStatus.ON_APPROVAL || document.status === DocumentStatus.APPROVED) {
      throw new UserInputError('documentId', 'The document is on approval: recall it before adding a version', { reason: 'version.on-approval' });
    }
    if ([DocumentStatus.SIGNED, DocumentStatus.IN_FORCE, DocumentStatus.EXECUTED, DocumentStatus.TERMINATED].includes(document.status)) {
      throw new UserInputError('documentId', 'A signed document cannot get a new version; create a supplementary agreement or a new document instead', { reason: 'version.after-signature' });
    }
    if (document.status === DocumentStatus.CANCELLED) throw new UserInputError('documentId', 'A cancelled document cannot get a new version', { reason: 'version.cancelled' });
    const ids = [...new Set(fileIds.map((id) => id.toLowerCase()))];
    if (!ids.length) throw new UserInputError('fileIds', 'Attach at least one file', { reason: 'file.empty' });
    if (ids.length > MAX_FILES_PER_VERSION) throw new UserInputError('fileIds', `A version holds at most ${MAX_FILES_PER_VERSION} files`, { reason: 'file.too-many' });
    const files = await em.find(StoredFile, { id: { $in: ids } });
    if (files.length !== ids.length || (await this.foreignFileIds(em, ids)).length) throw new UserInputError('fileIds', 'Some files were not found; upload them again', { reason: 'file.not-found' });
    const identity = this.context.identity;
    document.currentVersionNumber += 1;
    const version = em.create(DocumentVersion, {
      documentId: document.id,
      number: document.currentVersionNumber,
      comment: comment?.trim() || null,
      authorId: identity.kind === 'user' ? identity.id : null,
    });
    ids.forEach((storedFileId, position) => em.create(DocumentVersionFile, { versionId: version.id, storedFileId, position }));
    await em.flush();
    deferAudit(em, { documentId: document.id, action: 'VERSION_ADDED', ...actorOf(identity), versionId: version.id, details: { number: version.number, files: files.map((file) => ({ id: file.id, name: file.name, sha256: file.sha256 })) } });
    if (requireReacknowledgement) await new AcknowledgementService({ ...this.context, em }).requestAgainWithin(em, document, version);
    return version;
  }

  /**
   * Files among `ids` the caller may not attach: someone else's uploads that belong only to documents the caller
   * may not read. Attaching one to a document of one's own would make it downloadable through that document.
   */
  private async foreignFileIds(em: EntityManager, ids: string[]): Promise<string[]> {
    const access = readableSql('d', this.context.identity);
    const rows = await em.execute<{ id: string }[]>(
      `select f.id from stored_files f
        where f.id in (?) and f.uploaded_by_id is distinct from ?::uuid
          and exists (select 1 from document_version_files vf where vf.stored_file_id = f.id)
          and not exists (select 1 from document_version_files vf join document_versions v on v.id = vf.version_id join documents d on d.id = v.document_id
                           where vf.stored_file_id = f.id and ${access.sql})`,
      [ids, actorOf(this.context.identity).actorId, ...access.params],
    );
    return rows.map((row) => row.id);
  }

  /** Versions of a document, newest first (batched per request). */
  versionsOf(documentId: string): Promise<DocumentVersion[]> {
    return this.context.loaders
      .get<DocumentVersion[]>('document-versions', async (ids) => groupByKeys(ids, await this.context.em.find(DocumentVersion, { documentId: { $in: [...ids] } }, { orderBy: { number: 'desc' } }), (version) => version.documentId))
      .load(documentId)
      .then((versions) => versions ?? []);
  }

  /** Files of a version in their order (batched per request). */
  async filesOf(versionId: string): Promise<DocumentFile[]> {
    const links = await this.context.loaders
      .get<DocumentVersionFile[]>('document-version-files', async (ids) => groupByKeys(ids, await this.context.em.find(DocumentVersionFile, { versionId: { $in: [...ids] } }, { orderBy: { position: 'asc' } }), (file) => file.versionId))
      .load(versionId);
    const files = await Promise.all((links ?? []).map((link) => this.storedFile(link.storedFileId)));
    return files.filter((file): file is StoredFile => file !== null).map((file) => DocumentFile.of(file));
  }

  private storedFile(id: string): Promise<StoredFile | null> {
    return this.context.loaders
      .get<StoredFile>('stored-files', async (ids) => {
        const rows = await this.context.em.find(StoredFile, { id: { $in: [...ids] } });
        const index = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => index.get(id) ?? null);
      })
      .load(id);
  }

  /** Download check for the file route: readable, and the download is written to the audit trail. */
  async authorizeDownload(storedFileId: string): Promise<boolean> {
    const access = await this.fileAccess(storedFileId);
    if (!access) return false;
    await this.context.em.transactional((em) =>
      new AuditService(em).record({ documentId: access.documentId, action: 'FILE_DOWNLOADED', ...actorOf(this.context.identity), versionId: access.versionId, details: { fileId: storedFileId } }),
    );
    return true;
  }

  /**
   * Whether the caller may download a stored file: it must belong to a version of a document the caller
   * may read. Returns the document and version for the audit record, or null.
   */
  async fileAccess(storedFileId: string): Promise<{ documentId: string; versionId: string } | null> {
    const documents = await this.context.em.execute<{ document_id: string; version_id: string }[]>(
      `select v.document_id, v.id as version_id from document_version_files f join document_versions v on v.id = f.version_id where f.stored_file_id = ? order by v.number desc`,
      [storedFileId],
    );
    const readable = new Set((await new DocumentReader(this.context).findByIds(documents.map((row) => row.document_id))).map((document) => document.id));
    const row = documents.find((candidate) => readable.has(candidate.document_id));
    return row ? { documentId: row.document_id, versionId: row.version_id } : null;
  }
}
