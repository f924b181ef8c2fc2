import { RATING_GRADES, UserRef, type SubgraphContext } from '@kartoteka/kit';
import type { ExportRegistry } from '@kartoteka/kit/export';
import { CounterpartyRating } from '../rating/counterparty-rating.entity';
import { COUNTERPARTY_STATUSES, type Counterparty } from './counterparty.entity';
import { COUNTERPARTY_SORTS, CounterpartiesArgs } from './counterparty.input';
import type { CounterpartyListQuery } from './counterparty.repository';
import { CounterpartyService } from './counterparty.service';

/** A counterparty of the export with what its row shows besides its own columns. */
export type CounterpartyExportRow = { counterparty: Counterparty; managerName: string | null; ratingScore: number | null; ratingGrade: string | null };

type CounterpartyExportFilter = Pick<CounterpartyListQuery, 'search' | 'status' | 'minRating' | 'ratingGrades' | 'sort' | 'direction'>;

const STATUS_LABELS = {
  ru: { PROSPECT: 'Потенциальный', CLIENT: 'Клиент', SUPPLIER: 'Поставщик', PARTNER: 'Партнёр', ARCHIVED: 'В архиве' },
  en: { PROSPECT: 'Prospect', CLIENT: 'Client', SUPPLIER: 'Supplier', PARTNER: 'Partner', ARCHIVED: 'Archived' },
};

const KIND_LABELS = {
  ru: { LEGAL_ENTITY: 'Юридическое лицо', SOLE_PROPRIETOR: 'Индивидуальный предприниматель', INDIVIDUAL: 'Физическое лицо' },
  en: { LEGAL_ENTITY: 'Legal entity', SOLE_PROPRIETOR: 'Sole proprietor', INDIVIDUAL: 'Individual' },
};

/** The responsible managers' names (staff read model) and the ratings of one page: two queries a page. */
async function rowsOf(context: SubgraphContext, counterparties: Counterparty[]): Promise<CounterpartyExportRow[]> {
  const managerIds = [...new Set(counterparties.map((c) => c.responsibleManagerId).filter((id): id is string => id !== null))];
  const ids = counterparties.map((c) => c.id);
  const [managers, ratings] = await Promise.all([
    managerIds.length ? context.em.find(UserRef, { id: { $in: managerIds } }, { fields: ['id', 'name'] }) : Promise.resolve([]),
    ids.length ? context.em.find(CounterpartyRating, { counterpartyId: { $in: ids } }) : Promise.resolve([]),
  ]);
  const nameOf = new Map(managers.map((user) => [user.id, user.name]));
  const ratingOf = new Map(ratings.map((rating) => [rating.counterpartyId, rating]));
  return counterparties.map((counterparty) => {
    const rating = ratingOf.get(counterparty.id);
    return {
      counterparty,
      managerName: counterparty.responsibleManagerId ? (nameOf.get(counterparty.responsibleManagerId) ?? null) : null,
      ratingScore: rating?.score === null || rating?.score === undefined ? null : Number(rating.score),
      ratingGrade: rating?.grade ?? null,
    };
  });
}

/**
 * The counterparties list as XLSX / CSV (`GET /rest/counterparties/exports/counterparties.xlsx|csv` through
 * the gateway): the filters and order of the `counterparties` query, read page by page through the same
 * service and repository the list uses.
 */
export const counterpartiesExport: ExportRegistry<CounterpartyExportFilter, CounterpartyExportRow> = {
  name: 'counterparties',
  permission: 'counterparties:read',
  argumentsType: CounterpartiesArgs,
  filters: {
    search: { type: 'text', max: 200 },
    status: { type: 'enum', values: COUNTERPARTY_STATUSES },
    minRating: { type: 'number', min: 0, max: 100 },
    ratingGrades: { type: 'enum-list', values: RATING_GRADES, max: 4 },
    sort: { type: 'enum', values: COUNTERPARTY_SORTS },
    direction: { type: 'enum', values: ['ASC', 'DESC'] },
  },
  title: { ru: 'Контрагенты', en: 'Counterparties' },
  columns: [
    { key: 'name', header: { ru: 'Полное наименование', en: 'Full name' }, width: 40, value: (row) => row.counterparty.name },
    { key: 'shortName', header: { ru: 'Краткое наименование', en: 'Short name' }, width: 28, value: (row) => row.counterparty.shortName },
    { key: 'kind', header: { ru: 'Тип', en: 'Kind' }, labels: KIND_LABELS, value: (row) => row.counterparty.kind },
    { key: 'status', header: { ru: 'Статус', en: 'Status' }, width: 14, labels: STATUS_LABELS, value: (row) => row.counterparty.status },
    { key: 'inn', header: { ru: 'ИНН', en: 'INN' }, width: 14, value: (row) => row.counterparty.inn },
    { key: 'kpp', header: { ru: 'КПП', en: 'KPP' }, width: 11, value: (row) => row.counterparty.kpp },
    { key: 'ogrn', header: { ru: 'ОГРН / ОГРНИП', en: 'OGRN / OGRNIP' }, width: 17, value: (row) => row.counterparty.ogrn },
    { key: 'legalAddress', header: { ru: 'Юридический адрес', en: 'Legal address' }, width: 40, value: (row) => row.counterparty.legalAddress },
    { key: 'postalAddress', header: { ru: 'Почтовый адрес', en: 'Postal address' }, width: 40, value: (row) => row.counterparty.postalAddress },
    { key: 'tags', header: { ru: 'Теги', en: 'Tags' }, value: (row) => row.counterparty.tags.join(', ') },
    { key: 'manager', header: { ru: 'Ответственный менеджер', en: 'Responsible manager' }, value: (row) => row.managerName },
    { key: 'ratingScore', header: { ru: 'Рейтинг', en: 'Rating' }, type: 'number', width: 9, value: (row) => row.ratingScore },
    { key: 'ratingGrade', header: { ru: 'Класс рейтинга', en: 'Rating grade' }, width: 9, value: (row) => row.ratingGrade },
    { key: 'createdAt', header: { ru: 'Создан', en: 'Created' }, type: 'datetime', value: (row) => row.counterparty.createdAt },
    { key: 'updatedAt', header: { ru: 'Изменён', en: 'Updated' }, type: 'datetime', value: (row) => row.counterparty.updatedAt },
  ],
  async page(context, filter, { first, after, withTotal }) {
    const connection = await new CounterpartyService(context).list({ ...filter, first, after, withTotal });
    return {
      rows: await rowsOf(context, connection.edges.map((edge) => edge.node)),
      endCursor: connection.pageInfo.endCursor,
      hasNextPage: connection.pageInfo.hasNextPage,
      totalCount: connection.totalCount,
    };
  },
};
