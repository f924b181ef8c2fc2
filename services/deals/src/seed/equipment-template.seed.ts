import type { CaseDefinition, FormField } from '../modules/case-template/case-template.definition';

/** The demo's second template: equipment supply, with a form using every field type. Fixed ids. */
export const EQUIPMENT_TEMPLATE_ID = '5a1e5000-7e3f-4000-8000-000000000002';
export const EQUIPMENT_VERSION_IDS = ['5a1e5000-7e3f-4000-8000-000000000201', '5a1e5000-7e3f-4000-8000-000000000202'] as const;
export const EQUIPMENT_TEMPLATE_NAME = 'Поставка оборудования';

const TENDER_FIELD: FormField = { key: 'tenderNumber', label: 'Номер закупки', type: 'TEXT', required: false, pattern: '^[0-9]{11,19}$' };

function definition(withTender: boolean): CaseDefinition {
  return {
    stages: [
      {
        key: 'request',
        name: 'Заявка',
        probability: 10,
        outcome: 'OPEN',
        requiredFields: [],
        actions: [{ key: 'clarify', kind: 'CALL', title: 'Уточнить состав и количество оборудования', assignee: { type: 'OWNER' }, dueOffsetDays: 1, required: true }],
      },
      {
        key: 'survey',
        name: 'Обследование площадки',
        probability: 30,
        outcome: 'OPEN',
        requiredFields: ['quantity', 'siteAddress'],
        actions: [
          { key: 'site-visit', kind: 'MEETING', title: 'Выезд инженера на площадку', assignee: { type: 'OWNER' }, dueOffsetDays: 5, required: true },
          { key: 'specification', kind: 'TASK', title: 'Составить спецификацию', assignee: { type: 'OWNER' }, dueOffsetDays: 7, required: false },
        ],
      },
      {
        key: 'offer',
        name: 'Спецификация и КП',
        probability: 50,
        outcome: 'OPEN',
        requiredFields: ['budget', 'deliveryDate'],
        actions: [{ key: 'send-offer', kind: 'SEND_OFFER', title: 'Отправить коммерческое предложение', assignee: { type: 'OWNER' }, dueOffsetDays: 3, required: true, templateCode: 'commercial-offer' }],
      },
      {
        key: 'contract',
        name: 'Договор',
        probability: 80,
        outcome: 'OPEN',
        requiredFields: [],
        actions: [
          { key: 'prepare-contract', kind: 'PREPARE_CONTRACT', title: 'Подготовить договор поставки', assignee: { type: 'OWNER' }, dueOffsetDays: 3, required: true, templateCode: 'supply-contract' },
          { key: 'approve-contract', kind: 'REQUEST_APPROVAL', title: 'Согласовать договор', assignee: { type: 'OWNER' }, dueOffsetDays: 7, required: false },
        ],
      },
      {
        key: 'delivered',
        name: 'Поставлено',
        probability: 100,
        outcome: 'WON',
        requiredFields: [],
        actions: [{ key: 'acceptance', kind: 'TASK', title: 'Подписать акт приёма-передачи', assignee: { type: 'OWNER' }, dueOffsetDays: 5, required: false }],
      },
      { key: 'lost', name: 'Отказ', probability: 0, outcome: 'LOST', requiredFields: [], actions: [] },
    ],
    form: {
      fields: [
        {
          key: 'equipmentType',
          label: 'Тип оборудования',
          type: 'SELECT',
          required: true,
          options: [
            { value: 'servers', label: 'Серверы' },
            { value: 'network', label: 'Сетевое оборудование' },
            { value: 'storage', label: 'Системы хранения данных' },
            { value: 'power', label: 'Источники бесперебойного питания' },
          ],
        },
        { key: 'quantity', label: 'Количество, шт.', type: 'NUMBER', required: false, min: 1, max: 10000 },
        {
          key: 'services',
          label: 'Дополнительные услуги',
          type: 'MULTI_SELECT',
          required: false,
          max: 4,
          options: [
            { value: 'installation', label: 'Монтаж' },
            { value: 'commissioning', label: 'Пусконаладка' },
            { value: 'training', label: 'Обучение персонала' },
            { value: 'support', label: 'Сервисная поддержка' },
          ],
        },
        { key: 'needsInstallation', label: 'Требуется монтаж на площадке', type: 'BOOLEAN', required: false },
        { key: 'budget', label: 'Бюджет заказчика', type: 'MONEY', required: false, min: 0 },
        { key: 'deliveryDate', label: 'Желаемая дата поставки', type: 'DATE', required: false },
        ...(withTender ? [TENDER_FIELD] : []),
        { key: 'siteAddress', label: 'Адрес площадки', type: 'TEXT', required: false, minLength: 5, maxLength: 300 },
        { key: 'contactPerson', label: 'Контактное лицо заказчика', type: 'CONTACT', required: false },
        { key: 'engineer', label: 'Ответственный инженер', type: 'USER', required: false },
        { key: 'specificationFile', label: 'Спецификация (файл)', type: 'FILE', required: false },
        { key: 'requirements', label: 'Технические требования', type: 'LONG_TEXT', required: false, maxLength: 4000 },
      ],
      sections: [
        { title: 'Оборудование', fields: ['equipmentType', 'quantity', 'services', 'needsInstallation'] },
        { title: 'Бюджет и сроки', fields: ['budget', 'deliveryDate', ...(withTender ? ['tenderNumber'] : [])] },
        { title: 'Площадка и контакты', fields: ['siteAddress', 'contactPerson', 'engineer'] },
        { title: 'Документы и требования', fields: ['specificationFile', 'requirements'] },
      ],
    },
  };
}

/** Version 1, and version 2 which added the procurement number. */
export const EQUIPMENT_DEFINITIONS: readonly CaseDefinition[] = [definition(false), definition(true)];
