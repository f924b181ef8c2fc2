import {
  counterpartyKindCodes,
  innLengthFor,
  isValidInn,
  KPP_PATTERN,
  makeCorrespondentAccount,
  makeInn10,
  makeInn12,
  makeOgrn,
  makeOgrnip,
  makeSettlementAccount,
  requisiteIssue,
  requisiteIssueCodes,
  requisiteMessages,
  validateBik,
  validateCorrespondentAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateSettlementAccount,
  type CounterpartyKindCode,
  type RequisiteIssue,
  type RequisiteIssueCode,
} from '..';

const codeOf = (issue: RequisiteIssue | null): RequisiteIssueCode | null => (issue === null ? null : issue.code);

/** Deterministic digit strings (LCG) for property-style checks. */
const digitStrings = (count: number, length: number, seed: number): string[] => {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length }, () => String(Math.floor((next() / 2147483648) * 10))).join(''),
  );
};

/** Replaces the digit at `index` with (digit + delta) mod 10. */
const bump = (value: string, index: number, delta = 1): string =>
  `${value.slice(0, index)}${(Number(value[index]) + delta) % 10}${value.slice(index + 1)}`;

describe('issue messages', () => {
  it('have a non-empty English and Russian text for every code', () => {
    expect(requisiteIssueCodes.length).toBeGreaterThanOrEqual(21);
    for (const code of requisiteIssueCodes) {
      expect(requisiteMessages[code].en).toMatch(/^[A-Z][^А-Яа-яЁё]+$/);
      expect(requisiteMessages[code].ru).toMatch(/^[А-ЯЁ«][^]*[А-Яа-яЁё]/);
    }
  });

  it('builds an issue carrying the English message', () => {
    expect(requisiteIssue('inn.checksum')).toEqual({ code: 'inn.checksum', message: 'INN checksum is invalid' });
    expect(requisiteMessages['inn.checksum'].ru).toBe('Неверная контрольная сумма ИНН');
  });

  it('validators return exactly the catalogued message', () => {
    const issue = validateInn('7707083894', 'LEGAL_ENTITY');
    expect(issue).toEqual({ code: 'inn.checksum', message: requisiteMessages['inn.checksum'].en });
  });
});

describe('validateInn', () => {
  it.each([
    ['7707083893', 'LEGAL_ENTITY'], // ПАО Сбербанк
    ['7736207543', 'LEGAL_ENTITY'], // ООО «Яндекс»
    ['500100732259', 'SOLE_PROPRIETOR'],
    ['500100732259', 'INDIVIDUAL'],
  ] as const)('accepts real INN %s for %s', (inn, kind) => {
    expect(validateInn(inn, kind)).toBeNull();
  });

  it.each([
    ['', 'inn.required'],
    [null, 'inn.required'],
    [undefined, 'inn.required'],
    ['77070838 93', 'inn.format'],
    [' 7707083893', 'inn.format'],
    ['770708389O', 'inn.format'],
    ['-707083893', 'inn.format'],
    ['770708389', 'inn.length'],
    ['77070838930', 'inn.length'],
    ['500100732259', 'inn.length'],
  ] as const)('rejects %p for a legal entity with %s', (inn, code) => {
    expect(codeOf(validateInn(inn, 'LEGAL_ENTITY'))).toBe(code);
  });

  it.each(['SOLE_PROPRIETOR', 'INDIVIDUAL'] as const)('requires 12 digits for %s', (kind) => {
    expect(codeOf(validateInn('7707083893', kind))).toBe('inn.length');
    expect(codeOf(validateInn('50010073225', kind))).toBe('inn.length');
    expect(codeOf(validateInn('5001007322590', kind))).toBe('inn.length');
    expect(codeOf(validateInn('50010073225x', kind))).toBe('inn.format');
  });

  it('rejects a wrong control digit of a 10-digit INN', () => {
    expect(codeOf(validateInn('7707083894', 'LEGAL_ENTITY'))).toBe('inn.checksum');
    expect(codeOf(validateInn('7736207540', 'LEGAL_ENTITY'))).toBe('inn.checksum');
  });

  it('rejects a 10-digit INN with a changed body digit', () => {
    expect(codeOf(validateInn('7707083993', 'LEGAL_ENTITY'))).toBe('inn.checksum');
  });

  it('rejects a wrong 11th digit even when the 12th digit is consistent with it', () => {
    // 11th digit 5 → 6; 12th recomputed over "50010073226": (149 mod 11) mod 10 = 6.
    expect(codeOf(validateInn('500100732266', 'SOLE_PROPRIETOR'))).toBe('inn.checksum');
    expect(isValidInn('500100732266')).toBe(false);
  });

  it('rejects a wrong 12th digit when the 11th digit is right', () => {
    expect(codeOf(validateInn('500100732258', 'INDIVIDUAL'))).toBe('inn.checksum');
    expect(isValidInn('500100732258')).toBe(false);
  });

  it('reports the expected INN length per kind', () => {
    expect(innLengthFor('LEGAL_ENTITY')).toBe(10);
    expect(innLengthFor('SOLE_PROPRIETOR')).toBe(12);
    expect(innLengthFor('INDIVIDUAL')).toBe(12);
  });
});

