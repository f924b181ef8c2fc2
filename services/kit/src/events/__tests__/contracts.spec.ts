import {
  COUNTERPARTY_TOPICS,
  counterpartyUpsertedContract,
  dealApprovalRequestedContract,
  dealDocumentNewsContract,
  dealDocumentRequestedContract,
  DOCUMENT_VERIFIED_CHANGED,
  documentSignedContract,
  OBLIGATION_OVERDUE,
  obligationOverdueContract,
  parseUserUpserted,
  RATING_CHANGED,
  ratingChangedContract,
  signedDocumentChangedContract,
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
      value: { id: ID.toLowerCase(), name: 'ООО «Ромашка»', shortName: null, inn: '7707083893', kpp: null, status: 'CLIENT', responsibleManagerId: null, updatedAt: at, extra: 1 },
    });
    const managed = parse(counterpartyUpsertedContract, { id: ID, name: 'ООО «Ромашка»', inn: '7707083893', status: 'CLIENT', responsibleManagerId: ID, updatedAt: at });
    expect(managed).toMatchObject({ ok: true, value: { responsibleManagerId: ID.toLowerCase() } });
    const valid = { id: ID, name: 'ООО «Ромашка»', shortName: 'Ромашка', inn: '7707083893', kpp: '770701001', status: 'CLIENT', updatedAt: at };
    for (const broken of [{ id: 'x' }, { name: '' }, { name: 5 }, { inn: '123' }, { kpp: 'short' }, { status: 'lower' }, { responsibleManagerId: 'someone' }, { updatedAt: 'yesterday' }, { updatedAt: '2026-02-30T00:00:00Z' }]) {
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
    expect(parse(dealDocumentRequestedContract, request)).toEqual({ ok: true, value: { ...request, dealId: ID.toLowerCase(), actionId: ID.toLowerCase(), counterpartyId: ID.toLowerCase(), title: 'Договор', templateCode: null, dealTitle: null } });
    // a producer before templates (no templateCode, dealTitle) is read with both null
    expect(parse(dealDocumentRequestedContract, { ...request, templateCode: 'supply-contract', dealTitle: 'Поставка' })).toMatchObject({ ok: true, value: { templateCode: 'supply-contract', dealTitle: 'Поставка' } });
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

  describe('documents.document.signed', () => {
    const old = { documentId: ID, documentType: 'CONTRACT', number: 'Д-1', counterpartyId: ID, dealId: null, actionId: null, status: 'SIGNED', signedAt: at, signedById: ID, amountMinor: 100, currency: 'RUB' };
    const extended = {
      ...old,
      documentType: 'ACT',
      title: 'Акт № 1',
      date: '2026-12-01',
      contractId: ID,
      invoiceId: ID,
      dueDate: '2026-12-31',
      startDate: '2024-02-29',
      endDate: '2027-01-01',
      periodEnd: '2026-11-30',
      responsibleId: ID,
    };
    const lowered = ID.toLowerCase();

    it('an event published before the finance fields still parses, the new fields read as null', () => {
      expect(parse(documentSignedContract, old)).toEqual({
        ok: true,
        value: {
          ...old,
          documentId: lowered,
          counterpartyId: lowered,
          signedById: lowered,
          title: null,
          date: null,
          contractId: null,
          invoiceId: null,
          dueDate: null,
          startDate: null,
          endDate: null,
          periodEnd: null,
          responsibleId: null,
        },
      });
    });

    it('carries the finance fields, ids lower-cased, explicit nulls kept', () => {
      expect(parse(documentSignedContract, extended)).toEqual({
        ok: true,
        value: { ...extended, documentId: lowered, counterpartyId: lowered, signedById: lowered, contractId: lowered, invoiceId: lowered, responsibleId: lowered },
      });
      const nulls = { title: null, date: null, contractId: null, invoiceId: null, dueDate: null, startDate: null, endDate: null, periodEnd: null, responsibleId: null };
      expect(parse(documentSignedContract, { ...extended, ...nulls })).toEqual({ ok: true, value: { ...old, documentType: 'ACT', documentId: lowered, counterpartyId: lowered, signedById: lowered, ...nulls } });
    });

    it('refuses malformed finance fields', () => {
      const broken: Record<string, unknown>[] = [
        { contractId: 'x' },
        { invoiceId: 42 },
        { responsibleId: '7f1c2b7e3d4a4e8f9a0b1c2d3e4f5a6b' },
        { title: 'x'.repeat(2001) },
        { title: 5 },
        { date: '2026-12-1' },
        { date: '01.12.2026' },
        { dueDate: '2026-02-30' },
        { startDate: '2025-02-29' },
        { endDate: '2026-13-01' },
        { periodEnd: '2026-12-01T00:00:00Z' },
        { signedAt: '2026-02-31T00:00:00Z' },
      ];
      for (const patch of broken) {
        const result = parse(documentSignedContract, { ...extended, ...patch });
        expect({ patch, ok: result.ok }).toEqual({ patch, ok: false });
      }
      expect(parse(documentSignedContract, { ...extended, dueDate: '2026-02-30' })).toEqual({ ok: false, error: 'dueDate is not a real date' });
    });
  });

  it('documents.document.verified-changed: the current state of a signed document', () => {
    const change = { documentId: ID, documentType: 'INVOICE', status: 'CANCELLED', contractId: ID, invoiceId: null, changedAt: at };
    expect(signedDocumentChangedContract.topics).toEqual([DOCUMENT_VERIFIED_CHANGED]);
    expect(DOCUMENT_VERIFIED_CHANGED).toBe('documents.document.verified-changed');
    expect(parse(signedDocumentChangedContract, change)).toEqual({ ok: true, value: { ...change, documentId: ID.toLowerCase(), contractId: ID.toLowerCase() } });
    expect(parse(signedDocumentChangedContract, { documentId: ID, documentType: 'ACT', status: 'EXECUTED', changedAt: at })).toEqual({
      ok: true,
      value: { documentId: ID.toLowerCase(), documentType: 'ACT', status: 'EXECUTED', contractId: null, invoiceId: null, changedAt: at },
    });
    for (const broken of [{ documentId: 'x' }, { status: '' }, { documentType: undefined }, { contractId: 'nope' }, { invoiceId: 1 }, { changedAt: '2026-12-06' }, { changedAt: '2026-11-31T00:00:00Z' }]) {
      expect(parse(signedDocumentChangedContract, { ...change, ...broken }).ok).toBe(false);
    }
  });

  it('finance.obligation.overdue', () => {
    const overdue = {
      obligationKey: `invoice:${ID}`,
      counterpartyId: ID,
      counterpartyName: 'ООО «Ромашка»',
      contractId: ID,
      documentId: ID,
      documentNumber: 'С-17',
      responsibleId: ID,
      direction: 'RECEIVABLE',
      amountMinor: 1_500_000,
      currency: 'RUB',
      dueDate: '2026-11-30',
      daysOverdue: 6,
    };
    const lowered = ID.toLowerCase();
    expect(obligationOverdueContract.topics).toEqual([OBLIGATION_OVERDUE]);
    expect(OBLIGATION_OVERDUE).toBe('finance.obligation.overdue');
    expect(parse(obligationOverdueContract, overdue)).toEqual({ ok: true, value: { ...overdue, counterpartyId: lowered, contractId: lowered, documentId: lowered, responsibleId: lowered } });
    const { contractId: _c, documentNumber: _n, responsibleId: _r, ...minimal } = overdue;
    expect(parse(obligationOverdueContract, minimal)).toEqual({ ok: true, value: { ...minimal, counterpartyId: lowered, documentId: lowered, contractId: null, documentNumber: null, responsibleId: null } });
    for (const broken of [
      { obligationKey: '' },
      { obligationKey: 'has space' },
      { counterpartyId: 'x' },
      { counterpartyName: '' },
      { documentId: undefined },
      { responsibleId: 'x' },
      { direction: 'INCOMING' },
      { amountMinor: 0 },
      { amountMinor: 1.5 },
      { amountMinor: 2 ** 53 },
      { currency: 'rub' },
      { dueDate: '2026-02-29' },
      { dueDate: '30.11.2026' },
      { daysOverdue: 0 },
      { daysOverdue: 'six' },
    ]) {
      const result = parse(obligationOverdueContract, { ...overdue, ...broken });
      expect({ broken, ok: result.ok }).toEqual({ broken, ok: false });
    }
  });

  it('finance.rating.changed', () => {
    const rating = { counterpartyId: ID, score: 87.5, grade: 'A', methodVersion: 2, computedAt: at };
    expect(ratingChangedContract.topics).toEqual([RATING_CHANGED]);
    expect(RATING_CHANGED).toBe('finance.rating.changed');
    expect(parse(ratingChangedContract, rating)).toEqual({ ok: true, value: { ...rating, counterpartyId: ID.toLowerCase() } });
    expect(parse(ratingChangedContract, { counterpartyId: ID, methodVersion: 1, computedAt: at })).toEqual({
      ok: true,
      value: { counterpartyId: ID.toLowerCase(), score: null, grade: null, methodVersion: 1, computedAt: at },
    });
    expect(parse(ratingChangedContract, { ...rating, score: null, grade: null }).ok).toBe(true);
    for (const broken of [{ counterpartyId: 'x' }, { score: 101 }, { score: -1 }, { score: '90' }, { grade: 'E' }, { grade: 'a' }, { grade: null }, { score: null }, { methodVersion: 0 }, { methodVersion: 1.5 }, { computedAt: '2026-02-30T00:00:00Z' }]) {
      const result = parse(ratingChangedContract, { ...rating, ...broken });
      expect({ broken, ok: result.ok }).toEqual({ broken, ok: false });
    }
  });
});
