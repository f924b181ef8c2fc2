import type { EntityManager } from '@mikro-orm/postgresql';
import { CounterpartyRef, NotFoundError, type SubgraphContext, UserInputError } from '@kartoteka/kit';
import { auditedTransaction, deferAudit } from '../audit/audited-transaction';
import { actorOf } from '../document/document-access';
import { Document, DocumentType } from '../document/document.entity';
import { DocumentReader } from '../document/document.reader';
import { DocumentVersion } from '../document/document-version.entity';
import { DocumentVersionService } from '../document/document-version.service';
import { CounterpartyDetails } from '../counterparty/counterparty-details.entity';
import { sanitizeFileName } from '../file/file.service';
import { StoredFile } from '../file/stored-file.entity';
import { NotificationService } from '../notification/notification.service';
import { StaffService } from '../staff/staff.service';
import { DocumentTemplate, DocumentTemplateVersion, TemplateDealRef } from './document-template.entity';
import { DOCX_CONTENT_TYPE, readStoredContent, storeBytes, templateStoreOf } from './document-template.service';
import { renderTemplate, TemplateParseError } from './template.docx';
import { convertDocxToPdf } from './template.pdf';
import { formatDate, formatMoney, type PlaceholderValues } from './template.placeholders';

type Context = Pick<SubgraphContext, 'em' | 'identity' | 'loaders'>;

export type GenerationResult = { version: DocumentVersion; warnings: string[] };

/** Extra work inside the transaction that adds the version (the worker marks its request done there). */
export type GenerationOptions = { within?: (em: EntityManager) => Promise<void> };

/** Statuses in which a document may get a new version (the rest are refused by the version service too). */
const VERSIONABLE = new Set<string>(['DRAFT', 'REJECTED']);

const todayIso = (now: Date): string => now.toISOString().slice(0, 10);

/**
 * Generating a document version from a DOCX template: the values come from this service's own data (the
 * document, the counterparty and deal read models, the staff directory); the DOCX is rendered, converted to PDF
 * with LibreOffice when it is installed (outside any transaction: it takes seconds), and both files become a new
 * version through the same path as an uploaded one (audit, notification, version number).
 */
export class DocumentGenerationService {
  constructor(private readonly context: Context) {}

  /** The placeholder values for a document, as of `now`. */
  async valuesFor(em: EntityManager, document: Document, now = new Date()): Promise<PlaceholderValues> {
    const identity = this.context.identity;
    const [counterparty, details, deal, member, contract] = await Promise.all([
      em.findOne(CounterpartyRef, { id: document.counterpartyId }),
      em.findOne(CounterpartyDetails, { id: document.counterpartyId }),
      document.dealId ? em.findOne(TemplateDealRef, { id: document.dealId }) : Promise.resolve(null),
      identity.kind === 'user' ? new StaffService(em).findByIds([identity.id]).then((rows) => rows[0] ?? null) : Promise.resolve(null),
      document.type === DocumentType.CONTRACT
        ? Promise.resolve(document)
        : document.dealId
          ? em.findOne(Document, { dealId: document.dealId, type: DocumentType.CONTRACT }, { orderBy: { createdAt: 'desc', id: 'desc' } })
          : Promise.resolve(null),
    ]);
    return {
      'counterparty.name': counterparty?.name ?? '',
      'counterparty.shortName': counterparty?.shortName ?? counterparty?.name ?? '',
      'counterparty.inn': counterparty?.inn ?? '',
      'counterparty.kpp': counterparty?.kpp ?? '',
      'counterparty.address': details?.legalAddress ?? '',
      'contact.name': details?.contactName ?? '',
      'deal.title': deal?.title ?? '',
      'deal.amount': formatMoney(deal?.amountMinor ?? null, deal?.currency ?? null),
      'contract.number': contract?.number ?? '',
      'contract.date': formatDate(contract?.date ?? contract?.startDate ?? null),
      'document.number': document.number ?? '',
      'document.date': formatDate(document.date ?? todayIso(now)),
      'document.title': document.title,
      'document.amount': formatMoney(document.amountMinor, document.currency),
      'user.name': member?.name ?? (identity.kind === 'apiKey' ? identity.name : ''),
      today: formatDate(todayIso(now)),
    };
  }