describe('isValidInn', () => {
  it('accepts valid 10- and 12-digit INNs', () => {
    expect(isValidInn('7707083893')).toBe(true);
    expect(isValidInn('500100732259')).toBe(true);
  });

  it.each([null, undefined, '', '770708389', '77070838930', '7707083894', '50010073225', '500100732258', 'abcdefghij'])(
    'rejects %p',
    (value) => {
      expect(isValidInn(value)).toBe(false);
    },
  );
});

describe('validateKpp', () => {
  it.each(['773601001', '770401001', '7736AB001', '78104Z001'])('accepts %s for a legal entity', (kpp) => {
    expect(validateKpp(kpp, 'LEGAL_ENTITY')).toBeNull();
  });

  it.each([
    [null, 'kpp.required'],
    [undefined, 'kpp.required'],
    ['', 'kpp.required'],
    ['77360100', 'kpp.format'],
    ['7736010010', 'kpp.format'],
    ['7736ab001', 'kpp.format'],
    ['773A01001', 'kpp.format'],
    ['7736010A1', 'kpp.format'],
    ['7736-1001', 'kpp.format'],
    [' 773601001', 'kpp.format'],
    ['7736АБ001', 'kpp.format'], // Cyrillic letters
  ] as const)('rejects %p for a legal entity with %s', (kpp, code) => {
    expect(codeOf(validateKpp(kpp, 'LEGAL_ENTITY'))).toBe(code);
  });

  it.each(['SOLE_PROPRIETOR', 'INDIVIDUAL'] as const)('forbids a KPP for %s', (kind) => {
    expect(codeOf(validateKpp('773601001', kind))).toBe('kpp.notAllowed');
    expect(codeOf(validateKpp('garbage', kind))).toBe('kpp.notAllowed');
    expect(validateKpp(null, kind)).toBeNull();
    expect(validateKpp(undefined, kind)).toBeNull();
    expect(validateKpp('', kind)).toBeNull();
  });

  it('exposes the documented pattern', () => {
    expect(KPP_PATTERN.source).toBe('^\\d{4}[\\dA-Z]{2}\\d{3}$');
  });
});

