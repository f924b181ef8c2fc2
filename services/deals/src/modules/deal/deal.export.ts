import { CounterpartyRef, UserRef, type SubgraphContext } from '@kartoteka/kit';
import type { ExportRegistry } from '@kartoteka/kit/export';
import { CaseTemplate } from '../case-template/case-template.entity';
import { DealStatus, type Deal } from './deal.entity';
import { DealSort, DealsArgs } from './deal.input';
import { DealService, type DealFilter } from './deal.service';

/** A deal of the export with the names its row shows (template, stage, counterparty, owner). */
export type DealExportRow = { deal: Deal; templateName: string | null; stageName: string | null; counterpartyName: string | null; ownerName: string | null };

type DealExportFilter = Omit<DealFilter, 'stage'>;

const STATUS_LABELS = {
  ru: { OPEN: 'Открыта', WON: 'Выиграна', LOST: 'Проиграна' },
  en: { OPEN: 'Open', WON: 'Won', LOST: 'Lost' },
} satisfies Record<'ru' | 'en', Record<DealStatus, string>>;

/**
 * The names of one page: the stages from the template versions the deals run on (batched per request, as the
 * list's own field resolvers load them), templates, counterparties and owners in one query each.
 */
async function rowsOf(context: SubgraphContext, deals: Deal[]): Promise<DealExportRow[]> {
  const service = new DealService(context);
  const versions = await Promise.all(deals.map((deal) => service.versionOf(deal)));
  const templateIds = [...new Set(versions.map((version) => version.templateId))];
  const counterpartyIds = [...new Set(deals.map((deal) => deal.counterpartyId))];
  const ownerIds = [...new Set(deals.map((deal) => deal.ownerId).filter((id): id is string => id !== null))];
  const [templates, counterparties, owners] = await Promise.all([
    templateIds.length ? context.em.find(CaseTemplate, { id: { $in: templateIds } }, { fields: ['id', 'name'] }) : Promise.resolve([]),
    counterpartyIds.length ? context.em.find(CounterpartyRef, { id: { $in: counterpartyIds } }) : Promise.resolve([]),
    ownerIds.length ? context.em.find(UserRef, { id: { $in: ownerIds } }, { fields: ['id', 'name'] }) : Promise.resolve([]),
  ]);
  const templateName = new Map(templates.map((template) => [template.id, template.name]));
  const counterpartyName = new Map(counterparties.map((ref) => [ref.id, ref.shortName ?? ref.name]));
  const ownerName = new Map(owners.map((user) => [user.id, user.name]));
  return deals.map((deal, index) => ({
    deal,
    templateName: templateName.get(versions[index].templateId) ?? null,
    stageName: versions[index].definition.stages.find((stage) => stage.key === deal.stageKey)?.name ?? deal.stageKey,
    counterpartyName: counterpartyName.get(deal.counterpartyId) ?? null,
    ownerName: deal.ownerId ? (ownerName.get(deal.ownerId) ?? null) : null,
  }));
}

/**
 * The deals list as XLSX / CSV (`GET /rest/deals/exports/deals.xlsx|csv` through the gateway): the filters and
 * order of the `deals` query, read page by page through the same DealService.list.
 */
export const dealsExport: ExportRegistry<DealExportFilter, DealExportRow> = {
  name: 'deals',
  permission: 'deals:read',
  argumentsType: DealsArgs,
  filters: {
    templateId: { type: 'uuid' },
    stageKey: { type: 'text', max: 50 },
    status: { type: 'enum', values: Object.values(DealStatus) },
    ownerId: { type: 'uuid' },
    counterpartyId: { type: 'uuid' },
    search: { type: 'text', max: 200 },
    sort: { type: 'enum', values: Object.values(DealSort) },
    direction: { type: 'enum', values: ['ASC', 'DESC'] },
  },
  title: { ru: 'Сделки', en: 'Deals' },
  columns: [
    { key: 'title', header: { ru: 'Название', en: 'Title' }, width: 40, value: (row) => row.deal.title },
    { key: 'counterparty', header: { ru: 'Контрагент', en: 'Counterparty' }, width: 30, value: (row) => row.counterpartyName },
    { key: 'template', header: { ru: 'Шаблон', en: 'Template' }, value: (row) => row.templateName },
    { key: 'stage', header: { ru: 'Этап', en: 'Stage' }, value: (row) => row.stageName },
    { key: 'status', header: { ru: 'Статус', en: 'Status' }, width: 12, labels: STATUS_LABELS, value: (row) => row.deal.status },
    { key: 'amount', header: { ru: 'Сумма', en: 'Amount' }, type: 'money', value: (row) => row.deal.amountMinor },
    { key: 'currency', header: { ru: 'Валюта', en: 'Currency' }, width: 8, value: (row) => (row.deal.amountMinor === null ? null : row.deal.currency) },
    { key: 'owner', header: { ru: 'Ответственный', en: 'Owner' }, value: (row) => row.ownerName },
    { key: 'expectedClose', header: { ru: 'Плановое закрытие', en: 'Expected close' }, type: 'date', value: (row) => row.deal.expectedCloseDate },
    { key: 'createdAt', header: { ru: 'Создана', en: 'Created' }, type: 'datetime', value: (row) => row.deal.createdAt },
    { key: 'updatedAt', header: { ru: 'Изменена', en: 'Updated' }, type: 'datetime', value: (row) => row.deal.updatedAt },
  ],
  async page(context, filter, { first, after, withTotal }) {
    const connection = await new DealService(context).list(filter, { first, after, withTotal });
    return {
      rows: await rowsOf(context, connection.edges.map((edge) => edge.node)),
      endCursor: connection.pageInfo.endCursor,
      hasNextPage: connection.pageInfo.hasNextPage,
      totalCount: connection.totalCount,
    };
  },
};
