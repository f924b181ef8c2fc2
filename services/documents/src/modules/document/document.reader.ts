import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byKeys, isUuid, NotFoundError, type SubgraphContext } from '@kartoteka/kit';
import { readableSql } from './document-access';
import { Document } from './document.entity';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

/**
 * Reads documents as the caller may see them (the one rule of `document-access.ts`). The bottom of the
 * documents module: every service and resolver that needs a document by id asks here, and this file imports
 * no service, so no service has to import another to find a document.
 */
export class DocumentReader {
  constructor(private readonly context: Context) {}

  /** The document if it exists and the caller may read it; null otherwise. */
  async findById(id: string): Promise<Document | null> {
    if (!isUuid(id)) return null;
    const [document] = await this.findByIds([id]);
    return document ?? null;
  }

  /** A readable document by id, or null; batched per request and shared by every field that points at a document. */
  readableById(id: string): Promise<Document | null> {
    return this.context.loaders
      .get<Document>('documents:readable-by-id', async (ids) => byKeys(ids, await this.findByIds(ids), (row) => row.id))
      .load(id.toLowerCase());
  }

  /** Readable documents among `ids` (restricted ones the caller may not see are left out). */
  async findByIds(ids: readonly string[]): Promise<Document[]> {
    const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
    if (!valid.length) return [];
    const access = readableSql('d', this.context.identity);
    return this.context.em.createQueryBuilder(Document, 'd').where({ id: { $in: valid } }).andWhere(access.sql, access.params).getResultList();
  }

  /** Locks the document row for a change in this transaction; NOT_FOUND when missing or not readable. */
  async lockReadable(em: EntityManager, id: string): Promise<Document> {
    if (!isUuid(id)) throw new NotFoundError('Document', id);
    const access = readableSql('d', this.context.identity);
    const visible = await em.execute<{ id: string }[]>(`select d.id from documents d where d.id = ? and ${access.sql}`, [id, ...access.params]);
    if (!visible.length) throw new NotFoundError('Document', id);
    return em.findOneOrFail(Document, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }
}