describe('validateOgrn', () => {
  it.each(['1027700132195', '1027700229193'])('accepts real OGRN %s for a legal entity', (ogrn) => {
    expect(validateOgrn(ogrn, 'LEGAL_ENTITY')).toBeNull();
  });

  it('accepts an OGRNIP for a sole proprietor (check digit verified by hand)', () => {
    // 30450011600015 mod 13 = 7 → check digit 7.
    expect(validateOgrn('304500116000157', 'SOLE_PROPRIETOR')).toBeNull();
    // 31877460001234 mod 13 = 3 → check digit 3 (mod 11 would give 1).
    expect(validateOgrn('318774600012343', 'SOLE_PROPRIETOR')).toBeNull();
    expect(codeOf(validateOgrn('318774600012341', 'SOLE_PROPRIETOR'))).toBe('ogrn.checksum');
  });

  it.each(counterpartyKindCodes)('treats an absent OGRN as valid for %s (optional)', (kind: CounterpartyKindCode) => {
    expect(validateOgrn(null, kind)).toBeNull();
    expect(validateOgrn(undefined, kind)).toBeNull();
    expect(validateOgrn('', kind)).toBeNull();
  });

  it('forbids an OGRN for an individual', () => {
    expect(codeOf(validateOgrn('1027700132195', 'INDIVIDUAL'))).toBe('ogrn.notAllowed');
    expect(codeOf(validateOgrn('304500116000157', 'INDIVIDUAL'))).toBe('ogrn.notAllowed');
  });

  it('rejects non-digits', () => {
    expect(codeOf(validateOgrn('10277001321 5', 'LEGAL_ENTITY'))).toBe('ogrn.format');
    expect(codeOf(validateOgrn('30450011600015x', 'SOLE_PROPRIETOR'))).toBe('ogrn.format');
  });

  it('requires 13 digits for a legal entity and rejects an OGRNIP there', () => {
    expect(codeOf(validateOgrn('304500116000157', 'LEGAL_ENTITY'))).toBe('ogrn.length');
    expect(codeOf(validateOgrn('102770013219', 'LEGAL_ENTITY'))).toBe('ogrn.length');
  });

  it('requires 15 digits for a sole proprietor and rejects an OGRN there', () => {
    expect(codeOf(validateOgrn('1027700132195', 'SOLE_PROPRIETOR'))).toBe('ogrn.length');
    expect(codeOf(validateOgrn('3045001160001570', 'SOLE_PROPRIETOR'))).toBe('ogrn.length');
  });

  it('rejects a wrong OGRN check digit', () => {
    expect(codeOf(validateOgrn('1027700132196', 'LEGAL_ENTITY'))).toBe('ogrn.checksum');
    expect(codeOf(validateOgrn('1027700132095', 'LEGAL_ENTITY'))).toBe('ogrn.checksum');
  });

  it('rejects a wrong OGRNIP check digit', () => {
    expect(codeOf(validateOgrn('304500116000158', 'SOLE_PROPRIETOR'))).toBe('ogrn.checksum');
    expect(codeOf(validateOgrn('304500116001157', 'SOLE_PROPRIETOR'))).toBe('ogrn.checksum');
  });

  it('computes check digits exactly beyond 2^53 (agrees with BigInt)', () => {
    for (const prefix of digitStrings(200, 14, 7)) {
      const expected = String((BigInt(prefix) % 13n) % 10n);
      expect(makeOgrnip(prefix)).toBe(`${prefix}${expected}`);
    }
    for (const prefix of digitStrings(200, 12, 11)) {
      const expected = String((BigInt(prefix) % 11n) % 10n);
      expect(makeOgrn(prefix)).toBe(`${prefix}${expected}`);
    }
  });
});

describe('validateBik', () => {
  it.each(['044525225', '044030653', '046577674', '049205805'])('accepts %s', (bik) => {
    expect(validateBik(bik)).toBeNull();
  });

  it.each([
    [null, 'bik.required'],
    [undefined, 'bik.required'],
    ['', 'bik.required'],
    ['04452522', 'bik.format'],
    ['0445252250', 'bik.format'],
    ['04452522a', 'bik.format'],
    ['144525225', 'bik.format'],
    ['054525225', 'bik.format'],
    [' 04452522', 'bik.format'],
  ] as const)('rejects %p with %s', (bik, code) => {
    expect(codeOf(validateBik(bik))).toBe(code);
  });
});

