import type { CaseDefinition } from './case-template.definition';

/**
 * The default template «Продажа»: the sales pipeline deals had before templates (same stage codes), part
 * of every install. Fixed ids, so installing it is idempotent and deals created without a template (and
 * deals from before templates) land on its version 1.
 */
export const DEFAULT_TEMPLATE_ID = '5a1e5000-7e3f-4000-8000-000000000001';
export const DEFAULT_TEMPLATE_VERSION_ID = '5a1e5000-7e3f-4000-8000-000000000101';
export const DEFAULT_TEMPLATE_NAME = 'Продажа';
export const DEFAULT_TEMPLATE_DESCRIPTION = 'Стандартная воронка продаж: от лида до договора';

export const DEFAULT_DEFINITION: CaseDefinition = {
  stages: [
    {
      key: 'lead',
      name: 'Лид',
      probability: 10,
      outcome: 'OPEN',
      requiredFields: [],
      actions: [{ key: 'first-call', kind: 'CALL', title: 'Позвонить и выявить потребность', assignee: { type: 'OWNER' }, dueOffsetDays: 2, required: false }],
    },
    {
      key: 'qualification',
      name: 'Квалификация',
      probability: 25,
      outcome: 'OPEN',
      requiredFields: ['need'],
      actions: [{ key: 'meeting', kind: 'MEETING', title: 'Встретиться с лицом, принимающим решение', assignee: { type: 'OWNER' }, dueOffsetDays: 7, required: false }],
    },
    {
      key: 'proposal',
      name: 'Коммерческое предложение',
      probability: 50,
      outcome: 'OPEN',
      requiredFields: [],
      actions: [{ key: 'send-offer', kind: 'SEND_OFFER', title: 'Отправить коммерческое предложение', assignee: { type: 'OWNER' }, dueOffsetDays: 3, required: false }],
    },
    {
      key: 'negotiation',
      name: 'Переговоры',
      probability: 75,
      outcome: 'OPEN',
      requiredFields: [],
      actions: [
        { key: 'prepare-contract', kind: 'PREPARE_CONTRACT', title: 'Подготовить договор', assignee: { type: 'OWNER' }, dueOffsetDays: 5, required: false },
        { key: 'approve-contract', kind: 'REQUEST_APPROVAL', title: 'Согласовать договор', assignee: { type: 'OWNER' }, dueOffsetDays: 10, required: false },
      ],
    },
    {
      key: 'won',
      name: 'Успешно реализована',
      probability: 100,
      outcome: 'WON',
      requiredFields: [],
      actions: [{ key: 'handover', kind: 'TASK', title: 'Передать сделку в исполнение', assignee: { type: 'OWNER' }, dueOffsetDays: 2, required: false }],
    },
    { key: 'lost', name: 'Закрыта и не реализована', probability: 0, outcome: 'LOST', requiredFields: [], actions: [] },
  ],
  form: {
    fields: [
      {
        key: 'source',
        label: 'Источник',
        type: 'SELECT',
        required: false,
        options: [
          { value: 'website', label: 'Сайт' },
          { value: 'call', label: 'Входящий звонок' },
          { value: 'referral', label: 'Рекомендация' },
          { value: 'exhibition', label: 'Выставка' },
          { value: 'tender', label: 'Тендер' },
        ],
      },
      { key: 'need', label: 'Потребность клиента', type: 'LONG_TEXT', required: false, maxLength: 4000 },
      { key: 'decisionMaker', label: 'Лицо, принимающее решение', type: 'CONTACT', required: false },
      { key: 'competitors', label: 'Конкуренты', type: 'TEXT', required: false, maxLength: 500 },
    ],
    sections: [
      { title: 'Квалификация', fields: ['source', 'need', 'decisionMaker'] },
      { title: 'Конкурентная среда', fields: ['competitors'] },
    ],
  },
};