  /** `generateDocumentVersion`: a new version of a readable draft from a template (its current version unless `versionNumber`). */
  async generate(documentId: string, templateId: string, versionNumber: number | null): Promise<GenerationResult> {
    const em = this.context.em;
    const document = await new DocumentReader(this.context).findById(documentId);
    if (!document) throw new NotFoundError('Document', documentId);
    const template = await em.findOne(DocumentTemplate, { id: templateId.toLowerCase() });
    if (!template) throw new UserInputError('templateId', 'There is no such document template', { reason: 'template.not-found' });
    return this.generateFor(document, template, versionNumber);
  }

  /**
   * Generation for a document the caller may read and a template (by id or found by code). Must not run inside a
   * transaction: the PDF conversion takes seconds, and only the short final step (storing the files, adding the
   * version) is transactional — a caller holding a transaction would hold its locks all that time.
   */
  async generateFor(document: Document, template: DocumentTemplate, versionNumber: number | null, options: GenerationOptions = {}): Promise<GenerationResult> {
    const em = this.context.em;
    if (em.isInTransaction()) throw new Error('Document generation must not run inside a transaction (the PDF conversion takes seconds)');
    if (template.archived) throw new UserInputError('templateId', `The template «${template.name}» is archived`, { reason: 'template.archived' });
    if (template.documentType !== document.type) throw new UserInputError('templateId', `The template «${template.name}» is for ${template.documentType} documents, not ${document.type}`, { reason: 'template.type-mismatch' });
    if (!VERSIONABLE.has(document.status)) throw new UserInputError('documentId', `A document in status ${document.status} cannot get a new version`, { reason: 'version.not-allowed' });
    const number = versionNumber ?? template.currentVersionNumber;
    const version = number > 0 ? await em.findOne(DocumentTemplateVersion, { templateId: template.id, number }) : null;
    if (!version) throw new UserInputError(versionNumber ? 'version' : 'templateId', number > 0 ? `The template has no version ${number}` : `The template «${template.name}» has no DOCX yet; upload one first`, { reason: 'template.no-version' });
    const storedTemplate = await em.findOneOrFail(StoredFile, { id: version.storedFileId });
    const store = templateStoreOf(em);

    const values = await this.valuesFor(em, document);
    let docx: Buffer;
    try {
      docx = renderTemplate(await readStoredContent(store, storedTemplate.sha256), values);
    } catch (error) {
      if (error instanceof TemplateParseError) throw new UserInputError('templateId', `The template could not be filled in: ${error.message}`, { reason: 'template.render-failed' });
      throw error;
    }
    const warnings: string[] = [];
    const pdf = await convertDocxToPdf(docx, { sofficePath: store.templates.sofficePath, timeoutMs: store.templates.pdfTimeoutMs });
    if (!pdf.ok) warnings.push(pdf.reason);

    const baseName = sanitizeFileName(`${document.title}${document.number ? ` № ${document.number}` : ''}`).replace(/\.(docx|pdf)$/i, '').slice(0, 200) || template.code;
    const identity = this.context.identity;
    const uploadedById = actorOf(identity).actorId;
    const comment = [`Сформирован из шаблона «${template.name}», версия ${version.number}`, ...warnings].join('. ');
    const versionId = await auditedTransaction(em, async (tem) => {
      const locked = await new DocumentReader({ ...this.context, em: tem }).lockReadable(tem, document.id);
      const files = [await storeBytes(tem, store, docx, { name: `${baseName}.docx`, contentType: DOCX_CONTENT_TYPE, uploadedById })];
      if (pdf.ok) files.push(await storeBytes(tem, store, pdf.pdf, { name: `${baseName}.pdf`, contentType: 'application/pdf', uploadedById }));
      const added = await new DocumentVersionService({ ...this.context, em: tem }).addWithin(tem, locked, files.map((file) => file.id), comment, false);
      await new NotificationService(tem).documentChanged(locked.id);
      await options.within?.(tem);
      return added.id;
    });
    const added = await em.findOneOrFail(DocumentVersion, { id: versionId });
    return { version: added, warnings };
  }

  /**
   * Records in the document's audit trail what went wrong generating it from a template (a deal action's
   * document is created anyway; the reason must not be lost). Inside the caller's transaction.
   */
  static async recordWarning(em: EntityManager, documentId: string, templateCode: string, warning: string): Promise<void> {
    await auditedTransaction(em, async (tem) => {
      deferAudit(tem, { documentId, action: 'DOCUMENT_UPDATED', actorId: null, actorKind: 'system', details: { warning: `Template «${templateCode}»: ${warning}`, templateCode } });
    });
  }
}