describe('validateSettlementAccount', () => {
  it('accepts the SWIFT IBAN registry example for Russia (RU03 0445 2522 5408 1781 0538 0913 1041 9)', () => {
    expect(validateSettlementAccount('40817810538091310419', '044525225')).toBeNull();
  });

  it('accepts an account whose key was verified by hand', () => {
    // "225" + "40702810638000000000", weights 7,1,3…: 4+2+5+8+0+1+0+2+4+7+0+8+1+8 = 50 ≡ 0 (mod 10)
    expect(validateSettlementAccount('40702810638000000000', '044525225')).toBeNull();
  });

  it('uses "0" + BIK digits 5–6 for accounts in Bank of Russia divisions (BIK ending 000/001/002)', () => {
    // Real treasury accounts in Bank of Russia divisions.
    expect(validateSettlementAccount('40101810800000010041', '044583001')).toBeNull();
    expect(validateSettlementAccount('40101810045250010041', '044525000')).toBeNull();
  });

  it.each([
    [null, 'account.required'],
    [undefined, 'account.required'],
    ['', 'account.required'],
    ['4070281063800000000a', 'account.format'],
    ['40702810 38000000000', 'account.format'],
    ['4070281063800000000', 'account.length'],
    ['407028106380000000000', 'account.length'],
  ] as const)('rejects %p with %s', (account, code) => {
    expect(codeOf(validateSettlementAccount(account, '044525225'))).toBe(code);
  });

  it('rejects a wrong control key', () => {
    expect(codeOf(validateSettlementAccount('40702810938000000000', '044525225'))).toBe('account.checksum');
    expect(codeOf(validateSettlementAccount('40817810538091310418', '044525225'))).toBe('account.checksum');
  });

  it('rejects a valid account paired with another bank', () => {
    expect(codeOf(validateSettlementAccount('40702810638000000000', '044525593'))).toBe('account.checksum');
  });

  it('detects every single-digit error in any position', () => {
    const account = '40702810638000000000';
    for (let index = 0; index < 20; index += 1) {
      expect(codeOf(validateSettlementAccount(bump(account, index), '044525225'))).toBe('account.checksum');
    }
  });

  it('reports the BIK issue when the BIK is missing or malformed', () => {
    expect(codeOf(validateSettlementAccount('40702810638000000000', null))).toBe('bik.required');
    expect(codeOf(validateSettlementAccount('40702810638000000000', '14452522'))).toBe('bik.format');
  });
});

describe('validateCorrespondentAccount', () => {
  it.each([
    ['044525225', '30101810400000000225'], // ПАО Сбербанк
    ['044525593', '30101810200000000593'], // АО «Альфа-Банк»
    ['044525187', '30101810700000000187'], // Банк ВТБ (ПАО)
    ['044525974', '30101810145250000974'], // АО «ТБанк»
    ['044030653', '30101810500000000653'], // Северо-Западный банк ПАО Сбербанк
  ])('accepts the correspondent account of BIK %s', (bik, account) => {
    expect(validateCorrespondentAccount(account, bik)).toBeNull();
  });

  it.each([
    [null, 'correspondentAccount.required'],
    ['', 'correspondentAccount.required'],
    ['3010181040000000022x', 'correspondentAccount.format'],
    ['3010181040000000022', 'correspondentAccount.length'],
    ['301018104000000002250', 'correspondentAccount.length'],
    ['30101810500000000225', 'correspondentAccount.checksum'],
  ] as const)('rejects %p with %s', (account, code) => {
    expect(codeOf(validateCorrespondentAccount(account, '044525225'))).toBe(code);
  });

  it('uses the "0" + BIK digits 5–6 rule, not the settlement-account rule', () => {
    // Valid as a correspondent account of 044525225, but its key does not fit the settlement rule.
    expect(codeOf(validateSettlementAccount('30101810400000000225', '044525225'))).toBe('account.checksum');
  });

  it('reports the BIK issue when the BIK is malformed', () => {
    expect(codeOf(validateCorrespondentAccount('30101810400000000225', '04452522'))).toBe('bik.format');
  });
});

