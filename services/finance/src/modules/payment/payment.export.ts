import { CounterpartyRef, type SubgraphContext } from '@kartoteka/kit';
import type { ExportRegistry } from '@kartoteka/kit/export';
import { PaymentDirection, PaymentMatchStatus, type Payment } from './payment.entity';
import { PaymentFilter } from './payment.input';
import { PaymentService } from './payment.service';

/** A payment of the export with the name of the counterparty it is matched to (finance's read model). */
export type PaymentExportRow = { payment: Payment; counterpartyName: string | null };

type PaymentExportFilter = Pick<PaymentFilter, 'counterpartyId' | 'direction' | 'matchStatus' | 'dateFrom' | 'dateTo' | 'statementImportId' | 'search'>;

const DIRECTION_LABELS = {
  ru: { INCOMING: 'Поступление', OUTGOING: 'Списание' },
  en: { INCOMING: 'Incoming', OUTGOING: 'Outgoing' },
} satisfies Record<'ru' | 'en', Record<PaymentDirection, string>>;

const MATCH_LABELS = {
  ru: { MATCHED: 'Сопоставлен', AMBIGUOUS: 'Неоднозначно', UNMATCHED: 'Не сопоставлен' },
  en: { MATCHED: 'Matched', AMBIGUOUS: 'Ambiguous', UNMATCHED: 'Unmatched' },
} satisfies Record<'ru' | 'en', Record<PaymentMatchStatus, string>>;

async function rowsOf(context: SubgraphContext, payments: Payment[]): Promise<PaymentExportRow[]> {
  const ids = [...new Set(payments.map((payment) => payment.counterpartyId).filter((id): id is string => id !== null))];
  const refs = ids.length ? await context.em.find(CounterpartyRef, { id: { $in: ids } }) : [];
  const nameOf = new Map(refs.map((ref) => [ref.id, ref.shortName ?? ref.name]));
  return payments.map((payment) => ({ payment, counterpartyName: payment.counterpartyId ? (nameOf.get(payment.counterpartyId) ?? null) : null }));
}

/**
 * The payments registry as XLSX / CSV (`GET /rest/finance/exports/payments.xlsx|csv` through the gateway): the
 * filters of the `payments(filter:)` query, newest first, read page by page through the same PaymentService.list.
 */
export const paymentsExport: ExportRegistry<PaymentExportFilter, PaymentExportRow> = {
  name: 'payments',
  permission: 'finance:read',
  argumentsType: PaymentFilter,
  filters: {
    counterpartyId: { type: 'uuid' },
    direction: { type: 'enum', values: Object.values(PaymentDirection) },
    matchStatus: { type: 'enum', values: Object.values(PaymentMatchStatus) },
    dateFrom: { type: 'date' },
    dateTo: { type: 'date' },
    statementImportId: { type: 'uuid' },
    search: { type: 'text', max: 200 },
  },
  title: { ru: 'Платежи', en: 'Payments' },
  columns: [
    { key: 'date', header: { ru: 'Дата', en: 'Date' }, type: 'date', value: (row) => row.payment.date },
    { key: 'number', header: { ru: 'Номер', en: 'Number' }, width: 10, value: (row) => row.payment.number },
    { key: 'direction', header: { ru: 'Направление', en: 'Direction' }, width: 14, labels: DIRECTION_LABELS, value: (row) => row.payment.direction },
    { key: 'amount', header: { ru: 'Сумма', en: 'Amount' }, type: 'money', value: (row) => row.payment.amountMinor },
    { key: 'currency', header: { ru: 'Валюта', en: 'Currency' }, width: 8, value: (row) => row.payment.currency },
    { key: 'payerName', header: { ru: 'Плательщик', en: 'Payer' }, width: 30, value: (row) => row.payment.payerName },
    { key: 'payerInn', header: { ru: 'ИНН плательщика', en: 'Payer INN' }, width: 14, value: (row) => row.payment.payerInn },
    { key: 'payerAccount', header: { ru: 'Счёт плательщика', en: 'Payer account' }, width: 22, value: (row) => row.payment.payerAccount },
    { key: 'payeeName', header: { ru: 'Получатель', en: 'Payee' }, width: 30, value: (row) => row.payment.payeeName },
    { key: 'payeeInn', header: { ru: 'ИНН получателя', en: 'Payee INN' }, width: 14, value: (row) => row.payment.payeeInn },
    { key: 'payeeAccount', header: { ru: 'Счёт получателя', en: 'Payee account' }, width: 22, value: (row) => row.payment.payeeAccount },
    { key: 'purpose', header: { ru: 'Назначение платежа', en: 'Purpose' }, width: 50, value: (row) => row.payment.purpose },
    { key: 'matchStatus', header: { ru: 'Сопоставление', en: 'Match' }, width: 16, labels: MATCH_LABELS, value: (row) => row.payment.matchStatus },
    { key: 'counterparty', header: { ru: 'Контрагент', en: 'Counterparty' }, width: 30, value: (row) => row.counterpartyName },
  ],
  async page(context, filter, { first, after, withTotal }) {
    const connection = await new PaymentService(context).list(filter, { first, after, withTotal });
    return {
      rows: await rowsOf(context, connection.edges.map((edge) => edge.node)),
      endCursor: connection.pageInfo.endCursor,
      hasNextPage: connection.pageInfo.hasNextPage,
      totalCount: connection.totalCount,
    };
  },
};
