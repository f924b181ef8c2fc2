import {
  contractNumbersIn,
  invoiceNumbersIn,
  matchPayment,
  normalizeInvoiceNumber,
  type CounterpartyCandidate,
  type MatchDirectory,
  type MatchInput,
  type OpenInvoice,
  type SignedContract,
} from '../payment.matcher';

const ROMASHKA: CounterpartyCandidate = { id: 'cp-romashka', inn: '7707083893', kpp: '770701001', accounts: ['40702810100000000777'] };
/* the same INN: a branch with its own KPP, and a re-registered duplicate */
const ROMASHKA_SPB: CounterpartyCandidate = { id: 'cp-romashka-spb', inn: '7707083893', kpp: '780201001', accounts: [] };
const ROMASHKA_DUP: CounterpartyCandidate = { id: 'cp-romashka-dup', inn: '7707083893', kpp: '770701001', accounts: ['40702810100000000999'] };
const IVANOV: CounterpartyCandidate = { id: 'cp-ivanov', inn: '500100732259', kpp: null, accounts: [] };

const invoice = (overrides: Partial<OpenInvoice> & Pick<OpenInvoice, 'documentId' | 'number'>): OpenInvoice => ({
  counterpartyId: ROMASHKA.id,
  contractId: 'contract-1',
  date: '2026-02-01',
  amountMinor: 1_000_000,
  outstandingMinor: 1_000_000,
  ...overrides,
});

const directory = (counterparties: CounterpartyCandidate[], invoices: OpenInvoice[] = [], contracts: SignedContract[] = []): MatchDirectory & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    counterpartiesByInn: (inn) => {
      asked.push(`inn:${inn}`);
      return counterparties.filter((candidate) => candidate.inn === inn);
    },
    openInvoicesOf: (counterpartyId) => {
      asked.push(`invoices:${counterpartyId}`);
      return invoices.filter((open) => open.counterpartyId === counterpartyId);
    },
    signedContractsOf: (counterpartyId) => {
      asked.push(`contracts:${counterpartyId}`);
      return contracts.filter((contract) => contract.counterpartyId === counterpartyId);
    },
  };
};

const payment = (overrides: Partial<MatchInput> = {}): MatchInput => ({
  direction: 'INCOMING',
  inn: ROMASHKA.inn,
  kpp: ROMASHKA.kpp,
  account: '40702810100000000777',
  purpose: 'Оплата по счету № А-15/2026 от 01.02.2026. В т.ч. НДС 20%',
  amountMinor: 1_000_000,
  date: '2026-02-03',
  ...overrides,
});

describe('invoiceNumbersIn', () => {
  it.each<[string, string[]]>([
    ['Оплата по счету № А-15/2026 от 01.02.2026. В т.ч. НДС 20%', ['А-15/2026']],
    ['Оплата по счёту №15 от 01.02.2026', ['15']],
    ['ОПЛАТА ПО СЧЕТУ N 15 ОТ 01.02.2026', ['15']],
    ['оплата по сч. 77 за услуги', ['77']],
    ['оплата по сч.№ 78', ['78']],
    ['Оплата сч№79.', ['79']],
    ['Оплата по счету 15 от 01.02.2026', ['15']],
    ['Оплата счета INV-2026-0042', ['INV-2026-0042']],
    ['Оплата по инвойсу № 2026/17', ['2026/17']],
    ['Payment for invoice #A-7', ['A-7']],
    ['Invoice No. 88 dated 01.02.2026', ['88']],
    ['Оплата по счетам №12, 13 и №14 за январь', ['12', '13', '14']],
    ['Оплата по счету № 12; счет 12 повторно', ['12']],
    ['Аванс по счёту-оферте № 5', ['5']],
    ['Оплата по счет-оферте 6', ['6']],
    ['Оплата по договору № 45 от 10.01.2026', []],
    ['Оплата по счету от 01.02.2026 за товар', []],
    ['Оплата по счет-фактуре № 101 от 01.02.2026', []],
    ['Оплата по счету-фактуре № 101', []],
    ['Возврат на расчетный счет 40702810100000000777', []],
    ['Оплата за счетчик воды 5 шт', []],
    ['В счет оплаты по договору 7', []],
    ['', []],
  ])('%s → %j', (purpose, numbers) => {
    expect(invoiceNumbersIn(purpose)).toEqual(numbers);
  });
});