describe('generators', () => {
  it('makeInn10 reproduces real INNs and round-trips', () => {
    expect(makeInn10('770708389')).toBe('7707083893');
    expect(makeInn10('773620754')).toBe('7736207543');
    for (const prefix of digitStrings(300, 9, 1)) {
      const inn = makeInn10(prefix);
      expect(inn.startsWith(prefix)).toBe(true);
      expect(validateInn(inn, 'LEGAL_ENTITY')).toBeNull();
      expect(codeOf(validateInn(bump(inn, 9), 'LEGAL_ENTITY'))).toBe('inn.checksum');
    }
  });

  it('makeInn12 reproduces a real INN and round-trips', () => {
    expect(makeInn12('5001007322')).toBe('500100732259');
    for (const prefix of digitStrings(300, 10, 2)) {
      const inn = makeInn12(prefix);
      expect(inn.startsWith(prefix)).toBe(true);
      expect(validateInn(inn, 'SOLE_PROPRIETOR')).toBeNull();
      expect(validateInn(inn, 'INDIVIDUAL')).toBeNull();
      expect(codeOf(validateInn(bump(inn, 10), 'INDIVIDUAL'))).toBe('inn.checksum');
      expect(codeOf(validateInn(bump(inn, 11), 'INDIVIDUAL'))).toBe('inn.checksum');
    }
  });

  it('makeOgrn reproduces real OGRNs and round-trips', () => {
    expect(makeOgrn('102770013219')).toBe('1027700132195');
    expect(makeOgrn('102770022919')).toBe('1027700229193');
    for (const prefix of digitStrings(300, 12, 3)) {
      const ogrn = makeOgrn(prefix);
      expect(validateOgrn(ogrn, 'LEGAL_ENTITY')).toBeNull();
      expect(codeOf(validateOgrn(bump(ogrn, 12), 'LEGAL_ENTITY'))).toBe('ogrn.checksum');
    }
  });

  it('makeOgrnip round-trips', () => {
    expect(makeOgrnip('30450011600015')).toBe('304500116000157');
    expect(makeOgrnip('31877460001234')).toBe('318774600012343');
    for (const prefix of digitStrings(300, 14, 4)) {
      const ogrnip = makeOgrnip(prefix);
      expect(validateOgrn(ogrnip, 'SOLE_PROPRIETOR')).toBeNull();
      expect(codeOf(validateOgrn(bump(ogrnip, 14), 'SOLE_PROPRIETOR'))).toBe('ogrn.checksum');
    }
  });

  it('makeSettlementAccount inserts the key at position 9 and round-trips', () => {
    expect(makeSettlementAccount('4070281038000000000', '044525225')).toBe('40702810638000000000');
    expect(makeSettlementAccount('4081781038091310419', '044525225')).toBe('40817810538091310419');
    const biks = ['044525225', '044525593', '044525187', '044525974', '044583001'];
    digitStrings(300, 19, 5).forEach((prefix, i) => {
      const bik = biks[i % biks.length];
      const account = makeSettlementAccount(prefix, bik);
      expect(`${account.slice(0, 8)}${account.slice(9)}`).toBe(prefix);
      expect(validateSettlementAccount(account, bik)).toBeNull();
      expect(codeOf(validateSettlementAccount(bump(account, 8), bik))).toBe('account.checksum');
    });
  });

  it('makeCorrespondentAccount reproduces real correspondent accounts', () => {
    expect(makeCorrespondentAccount('3010181000000000225', '044525225')).toBe('30101810400000000225');
    expect(makeCorrespondentAccount('3010181045250000974', '044525974')).toBe('30101810145250000974');
    for (const prefix of digitStrings(100, 19, 6)) {
      expect(validateCorrespondentAccount(makeCorrespondentAccount(prefix, '044525187'), '044525187')).toBeNull();
    }
  });

  it.each([
    () => makeInn10('77070838'),
    () => makeInn10('77070838a'),
    () => makeInn12('500100732'),
    () => makeOgrn('1027700132'),
    () => makeOgrnip('3045001160001'),
    () => makeSettlementAccount('407028103800000000', '044525225'),
    () => makeSettlementAccount('4070281038000000000', '123456789'),
    () => makeCorrespondentAccount('3010181000000000225', '04452522'),
  ])('rejects a malformed prefix (%#)', (make) => {
    expect(make).toThrow(RangeError);
  });
});
