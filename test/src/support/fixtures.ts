import { makeInn10, makeOgrn } from '@kartoteka/kit/requisites';

let sequence = 0;

/** A valid legal-entity input with a fresh INN (and matching OGRN) on every call. */
export function legalEntityInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1;
  // 7 digits: the time and the sequence of this process (up to 1 000 distinct INNs per spec file)
  const serial = String(Date.now() % 1e4).padStart(4, '0') + String(sequence % 1000).padStart(3, '0');
  const inn = makeInn10(`77${serial}`);
  return {
    name: `ООО «Тестовая Компания ${sequence}»`,
    kind: 'LEGAL_ENTITY',
    status: 'CLIENT',
    inn,
    kpp: '770101001',
    ogrn: makeOgrn(`10277${serial}0`.slice(0, 12)),
    legalAddress: '101000, г. Москва, ул. Мясницкая, д. 1',
    contacts: [{ name: 'Иван Петров', position: 'Директор', email: 'ivan@example.ru', phone: '+7 495 000-00-00' }],
    bankAccounts: [{ bankName: 'ПАО Сбербанк', bik: '044525225', account: '40702810638000000000', correspondentAccount: '30101810400000000225' }],
    ...overrides,
  };
}

export const CREATE_COUNTERPARTY = 'mutation($input: CreateCounterpartyInput!) { createCounterparty(input: $input) { id name version inn kpp } }';
export const CREATE_DOCUMENT = 'mutation($input: CreateDocumentInput!) { createDocument(input: $input) { id title } }';
export const CREATE_DEAL = 'mutation($input: CreateDealInput!) { createDeal(input: $input) { id title } }';

export const CARD_QUERY = `query Card($id: ID!) {
  counterparty(id: $id) {
    id name kind status inn kpp ogrn version
    responsibleManager { id name }
    contacts { name email }
    bankAccounts { bik account }
    history(first: 5) { totalCount edges { node { action actor { name } changes { field from to } } } }
    documents(first: 20) { totalCount edges { node { id type number title status amount { minor currency } author { name } } } }
    deals(first: 20) { totalCount edges { node { id title stage amount { minor currency } owner { name } } } }
  }
}`;

/**
 * The card's finance panel as the portal's finance app asks for it (frontends/finance, CounterpartyFinancePanel):
 * balances, contracts' execution, months, and the rating with its factors, evidence and history.
 */
export const FINANCE_PANEL_QUERY = `query FinancePanel($id: ID!) {
  counterparty(id: $id) {
    id
    finance {
      currency receivable { minor currency } payable { minor currency } overdue { minor currency } overdueDays
      lastPayment { id direction number date amount { minor currency } }
      contracts { contractId direction termsSet status currency contracted { minor } invoiced { minor } delivered { minor } paid { minor } outstanding { minor } overdue { minor } overdueDays nextDueDate }
      months { month invoiced { minor } paid { minor } }
    }
    rating {
      score grade computedAt methodVersion
      factors { code weight value contribution explanation evidence { kind documentId paymentId label amount { minor currency } date note } }
      history { score grade methodVersion computedAt }
    }
  }
}`;