describe('normalizeInvoiceNumber', () => {
  it('ignores spaces, case and Cyrillic look-alikes of Latin letters', () => {
    expect(normalizeInvoiceNumber(' а-15 / 2026 ')).toBe('A-15/2026');
    expect(normalizeInvoiceNumber('A-15/2026')).toBe('A-15/2026');
    expect(normalizeInvoiceNumber('сч-ё1')).toBe(normalizeInvoiceNumber('CЧ-E1'));
    expect(normalizeInvoiceNumber('Б-1')).not.toBe(normalizeInvoiceNumber('B-1'));
  });
});

describe('matchPayment: the counterparty', () => {
  it('uses the payer for INCOMING and the payee for OUTGOING (the caller passes that side; the direction does not change the rules)', () => {
    const dir = directory([ROMASHKA, IVANOV]);
    expect(matchPayment(payment({ direction: 'OUTGOING', inn: IVANOV.inn, kpp: null, account: null, purpose: 'Оплата' }), dir)).toEqual({
      status: 'MATCHED',
      counterpartyId: IVANOV.id,
      invoiceId: null,
      contractId: null,
      confidence: 0.5,
      reasons: ['inn'],
    });
    expect(dir.asked).toEqual([`inn:${IVANOV.inn}`, `invoices:${IVANOV.id}`]);
  });

  it('no INN → UNMATCHED (inn.missing); an INN nobody has → UNMATCHED (inn.unknown)', () => {
    expect(matchPayment(payment({ inn: null }), directory([ROMASHKA]))).toEqual({ status: 'UNMATCHED', counterpartyId: null, invoiceId: null, contractId: null, confidence: 0, reasons: ['inn.missing'] });
    expect(matchPayment(payment({ inn: '7736207543' }), directory([ROMASHKA]))).toEqual({ status: 'UNMATCHED', counterpartyId: null, invoiceId: null, contractId: null, confidence: 0, reasons: ['inn.unknown'] });
  });

  it('one counterparty with the INN and no open invoice: 0.6 when KPP (or a known account) confirms it, 0.5 on the INN alone', () => {
    expect(matchPayment(payment({ account: null }), directory([ROMASHKA]))).toMatchObject({ status: 'MATCHED', counterpartyId: ROMASHKA.id, invoiceId: null, confidence: 0.6, reasons: ['inn', 'kpp'] });
    expect(matchPayment(payment(), directory([ROMASHKA]))).toMatchObject({ confidence: 0.6, reasons: ['inn', 'kpp', 'account'] });
    expect(matchPayment(payment({ kpp: null }), directory([ROMASHKA]))).toMatchObject({ confidence: 0.6, reasons: ['inn', 'account'] });
    expect(matchPayment(payment({ kpp: null, account: '40702810100000000123' }), directory([ROMASHKA]))).toMatchObject({ confidence: 0.5, reasons: ['inn'] });
    // a KPP we do not know (a new branch) still matches on the INN, flagged
    expect(matchPayment(payment({ kpp: '771001001', account: null }), directory([ROMASHKA]))).toMatchObject({
      status: 'MATCHED',
      counterpartyId: ROMASHKA.id,
      confidence: 0.5,
      reasons: ['inn', 'kpp.mismatch'],
    });
  });

  it('several counterparties with the INN are narrowed by KPP', () => {
    expect(matchPayment(payment({ kpp: ROMASHKA_SPB.kpp, account: null }), directory([ROMASHKA, ROMASHKA_SPB]))).toMatchObject({
      status: 'MATCHED',
      counterpartyId: ROMASHKA_SPB.id,
      confidence: 0.6,
      reasons: ['inn', 'kpp'],
    });
  });

  it('… then by a known account', () => {
    expect(matchPayment(payment({ account: ROMASHKA_DUP.accounts[0] }), directory([ROMASHKA, ROMASHKA_SPB, ROMASHKA_DUP]))).toMatchObject({
      status: 'MATCHED',
      counterpartyId: ROMASHKA_DUP.id,
      confidence: 0.6,
      reasons: ['inn', 'kpp', 'account'],
    });
    // no KPP in the payment: the account alone narrows
    expect(matchPayment(payment({ kpp: null, account: ROMASHKA.accounts[0] }), directory([ROMASHKA, ROMASHKA_SPB, ROMASHKA_DUP]))).toMatchObject({
      counterpartyId: ROMASHKA.id,
      reasons: ['inn', 'account'],
    });
  });

  it('still several → AMBIGUOUS, listing the candidates, no invoice looked up', () => {
    const dir = directory([ROMASHKA, ROMASHKA_SPB, ROMASHKA_DUP]);
    expect(matchPayment(payment({ account: '40702810100000000555' }), dir)).toEqual({
      status: 'AMBIGUOUS',
      counterpartyId: null,
      invoiceId: null,
      contractId: null,
      confidence: 0,
      reasons: ['inn', 'kpp', `candidate:${ROMASHKA.id}`, `candidate:${ROMASHKA_DUP.id}`],
    });
    expect(dir.asked).toEqual([`inn:${ROMASHKA.inn}`]);
    // neither KPP nor account: every holder of the INN is a candidate
    expect(matchPayment(payment({ kpp: null, account: null }), dir)).toMatchObject({
      status: 'AMBIGUOUS',
      reasons: ['inn', `candidate:${ROMASHKA.id}`, `candidate:${ROMASHKA_SPB.id}`, `candidate:${ROMASHKA_DUP.id}`],
    });
    // a KPP none of them has does not narrow
    expect(matchPayment(payment({ kpp: '771001001', account: null }), dir)).toMatchObject({ status: 'AMBIGUOUS', reasons: expect.arrayContaining(['kpp.mismatch']) });
  });
});

