import type { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, groupByKeys, isUuid, NotFoundError, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { auditedTransaction, deferAudit } from '../audit/audited-transaction';
import { NotificationService } from '../notification/notification.service';
import { actorOf, readableSql } from './document-access';
import { DocumentLink, DocumentLinkKind } from './document-link.entity';
import { Document, DocumentStatus, DocumentType } from './document.entity';
import { publishFinanceLinkChange } from './document.events';
import { FINANCE_LINK_KINDS } from './document-finance';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

const LETTERS = [DocumentType.INCOMING_LETTER, DocumentType.OUTGOING_LETTER];

/** Which source types may link to which target types with each kind (RELATED: any to any). */
const LINK_RULES: Record<Exclude<DocumentLinkKind, DocumentLinkKind.RELATED>, { sources: DocumentType[]; targets: DocumentType[] }> = {
  [DocumentLinkKind.SUPPLEMENT_TO]: { sources: [DocumentType.SUPPLEMENTARY_AGREEMENT], targets: [DocumentType.CONTRACT] },
  [DocumentLinkKind.INVOICE_FOR]: { sources: [DocumentType.INVOICE], targets: [DocumentType.CONTRACT, DocumentType.SUPPLEMENTARY_AGREEMENT] },
  [DocumentLinkKind.ACT_FOR]: { sources: [DocumentType.ACT], targets: [DocumentType.CONTRACT, DocumentType.INVOICE] },
  [DocumentLinkKind.PAYMENT_FOR]: { sources: [DocumentType.PAYMENT_ORDER], targets: [DocumentType.INVOICE, DocumentType.CONTRACT] },
  [DocumentLinkKind.REPLY_TO]: { sources: LETTERS, targets: LETTERS },
};

export class DocumentLinkService {
  constructor(private readonly context: Context) {}

  /** Links two documents of the same counterparty with a meaning; audited on the source document. */
  async link(sourceId: string, targetId: string, kind: DocumentLinkKind): Promise<Document> {
    await auditedTransaction(this.context.em, async (em) => {
      const source = await this.readable(em, sourceId, 'sourceId');
      if (source.status === DocumentStatus.CANCELLED) throw new UserInputError('sourceId', 'A cancelled document cannot get new links');
      await this.addWithin(em, source, targetId, kind, 'targetId');
      // A signed document now belongs to another contract/invoice (and so may the documents resolving through it).
      if (FINANCE_LINK_KINDS.includes(kind)) await publishFinanceLinkChange(em, source.id);
      await new NotificationService(em).documentChanged(source.id);
    });
    return this.context.em.findOneOrFail(Document, { id: sourceId }, { refresh: true });
  }

  async unlink(linkId: string): Promise<Document> {
    if (!isUuid(linkId)) throw new NotFoundError('DocumentLink', linkId);
    const sourceId = await auditedTransaction(this.context.em, async (em) => {
      const link = await em.findOne(DocumentLink, { id: linkId });
      if (!link) throw new NotFoundError('DocumentLink', linkId);
      await this.readable(em, link.sourceId, 'linkId');
      const source = await em.findOneOrFail(Document, { id: link.sourceId });
      if (source.type === DocumentType.SUPPLEMENTARY_AGREEMENT && link.kind === DocumentLinkKind.SUPPLEMENT_TO) {
        throw new UserInputError('linkId', 'A supplementary agreement must stay linked to its contract');
      }
      em.remove(link);
      await em.flush();
      deferAudit(em, { documentId: link.sourceId, action: 'LINK_REMOVED', ...actorOf(this.context.identity), details: { kind: link.kind, targetId: link.targetId } });
      if (FINANCE_LINK_KINDS.includes(link.kind)) await publishFinanceLinkChange(em, link.sourceId);
      await new NotificationService(em).documentChanged(link.sourceId);
      return link.sourceId;
    });
    return this.context.em.findOneOrFail(Document, { id: sourceId }, { refresh: true });
  }

  /** Adds one link inside the caller's transaction; `field` names the input field in errors. */
  async addWithin(em: EntityManager, source: Document, targetId: string, kind: DocumentLinkKind, field: string): Promise<DocumentLink> {
    const target = await this.readable(em, targetId, field);
    if (target.id === source.id) throw new UserInputError(field, 'A document cannot be linked to itself');
    if (target.counterpartyId !== source.counterpartyId) throw new UserInputError(field, 'Linked documents must belong to the same counterparty', { reason: 'link.other-counterparty' });
    if (kind !== DocumentLinkKind.RELATED) {
      const rule = LINK_RULES[kind];
      if (!rule.sources.includes(source.type) || !rule.targets.includes(target.type)) {
        throw new UserInputError(field, `${kind} links a ${rule.sources.join('/')} to a ${rule.targets.join('/')}, not a ${source.type} to a ${target.type}`, { reason: 'link.kind-mismatch' });
      }
    }
    const existing = await em.findOne(DocumentLink, { sourceId: source.id, targetId: target.id, kind });
    if (existing) throw new ConflictError('These documents are already linked this way', { reason: 'link.duplicate' });
    const link = em.create(DocumentLink, { sourceId: source.id, targetId: target.id, kind, createdById: actorOf(this.context.identity).actorId });
    await em.flush();
    deferAudit(em, { documentId: source.id, action: 'LINK_ADDED', ...actorOf(this.context.identity), details: { kind, targetId: target.id } });
    return link;
  }

  /** Links from each document (batched per request). */
  outgoing(documentId: string): Promise<DocumentLink[]> {
    return this.context.loaders
      .get<DocumentLink[]>('document-links:outgoing', async (ids) => groupByKeys(ids, await this.context.em.find(DocumentLink, { sourceId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc' } }), (link) => link.sourceId))
      .load(documentId)
      .then((links) => links ?? []);
  }

  /** Links to each document (batched per request). */
  incoming(documentId: string): Promise<DocumentLink[]> {
    return this.context.loaders
      .get<DocumentLink[]>('document-links:incoming', async (ids) => groupByKeys(ids, await this.context.em.find(DocumentLink, { targetId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc' } }), (link) => link.targetId))
      .load(documentId)
      .then((links) => links ?? []);
  }

  private async readable(em: EntityManager, id: string, field: string): Promise<Document> {
    if (!isUuid(id)) throw new UserInputError(field, 'Not a valid document id');
    const access = readableSql('d', this.context.identity);
    const rows = await em.execute<{ id: string }[]>(`select d.id from documents d where d.id = ? and ${access.sql}`, [id, ...access.params]);
    if (!rows.length) throw new UserInputError(field, 'There is no such document', { reason: 'link.target-not-found' });
    return em.findOneOrFail(Document, { id });
  }
}
