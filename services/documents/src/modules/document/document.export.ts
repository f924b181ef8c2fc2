import { CounterpartyRef, type SubgraphContext } from '@kartoteka/kit';
import type { ExportRegistry } from '@kartoteka/kit/export';
import { StaffMemberEntity } from '../staff/staff-member.entity';
import { DocumentStatus, DocumentType, type Document } from './document.entity';
import { DocumentSort, DocumentsArgs } from './document.input';
import { DocumentService, type DocumentFilter } from './document.service';

/** A document of the export with the names its row shows (from the counterparty and staff read models). */
export type DocumentExportRow = { document: Document; counterpartyName: string | null; counterpartyInn: string | null; authorName: string | null };

const TYPE_LABELS = {
  ru: {
    INCOMING_LETTER: 'Входящее письмо',
    OUTGOING_LETTER: 'Исходящее письмо',
    CONTRACT: 'Договор',
    SUPPLEMENTARY_AGREEMENT: 'Дополнительное соглашение',
    INVOICE: 'Счёт',
    ACT: 'Акт',
    PAYMENT_ORDER: 'Платёжное поручение',
    COMMERCIAL_OFFER: 'Коммерческое предложение',
    OTHER: 'Прочее',
  },
  en: {
    INCOMING_LETTER: 'Incoming letter',
    OUTGOING_LETTER: 'Outgoing letter',
    CONTRACT: 'Contract',
    SUPPLEMENTARY_AGREEMENT: 'Supplementary agreement',
    INVOICE: 'Invoice',
    ACT: 'Certificate of completion',
    PAYMENT_ORDER: 'Payment order',
    COMMERCIAL_OFFER: 'Commercial offer',
    OTHER: 'Other',
  },
} satisfies Record<'ru' | 'en', Record<DocumentType, string>>;

const STATUS_LABELS = {
  ru: { DRAFT: 'Черновик', ON_APPROVAL: 'На согласовании', APPROVED: 'Согласован', REJECTED: 'Отклонён', SIGNED: 'Подписан', IN_FORCE: 'Действует', EXECUTED: 'Исполнен', TERMINATED: 'Расторгнут', CANCELLED: 'Аннулирован' },
  en: { DRAFT: 'Draft', ON_APPROVAL: 'On approval', APPROVED: 'Approved', REJECTED: 'Rejected', SIGNED: 'Signed', IN_FORCE: 'In force', EXECUTED: 'Executed', TERMINATED: 'Terminated', CANCELLED: 'Cancelled' },
} satisfies Record<'ru' | 'en', Record<DocumentStatus, string>>;

/** Counterparty and author names of one page: two queries a page, from this service's read models. */
async function rowsOf(context: SubgraphContext, documents: Document[]): Promise<DocumentExportRow[]> {
  const counterpartyIds = [...new Set(documents.map((d) => d.counterpartyId))];
  const authorIds = [...new Set(documents.map((d) => d.authorId).filter((id): id is string => id !== null))];
  const [counterparties, authors] = await Promise.all([
    counterpartyIds.length ? context.em.find(CounterpartyRef, { id: { $in: counterpartyIds } }) : Promise.resolve([]),
    authorIds.length ? context.em.find(StaffMemberEntity, { id: { $in: authorIds } }) : Promise.resolve([]),
  ]);
  const counterpartyOf = new Map(counterparties.map((ref) => [ref.id, ref]));
  const authorOf = new Map(authors.map((staff) => [staff.id, staff.name]));
  return documents.map((document) => {
    const counterparty = counterpartyOf.get(document.counterpartyId);
    return {
      document,
      counterpartyName: counterparty ? (counterparty.shortName ?? counterparty.name) : null,
      counterpartyInn: counterparty?.inn ?? null,
      authorName: document.authorId ? (authorOf.get(document.authorId) ?? null) : null,
    };
  });
}

/**
 * The documents registry as XLSX / CSV (`GET /rest/documents/exports/documents.xlsx|csv` through the gateway):
 * the filters and order of the `documents` query, with its row-level access (restricted documents only for
 * those who may read them), read page by page through the same DocumentService.list.
 */
export const documentsExport: ExportRegistry<DocumentFilter, DocumentExportRow> = {
  name: 'documents',
  permission: 'documents:read',
  argumentsType: DocumentsArgs,
  filters: {
    counterpartyId: { type: 'uuid' },
    dealId: { type: 'uuid' },
    type: { type: 'enum', values: Object.values(DocumentType) },
    status: { type: 'enum', values: Object.values(DocumentStatus) },
    dateFrom: { type: 'date' },
    dateTo: { type: 'date' },
    search: { type: 'text', max: 200 },
    sort: { type: 'enum', values: Object.values(DocumentSort) },
    direction: { type: 'enum', values: ['ASC', 'DESC'] },
  },
  title: { ru: 'Документы', en: 'Documents' },
  columns: [
    { key: 'type', header: { ru: 'Вид', en: 'Type' }, width: 22, labels: TYPE_LABELS, value: (row) => row.document.type },
    { key: 'number', header: { ru: 'Номер', en: 'Number' }, width: 16, value: (row) => row.document.number },
    { key: 'date', header: { ru: 'Дата', en: 'Date' }, type: 'date', value: (row) => row.document.date },
    { key: 'title', header: { ru: 'Наименование', en: 'Title' }, width: 40, value: (row) => row.document.title },
    { key: 'counterparty', header: { ru: 'Контрагент', en: 'Counterparty' }, width: 30, value: (row) => row.counterpartyName },
    { key: 'counterpartyInn', header: { ru: 'ИНН контрагента', en: 'Counterparty INN' }, width: 14, value: (row) => row.counterpartyInn },
    { key: 'amount', header: { ru: 'Сумма', en: 'Amount' }, type: 'money', value: (row) => row.document.amountMinor },
    { key: 'currency', header: { ru: 'Валюта', en: 'Currency' }, width: 8, value: (row) => (row.document.amountMinor === null ? null : row.document.currency) },
    { key: 'status', header: { ru: 'Статус', en: 'Status' }, width: 16, labels: STATUS_LABELS, value: (row) => row.document.status },
    { key: 'author', header: { ru: 'Автор', en: 'Author' }, value: (row) => row.authorName },
    { key: 'registeredAt', header: { ru: 'Зарегистрирован', en: 'Registered' }, type: 'datetime', value: (row) => row.document.registeredAt },
    { key: 'createdAt', header: { ru: 'Создан', en: 'Created' }, type: 'datetime', value: (row) => row.document.createdAt },
  ],
  async page(context, filter, { first, after, withTotal }) {
    const connection = await new DocumentService(context).list(filter, { first, after, withTotal });
    return {
      rows: await rowsOf(context, connection.edges.map((edge) => edge.node)),
      endCursor: connection.pageInfo.endCursor,
      hasNextPage: connection.pageInfo.hasNextPage,
      totalCount: connection.totalCount,
    };
  },
};