describe('matchPayment: the invoice', () => {
  const a15 = invoice({ documentId: 'inv-a15', number: 'A-15/2026', amountMinor: 2_000_000, outstandingMinor: 1_000_000 });
  const n16 = invoice({ documentId: 'inv-16', number: '16', contractId: null, amountMinor: 500_000, outstandingMinor: 500_000 });
  const other = invoice({ documentId: 'inv-other', number: 'A-15/2026', counterpartyId: IVANOV.id });

  it('number in the purpose + amount equal to the outstanding amount → 1.0 (Cyrillic "А" in the purpose, Latin in the invoice)', () => {
    expect(matchPayment(payment(), directory([ROMASHKA, IVANOV], [a15, n16, other]))).toEqual({
      status: 'MATCHED',
      counterpartyId: ROMASHKA.id,
      invoiceId: 'inv-a15',
      contractId: 'contract-1',
      confidence: 1,
      reasons: ['inn', 'kpp', 'account', 'invoice.number', 'invoice.amount'],
    });
  });

  it('number + amount equal to the full amount → 1.0', () => {
    expect(matchPayment(payment({ amountMinor: 2_000_000 }), directory([ROMASHKA], [a15]))).toMatchObject({ invoiceId: 'inv-a15', confidence: 1 });
  });

  it('number only (a partial payment) → 0.8', () => {
    expect(matchPayment(payment({ amountMinor: 300_000 }), directory([ROMASHKA], [a15, n16]))).toMatchObject({
      invoiceId: 'inv-a15',
      contractId: 'contract-1',
      confidence: 0.8,
      reasons: ['inn', 'kpp', 'account', 'invoice.number'],
    });
  });

  it('only the counterparty\'s own invoices count (the same number at another counterparty is ignored)', () => {
    expect(matchPayment(payment({ inn: IVANOV.inn, kpp: null, account: null, amountMinor: 1 }), directory([ROMASHKA, IVANOV], [a15, other]))).toMatchObject({
      counterpartyId: IVANOV.id,
      invoiceId: 'inv-other',
      confidence: 0.8,
    });
  });

  it('no number, exactly one open invoice with that outstanding amount → 0.7 (its contract too)', () => {
    expect(matchPayment(payment({ purpose: 'Оплата за товар', amountMinor: 500_000 }), directory([ROMASHKA], [a15, n16]))).toEqual({
      status: 'MATCHED',
      counterpartyId: ROMASHKA.id,
      invoiceId: 'inv-16',
      contractId: null,
      confidence: 0.7,
      reasons: ['inn', 'kpp', 'account', 'invoice.amount'],
    });
  });

  it('a number that is no open invoice of the counterparty falls back to the amount', () => {
    expect(matchPayment(payment({ purpose: 'Оплата по счету 999', amountMinor: 500_000 }), directory([ROMASHKA], [a15, n16]))).toMatchObject({ invoiceId: 'inv-16', confidence: 0.7 });
  });

  it('no number and the full (not outstanding) amount of one invoice → counterparty only', () => {
    expect(matchPayment(payment({ purpose: 'Оплата', amountMinor: 2_000_000 }), directory([ROMASHKA], [a15, n16]))).toMatchObject({ invoiceId: null, confidence: 0.6, reasons: ['inn', 'kpp', 'account'] });
  });

  it('no number, several open invoices with that outstanding amount → MATCHED on the counterparty, invoice.ambiguous, lower confidence', () => {
    const twin = invoice({ documentId: 'inv-17', number: '17', amountMinor: 500_000, outstandingMinor: 500_000 });
    expect(matchPayment(payment({ purpose: 'Оплата', amountMinor: 500_000 }), directory([ROMASHKA], [a15, n16, twin]))).toEqual({
      status: 'MATCHED',
      counterpartyId: ROMASHKA.id,
      invoiceId: null,
      contractId: null,
      confidence: 0.5,
      reasons: ['inn', 'kpp', 'account', 'invoice.amount', 'invoice.ambiguous'],
    });
    expect(matchPayment(payment({ purpose: 'Оплата', kpp: null, account: null, amountMinor: 500_000 }), directory([ROMASHKA], [n16, twin]))).toMatchObject({ confidence: 0.4 });
  });

  it('several invoices named in the purpose and fitting equally → invoice.ambiguous', () => {
    expect(matchPayment(payment({ purpose: 'Оплата по счетам № 16, A-15/2026', amountMinor: 700_000 }), directory([ROMASHKA], [a15, n16]))).toMatchObject({
      status: 'MATCHED',
      counterpartyId: ROMASHKA.id,
      invoiceId: null,
      confidence: 0.5,
      reasons: ['inn', 'kpp', 'account', 'invoice.number', 'invoice.ambiguous'],
    });
  });

  it('several invoices named, the amount picks one → 1.0', () => {
    expect(matchPayment(payment({ purpose: 'Оплата по счетам № 16, A-15/2026', amountMinor: 500_000 }), directory([ROMASHKA], [a15, n16]))).toMatchObject({ invoiceId: 'inv-16', confidence: 1 });
  });

  it('one number used in two years: the amount, then the date written in the purpose, decide', () => {
    const old = invoice({ documentId: 'inv-15-2025', number: '15', date: '2025-03-10', amountMinor: 1_000_000, outstandingMinor: 1_000_000 });
    const recent = invoice({ documentId: 'inv-15-2026', number: '15', date: '2026-02-01', amountMinor: 1_000_000, outstandingMinor: 1_000_000 });
    const dir = directory([ROMASHKA], [old, recent]);
    expect(matchPayment(payment({ purpose: 'Оплата по счету 15 от 01.02.2026' }), dir)).toMatchObject({
      invoiceId: 'inv-15-2026',
      confidence: 1,
      reasons: ['inn', 'kpp', 'account', 'invoice.number', 'invoice.amount', 'invoice.date'],
    });
    expect(matchPayment(payment({ purpose: 'Оплата по счету 15' }), dir)).toMatchObject({ invoiceId: null, reasons: expect.arrayContaining(['invoice.ambiguous']) });
    const partOfOld = invoice({ ...old, outstandingMinor: 400_000 });
    expect(matchPayment(payment({ purpose: 'Оплата по счету 15', amountMinor: 400_000 }), directory([ROMASHKA], [partOfOld, recent]))).toMatchObject({ invoiceId: 'inv-15-2025', confidence: 1 });
  });

  it('an AMBIGUOUS counterparty never gets an invoice, even with a perfect number', () => {
    expect(matchPayment(payment({ kpp: null, account: null }), directory([ROMASHKA, ROMASHKA_DUP], [a15]))).toMatchObject({ status: 'AMBIGUOUS', invoiceId: null });
  });
});

