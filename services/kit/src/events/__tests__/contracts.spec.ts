import {
  COUNTERPARTY_TOPICS,
  counterpartyUpsertedContract,
  dealApprovalRequestedContract,
  dealDocumentNewsContract,
  dealDocumentRequestedContract,
  parseUserUpserted,
  userUpsertedContract,
} from '../contracts';

const ID = '7F1C2B7E-3D4A-4E8F-9A0B-1C2D3E4F5A6B';
const at = '2026-12-06T01:02:03.456Z';
const parse = <T>(contract: { parse: (event: { payload: Record<string, never> }) => T }, payload: Record<string, unknown>) => contract.parse({ payload: payload as Record<string, never> });

describe('event contracts', () => {
  it('counterparties: the whole state, ids lower-cased, missing nullable fields read as null', () => {
    expect(COUNTERPARTY_TOPICS).toEqual(['counterparties.counterparty.created', 'counterparties.counterparty.changed', 'counterparties.counterparty.archived', 'counterparties.counterparty.restored', 'counterparties.counterparty.republished']);
    expect(parse(counterpartyUpsertedContract, { id: ID, name: 'ООО «Ромашка»', inn: '7707083893', status: 'CLIENT', updatedAt: at, extra: 1 })).toEqual({
      ok: true,
      value: { id: ID.toLowerCase(), name: 'ООО «Ромашка»', shortName: null, inn: '7707083893', kpp: null, status: 'CLIENT', updatedAt: at, extra: 1 },
    });
    const valid = { id: ID, name: 'ООО «Ромашка»', shortName: 'Ромашка', inn: '7707083893', kpp: '770701001', status: 'CLIENT', updatedAt: at };
    for (const broken of [{ id: 'x' }, { name: '' }, { name: 5 }, { inn: '123' }, { kpp: 'short' }, { status: 'lower' }, { updatedAt: 'yesterday' }, { updatedAt: '2026-02-30T00:00:00Z' }]) {
      const result = parse(counterpartyUpsertedContract, { ...valid, ...broken });
      expect(result.ok).toBe(false);
    }
    const missing = parse(counterpartyUpsertedContract, { ...valid, inn: undefined });
    expect(missing).toEqual({ ok: false, error: expect.stringMatching(/inn/) });
  });

  it('identity: parseUserUpserted keeps its null-on-malformed contract', () => {
    const user = { id: ID, email: 'a@b.c', name: 'Анна', roles: ['ADMIN'], active: true, updatedAt: at };
    expect(parseUserUpserted({ payload: user })).toEqual({ ...user, id: ID.toLowerCase() });
    expect(parseUserUpserted({ payload: { ...user, roles: 'ADMIN' } })).toBeNull();
    expect(parseUserUpserted({ payload: { ...user, active: 'yes' } })).toBeNull();
    expect(userUpsertedContract.parse({ payload: { ...user, updatedAt: '2026-13-01T00:00:00Z' } }).ok).toBe(false);
  });

  it('deals → documents: requests with their rules, one declaration for both services', () => {
    const request = { dealId: ID, actionId: ID, counterpartyId: ID, documentType: 'CONTRACT', title: '  Договор  ', requestedById: null, amountMinor: 100, currency: 'RUB' };
    expect(parse(dealDocumentRequestedContract, request)).toEqual({ ok: true, value: { ...request, dealId: ID.toLowerCase(), actionId: ID.toLowerCase(), counterpartyId: ID.toLowerCase(), title: 'Договор' } });
    for (const broken of [{ documentType: 'ACT' }, { title: '   ' }, { amountMinor: 1.5 }, { amountMinor: -1 }, { amountMinor: 2 ** 53 }, { currency: 'rub' }, { counterpartyId: 'x' }]) {
      expect(parse(dealDocumentRequestedContract, { ...request, ...broken }).ok).toBe(false);
    }
    expect(parse(dealApprovalRequestedContract, { dealId: ID, actionId: ID, documentId: ID })).toEqual({ ok: true, value: { dealId: ID.toLowerCase(), actionId: ID.toLowerCase(), documentId: ID.toLowerCase(), requestedById: null } });
    expect(parse(dealApprovalRequestedContract, { dealId: ID, actionId: ID }).ok).toBe(false);
  });

  it('documents → deals: news of a deal\'s document', () => {
    expect(parse(dealDocumentNewsContract, { documentId: ID, dealId: ID, status: 'SIGNED', error: '' })).toEqual({ ok: true, value: { documentId: ID.toLowerCase(), dealId: ID.toLowerCase(), actionId: null, documentType: null, status: 'SIGNED', error: null } });
    expect(parse(dealDocumentNewsContract, { documentId: 'x', dealId: ID, status: 'DRAFT' }).ok).toBe(false);
    expect(parse(dealDocumentNewsContract, { documentId: ID, dealId: ID, status: '' }).ok).toBe(false);
  });
});
