import fc from 'fast-check';
import { makeInn10, makeOgrn } from '@kartoteka/kit/requisites';
import type { ValuePools } from './api-arbitraries';

const pick = (values: string[] | undefined): fc.Arbitrary<string> => fc.constantFrom(...(values?.length ? values : ['00000000-0000-4000-8000-000000000000']));
const serial = fc.integer({ min: 0, max: 9_999_999 }).map((n) => String(n).padStart(7, '0'));
const futureDate = fc.integer({ min: 0, max: 2_000 }).map((days) => new Date(Date.UTC(2027, 0, 1) + days * 86_400_000).toISOString().slice(0, 10));
const title = fc.constantFrom('Поставка оборудования', 'Договор № 15/24-П', 'Счёт № 7', 'Сопроводительное письмо');

/**
 * Valid variables for the operations that open the main flows (create a counterparty, a document, a deal, a
 * user; start and decide an approval …), built from the seeded ids. The fuzz sends them as they are, and
 * with one value somewhere inside replaced by a hostile one, so the hostile value meets the deepest
 * validation (an impossible `invoice.dueDate` in an otherwise valid document) instead of the first check.
 */
export function validRecipes(pools: ValuePools): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  const { ids } = pools;
  const definition = pools.json.length ? fc.constantFrom(...pools.json) : fc.constant({});
  return {
    createCounterparty: serial.map((digits) => ({
      input: {
        name: `ООО «Фаззинг ${digits}»`,
        kind: 'LEGAL_ENTITY',
        status: 'PROSPECT',
        inn: makeInn10(`77${digits}`),
        kpp: '770101001',
        ogrn: makeOgrn(`10277${digits}`),
        legalAddress: '101000, г. Москва, ул. Мясницкая, д. 1',
        contacts: [{ name: 'Иван Петров', position: 'Директор', email: 'ivan@example.ru', phone: '+7 495 000-00-00' }],
        bankAccounts: [{ bankName: 'ПАО Сбербанк', bik: '044525225', account: '40702810638000000000', correspondentAccount: '30101810400000000225' }],
      },
    })),
    updateCounterparty: fc.record({ id: pick(ids.counterparty), version: fc.integer({ min: 1, max: 4 }), name: title, tags: fc.constant(['vip']) }).map((input) => ({ input })),
    createDocument: fc.oneof(
      fc.record({ counterpartyId: pick(ids.counterparty), title, amountMinor: fc.integer({ min: 0, max: 10_000_000 }), dueDate: futureDate }).map(({ dueDate, ...input }) => ({ input: { ...input, type: 'INVOICE', invoice: { dueDate, vatMinor: 0 } } })),
      fc.record({ counterpartyId: pick(ids.counterparty), title, startDate: futureDate, fileIds: fc.constant(ids.file ?? []) }).map(({ startDate, ...input }) => ({ input: { ...input, type: 'CONTRACT', contract: { subject: 'Поставка', startDate, endDate: '2035-12-31' } } })),
      fc.record({ counterpartyId: pick(ids.counterparty), title, dealId: pick(ids.deal), date: futureDate }).map((input) => ({ input: { ...input, type: 'OTHER' } })),
    ),
    createDeal: fc.record({ counterpartyId: pick(ids.counterparty), title, amountMinor: fc.integer({ min: 0, max: 10_000_000 }), expectedCloseDate: futureDate }).map((input) => ({ input })),
    updateDeal: fc.record({ id: pick(ids.deal), version: fc.integer({ min: 1, max: 4 }), title, amountMinor: fc.integer({ min: 0, max: 10_000_000 }), formData: fc.constant({ budget: 100 }) }).map((input) => ({ input })),
    createUser: serial.map((digits) => ({ input: { email: `fuzz-${digits}@example.com`, name: 'Fuzz User', password: 'a-long-enough-password', roles: ['VIEWER'] } })),
    createApiKey: fc.record({ name: title, scopes: fc.constant(['counterparties:read']), rateLimitPerMinute: fc.integer({ min: 1, max: 1000 }) }).map((input) => ({ input })),
    createCaseTemplate: fc.record({ name: title, definition }).map((input) => ({ input })),
    updateCaseTemplateDraft: fc.record({ id: pick(ids.caseTemplate), draftVersion: fc.integer({ min: 1, max: 3 }), definition }).map((input) => ({ input })),
    importCaseTemplate: fc.record({ document: pools.templateFiles.length ? fc.constantFrom(...pools.templateFiles) : definition, name: title }).map((input) => ({ input })),
    previewCaseTemplate: definition.map((json) => ({ definition: json })),
    dealAnalytics: fc.record({ templateId: pick(ids.caseTemplate), from: futureDate, to: futureDate }),
    startApproval: fc.record({ documentId: pick(ids.document), routeTemplateId: pick(ids.routeTemplate) }).map((input) => ({ input })),
    approveStep: fc.record({ stepId: pick(ids.step), comment: title }).map((input) => ({ input })),
    rejectStep: fc.record({ stepId: pick(ids.step), comment: title }).map((input) => ({ input })),
    requestAcknowledgement: fc.record({ documentId: pick(ids.document), userIds: fc.constant(ids.user?.slice(0, 2) ?? []), deadline: futureDate, comment: title }).map((input) => ({ input })),
    completeDealAction: fc.record({ id: pick(ids.dealAction), comment: title }).map((input) => ({ input })),
  };
}