describe('contractNumbersIn', () => {
  it.each<[string, string[]]>([
    ['Оплата по договору № 7/26-П от 10.01.2026. НДС не облагается', ['7/26-П']],
    ['Аванс по дог. 41/26', ['41/26']],
    ['Аванс по дог.41/26', ['41/26']],
    ['ОПЛАТА ПО ДОГОВОРУ N 45 ОТ 10.01.2026', ['45']],
    ['Оплата по договору поставки № 12 от 01.02.2026', ['12']],
    ['Оплата по договору оказания услуг №Д-5/2026', ['Д-5/2026']],
    ['Оплата по договорам № 12, 13 и №14', ['12', '13', '14']],
    ['В счет оплаты по договору 7', ['7']],
    ['Оплата по д-ру 8', ['8']],
    ['Оплата по госконтракту № 0373100000126000001', ['0373100000126000001']],
    ['Оплата по контракту № К-3', ['К-3']],
    ['Payment under contract No. 19 dated 10.01.2026', ['19']],
    ['Оплата по счету № 15 по договору № 7', ['7']],
    ['Оплата по договору № 7; договор 7 повторно', ['7']],
    ['Оплата по счету № 15 от 01.02.2026', []],
    ['Оплата по договору от 10.01.2026', []],
    ['Согласно договоренности 5 шт', []],
    ['Оплата по договору, р/с 40702810100000000777', []],
    ['', []],
  ])('%s → %j', (purpose, numbers) => {
    expect(contractNumbersIn(purpose)).toEqual(numbers);
  });
});

describe('matchPayment: the contract named in the purpose', () => {
  const contract = (overrides: Partial<SignedContract> & Pick<SignedContract, 'contractId' | 'number'>): SignedContract => ({
    counterpartyId: ROMASHKA.id,
    date: '2026-01-10',
    direction: 'RECEIVABLE',
    ...overrides,
  });
  const c7 = contract({ contractId: 'contract-7', number: '7/26-П' });
  const c8 = contract({ contractId: 'contract-8', number: '8/26' });
  const supply = contract({ contractId: 'contract-supply', number: '7/26-П', direction: 'PAYABLE' });
  const foreign = contract({ contractId: 'contract-ivanov', number: '41/26', counterpartyId: IVANOV.id });

  it('a payment matched to the counterparty and to no invoice gets the contract its purpose names (contract.number, same confidence)', () => {
    expect(matchPayment(payment({ purpose: 'Оплата по договору № 7/26-п от 10.01.2026' }), directory([ROMASHKA], [], [c7, c8, foreign]))).toEqual({
      status: 'MATCHED',
      counterpartyId: ROMASHKA.id,
      invoiceId: null,
      contractId: 'contract-7',
      confidence: 0.6,
      reasons: ['inn', 'kpp', 'account', 'contract.number'],
    });
    // open invoices that do not fit: still the named contract
    const other = invoice({ documentId: 'inv-99', number: '99', contractId: 'contract-8', outstandingMinor: 123 });
    expect(matchPayment(payment({ purpose: 'Аванс по дог. 8/26' }), directory([ROMASHKA], [other], [c7, c8]))).toMatchObject({ invoiceId: null, contractId: 'contract-8', reasons: ['inn', 'kpp', 'account', 'contract.number'] });
  });

  it('an invoice match keeps its invoice\'s contract, whatever contract the purpose names', () => {
    const a15 = invoice({ documentId: 'inv-a15', number: 'A-15/2026', contractId: 'contract-1' });
    expect(matchPayment(payment({ purpose: 'Оплата по счету № А-15/2026 по договору № 7/26-П' }), directory([ROMASHKA], [a15], [c7]))).toMatchObject({
      invoiceId: 'inv-a15',
      contractId: 'contract-1',
      reasons: ['inn', 'kpp', 'account', 'invoice.number', 'invoice.amount'],
    });
  });

  it('only a contract of the payment\'s direction and of that counterparty counts', () => {
    // OUTGOING pays a PAYABLE contract
    expect(matchPayment(payment({ direction: 'OUTGOING', purpose: 'Оплата по договору № 7/26-П' }), directory([ROMASHKA], [], [c7, supply]))).toMatchObject({ contractId: 'contract-supply', reasons: expect.arrayContaining(['contract.number']) });
    // an INCOMING payment naming only a PAYABLE contract: none
    expect(matchPayment(payment({ purpose: 'Оплата по договору № 7/26-П' }), directory([ROMASHKA], [], [supply]))).toMatchObject({ contractId: null, reasons: ['inn', 'kpp', 'account'] });
    // another counterparty's contract number: none
    expect(matchPayment(payment({ purpose: 'Оплата по дог. 41/26' }), directory([ROMASHKA, IVANOV], [], [foreign]))).toMatchObject({ counterpartyId: ROMASHKA.id, contractId: null });
  });

  it('two contracts with the number: the date written decides, else contract.ambiguous and no contract', () => {
    const again = contract({ contractId: 'contract-7-2025', number: '7/26-П', date: '2025-03-01' });
    const dir = directory([ROMASHKA], [], [c7, again]);
    expect(matchPayment(payment({ purpose: 'Оплата по договору № 7/26-П от 01.03.2025' }), dir)).toMatchObject({ contractId: 'contract-7-2025', reasons: ['inn', 'kpp', 'account', 'contract.number'] });
    expect(matchPayment(payment({ purpose: 'Оплата по договору № 7/26-П' }), dir)).toMatchObject({ contractId: null, reasons: ['inn', 'kpp', 'account', 'contract.ambiguous'] });
  });

  it('an ambiguous invoice leaves the payment on the counterparty, with the named contract', () => {
    const n16 = invoice({ documentId: 'inv-16', number: '16', outstandingMinor: 500_000 });
    const twin = invoice({ documentId: 'inv-17', number: '17', outstandingMinor: 500_000 });
    expect(matchPayment(payment({ purpose: 'Оплата по договору 8/26', amountMinor: 500_000 }), directory([ROMASHKA], [n16, twin], [c8]))).toMatchObject({
      invoiceId: null,
      contractId: 'contract-8',
      confidence: 0.5,
      reasons: ['inn', 'kpp', 'account', 'invoice.amount', 'invoice.ambiguous', 'contract.number'],
    });
  });

  it('unmatched or ambiguous counterparties never get a contract, and the contracts are not asked for without a number', () => {
    expect(matchPayment(payment({ inn: null, purpose: 'по договору № 7/26-П' }), directory([ROMASHKA], [], [c7]))).toMatchObject({ contractId: null });
    expect(matchPayment(payment({ kpp: null, account: null, purpose: 'по договору № 7/26-П' }), directory([ROMASHKA, ROMASHKA_DUP], [], [c7]))).toMatchObject({ status: 'AMBIGUOUS', contractId: null });
    const dir = directory([ROMASHKA], [], [c7]);
    matchPayment(payment({ purpose: 'Оплата' }), dir);
    expect(dir.asked).not.toContain(`contracts:${ROMASHKA.id}`);
  });
});
