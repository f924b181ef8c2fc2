import * as iconv from 'iconv-lite';
import { MAX_AMOUNT_MINOR } from '@kartoteka/kit';
import { parseBankStatement, StatementFormatError, type ParsedStatement } from '../statement.parser';
import { accountLines, documentLines, encode, headerLines, incoming, lineNumberOf, OUR_ACCOUNT, statementLines } from '../../../testing/statement.fixtures';

const outgoing = incoming({
  Номер: '301',
  Дата: '04.02.2026',
  Сумма: '3000,5',
  ПлательщикСчет: OUR_ACCOUNT,
  Плательщик: 'ИНН 7736207543 ООО "Картотека"',
  ПлательщикИНН: '7736207543',
  Плательщик1: 'ООО "Картотека"',
  ПлательщикКПП: '773601001',
  ПлательщикБИК: '044525974',
  ПолучательСчет: '40802810500000001234',
  Получатель: 'ИП Иванов Иван Иванович',
  ПолучательИНН: '500100732259',
  Получатель1: '',
  ПолучательКПП: '0',
  ПолучательБИК: '044525225',
  ДатаСписано: '04.02.2026',
  ДатаПоступило: '',
  НазначениеПлатежа: '',
  НазначениеПлатежа1: 'Оплата по сч. 77 от 01.02.2026',
  НазначениеПлатежа2: 'за услуги. Без НДС',
});

const fullStatement = (): string[] =>
  statementLines([...accountLines(), ...documentLines('Платежное поручение', incoming()), ...documentLines('Платежное поручение', outgoing)]);

/** Runs the parser expecting a StatementFormatError and returns it. */
const refusal = (bytes: Buffer): StatementFormatError => {
  try {
    parseBankStatement(bytes);
  } catch (error) {
    if (error instanceof StatementFormatError) return error;
    throw error;
  }
  throw new Error('the statement was accepted');
};

/** Replaces the line equal to / starting with `from` (the first one at or after `after`) by `to` (null removes it). */
const edit = (lines: string[], from: string, to: string | null, after = 1): string[] => {
  const index = lineNumberOf(lines, from, after) - 1;
  const copy = [...lines];
  if (to === null) copy.splice(index, 1);
  else copy[index] = to;
  return copy;
};

describe('parseBankStatement: a well-formed statement', () => {
  const expectFull = (parsed: ParsedStatement, lines: string[]): void => {
    expect(parsed.formatVersion).toBe('1.03');
    expect(parsed.sender).toBe('Бухгалтерия предприятия');
    expect(parsed.dateFrom).toBe('2026-02-01');
    expect(parsed.dateTo).toBe('2026-02-05');
    expect(parsed.accounts).toEqual([
      {
        account: OUR_ACCOUNT,
        dateFrom: '2026-02-01',
        dateTo: '2026-02-05',
        openingMinor: 10_000_000,
        creditMinor: 1_250_050,
        debitMinor: 300_050,
        closingMinor: 10_950_000,
      },
    ]);
    expect(parsed.payments).toHaveLength(2);
    expect(parsed.payments[0]).toEqual({
      line: lineNumberOf(lines, 'СекцияДокумент'),
      section: 'Платежное поручение',
      number: '15',
      date: '2026-02-03',
      amountMinor: 1_250_050,
      payer: { name: 'ООО "Ромашка"', inn: '7707083893', kpp: '770701001', account: '40702810100000000777', bankBic: '044525225' },
      payee: { name: 'ООО "Картотека"', inn: '7736207543', kpp: '773601001', account: OUR_ACCOUNT, bankBic: '044525974' },
      purpose: 'Оплата по счету № А-15/2026 от 01.02.2026. В т.ч. НДС 20%',
      debitedAt: '2026-02-03',
      creditedAt: '2026-02-04',
    });
    expect(parsed.payments[1]).toEqual({
      line: lineNumberOf(lines, 'СекцияДокумент', lineNumberOf(lines, 'СекцияДокумент') + 1),
      section: 'Платежное поручение',
      number: '301',
      date: '2026-02-04',
      amountMinor: 300_050,
      payer: { name: 'ООО "Картотека"', inn: '7736207543', kpp: '773601001', account: OUR_ACCOUNT, bankBic: '044525974' },
      // no Получатель1: the name comes from Получатель; KPP "0" means none
      payee: { name: 'ИП Иванов Иван Иванович', inn: '500100732259', kpp: null, account: '40802810500000001234', bankBic: '044525225' },
      purpose: 'Оплата по сч. 77 от 01.02.2026 за услуги. Без НДС',
      debitedAt: '2026-02-04',
      creditedAt: null,
    });
    expect(parsed.warnings).toEqual([]);
  };

  it('reads Windows-1251 (CRLF) — every header key, the account section and both document sides', () => {
    const lines = fullStatement();
    const parsed = parseBankStatement(encode(lines, 'windows-1251'));
    expect(parsed.encoding).toBe('windows-1251');
    expectFull(parsed, lines);
  });

  it('reads UTF-8 without a BOM (LF) declaring Кодировка=UTF-8', () => {
    const lines = statementLines(
      [...accountLines(), ...documentLines('Платежное поручение', incoming()), ...documentLines('Платежное поручение', outgoing)],
      headerLines({ Кодировка: 'UTF-8' }),
    );
    const parsed = parseBankStatement(encode(lines, 'utf-8', '\n'));
    expect(parsed.encoding).toBe('utf-8');
    expectFull(parsed, lines);
  });

  it('reads UTF-8 with a BOM, and UTF-8 still labelled Кодировка=Windows (re-saved by an editor)', () => {
    const lines = fullStatement();
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encode(lines, 'utf-8')]);
    const parsed = parseBankStatement(withBom);
    expect(parsed.encoding).toBe('utf-8');
    expectFull(parsed, lines);
    expect(parseBankStatement(encode(lines, 'utf-8')).encoding).toBe('utf-8');
  });

  it('gives the same result for both encodings of the same statement', () => {
    const lines = fullStatement();
    const { encoding: a, ...cp1251 } = parseBankStatement(encode(lines, 'windows-1251'));
    const { encoding: b, ...utf8 } = parseBankStatement(encode(lines, 'utf-8'));
    expect([a, b]).toEqual(['windows-1251', 'utf-8']);
    expect(utf8).toEqual(cp1251);
  });

  it('accepts a statement without any movement, several account sections and other document kinds', () => {
    const empty = parseBankStatement(encode(statementLines([accountLines()].flat()), 'windows-1251'));
    expect(empty.payments).toEqual([]);
    expect(empty.accounts).toHaveLength(1);

    const second = '40702810200000000002';
    const lines = statementLines([
      ...accountLines(),
      ...accountLines({ РасчСчет: second, НачальныйОстаток: '0', КонечныйОстаток: '-150.75', ВсегоПоступило: '', ВсегоСписано: '150.75' }),
      ...documentLines('Банковский ордер', incoming({ Номер: '7', Сумма: '1' })),
      ...documentLines('Платежное требование', incoming({ Номер: '8', Сумма: '0.01' })),
    ]);
    const parsed = parseBankStatement(encode(lines, 'windows-1251'));
    expect(parsed.accounts.map((account) => [account.account, account.openingMinor, account.creditMinor, account.closingMinor])).toEqual([
      [OUR_ACCOUNT, 10_000_000, 1_250_050, 10_950_000],
      [second, 0, null, -15_075],
    ]);
    expect(parsed.payments.map((payment) => [payment.section, payment.number, payment.amountMinor])).toEqual([
      ['Банковский ордер', '7', 100],
      ['Платежное требование', '8', 1],
    ]);
  });

  it('adds header accounts (РасчСчет, repeatable) that have no account section, with the header period', () => {
    const other = '40702810300000000003';
    const lines = statementLines(documentLines('Платежное поручение', incoming()), [...headerLines(), `РасчСчет=${other}`]);
    const parsed = parseBankStatement(encode(lines, 'windows-1251'));
    expect(parsed.accounts).toEqual([
      { account: OUR_ACCOUNT, dateFrom: '2026-02-01', dateTo: '2026-02-05', openingMinor: null, closingMinor: null, debitMinor: null, creditMinor: null },
      { account: other, dateFrom: '2026-02-01', dateTo: '2026-02-05', openingMinor: null, closingMinor: null, debitMinor: null, creditMinor: null },
    ]);
  });

  it('header keys are optional beyond the first line; blank lines, spaces around keys and values are tolerated', () => {
    const lines = ['1CClientBankExchange', '', ...documentLines('Платежное поручение', incoming()).map((line) => `  ${line.replace('=', ' = ')}  `), '', 'КонецФайла', '', ''];
    const parsed = parseBankStatement(encode(lines, 'windows-1251'));
    expect(parsed).toMatchObject({ formatVersion: null, sender: null, dateFrom: null, dateTo: null, accounts: [] });
    expect(parsed.payments[0]).toMatchObject({ line: 3, number: '15', amountMinor: 1_250_050, payer: { inn: '7707083893' } });
  });

  it('converts amounts exactly: dot or comma, one or two decimals, none, up to MAX_AMOUNT_MINOR', () => {
    const amounts: Array<[string, number]> = [
      ['1234.56', 123_456],
      ['1234,56', 123_456],
      ['1234,5', 123_450],
      ['1234', 123_400],
      ['0.29', 29],
      ['0,07', 7],
      ['1.10', 110],
      [`${MAX_AMOUNT_MINOR / 100}`, MAX_AMOUNT_MINOR],
    ];
    for (const [text, minor] of amounts) {
      const parsed = parseBankStatement(encode(statementLines(documentLines('Платежное поручение', incoming({ Сумма: text }))), 'utf-8'));
      expect([text, parsed.payments[0].amountMinor]).toEqual([text, minor]);
    }
  });

  it('keeps the whole НазначениеПлатежа when НазначениеПлатежа1..6 only repeat it cut into lines, appends them otherwise', () => {
    const purpose = (fields: Record<string, string>): string =>
      parseBankStatement(encode(statementLines(documentLines('Платежное поручение', incoming({ НазначениеПлатежа: '', ...fields }))), 'utf-8')).payments[0].purpose;
    expect(purpose({ НазначениеПлатежа: 'Оплата по счету 5 от 01.02.2026 за товар', НазначениеПлатежа1: 'Оплата по счету 5 от', НазначениеПлатежа2: '01.02.2026 за товар' })).toBe(
      'Оплата по счету 5 от 01.02.2026 за товар',
    );
    expect(purpose({ НазначениеПлатежа: 'Оплата по счету 5', НазначениеПлатежа1: 'от 01.02.2026', НазначениеПлатежа3: 'за товар' })).toBe(
      'Оплата по счету 5 от 01.02.2026 за товар',
    );
    expect(purpose({ НазначениеПлатежа1: 'a', НазначениеПлатежа2: 'b', НазначениеПлатежа3: 'c', НазначениеПлатежа4: 'd', НазначениеПлатежа5: 'e', НазначениеПлатежа6: 'f' })).toBe('a b c d e f');
    expect(purpose({})).toBe('');
  });

  it('reads the party: Плательщик1 over Плательщик (whose "ИНН … " prefix is dropped), ПлательщикРасчСчет when ПлательщикСчет is absent, "0" requisites as none', () => {
    const fields = incoming({ Плательщик1: '', ПлательщикИНН: '0', ПлательщикКПП: '', ПлательщикБИК: '', ПлательщикСчет: '' });
    const parsed = parseBankStatement(encode(statementLines(documentLines('Платежное поручение', { ...fields, ПлательщикРасчСчет: '40702810100000000888' })), 'utf-8'));
    expect(parsed.payments[0].payer).toEqual({ name: 'ООО "Ромашка"', inn: null, kpp: null, account: '40702810100000000888', bankBic: null });
  });

  it('keeps but flags an INN with wrong control digits, an odd KPP and an account that is not 20 digits', () => {
    const lines = statementLines(documentLines('Платежное поручение', incoming({ ПлательщикИНН: '7707083894', ПлательщикКПП: '77070100', ПолучательСчет: '4070281' })));
    const parsed = parseBankStatement(encode(lines, 'windows-1251'));
    expect(parsed.payments[0].payer).toMatchObject({ inn: '7707083894', kpp: '77070100' });
    expect(parsed.payments[0].payee.account).toBe('4070281');
    expect(parsed.warnings).toEqual([
      { line: lineNumberOf(lines, 'ПлательщикИНН='), field: 'ПлательщикИНН', code: 'inn.checksum', message: expect.stringContaining('7707083894') },
      { line: lineNumberOf(lines, 'ПлательщикКПП='), field: 'ПлательщикКПП', code: 'kpp.format', message: expect.any(String) },
      { line: lineNumberOf(lines, 'ПолучательСчет='), field: 'ПолучательСчет', code: 'account.format', message: expect.any(String) },
    ]);
  });

  it('parses 10,000 payments', () => {
    const body: string[] = [];
    for (let i = 0; i < 10_000; i += 1) body.push(...documentLines('Платежное поручение', incoming({ Номер: String(i + 1), Сумма: `${i + 1}.00` })));
    const parsed = parseBankStatement(encode(statementLines(body), 'windows-1251'));
    expect(parsed.payments).toHaveLength(10_000);
    expect(parsed.payments[9_999]).toMatchObject({ number: '10000', amountMinor: 1_000_000 });
  });
});

describe('parseBankStatement: a malformed statement is refused with its line number', () => {
  const good = (): string[] => fullStatement();
  const secondDoc = (lines: string[]): number => lineNumberOf(lines, 'СекцияДокумент', lineNumberOf(lines, 'СекцияДокумент') + 1);

  type Case = { name: string; lines: () => string[]; line: (lines: string[]) => number; reason: RegExp };
  const cases: Case[] = [
    { name: 'the first line is not 1CClientBankExchange', lines: () => edit(good(), '1CClientBankExchange', 'ClientBankExchange'), line: () => 1, reason: /first line must be 1CClientBankExchange/ },
    { name: 'the header is missing (a section first)', lines: () => good().slice(1), line: () => 1, reason: /first line/ },
    { name: 'an unknown section', lines: () => edit(good(), 'СекцияРасчСчет', 'СекцияВыписка'), line: (l) => lineNumberOf(l, 'СекцияВыписка'), reason: /unknown section/ },
    { name: 'СекцияРасчСчет with a value', lines: () => edit(good(), 'СекцияРасчСчет', 'СекцияРасчСчет=1'), line: (l) => lineNumberOf(l, 'СекцияРасчСчет=1'), reason: /unknown section/ },
    { name: 'СекцияДокумент without a kind', lines: () => edit(good(), 'СекцияДокумент', 'СекцияДокумент='), line: (l) => lineNumberOf(l, 'СекцияДокумент='), reason: /without a document kind/ },
    { name: 'an unknown end marker', lines: () => edit(good(), 'КонецРасчСчет', 'КонецСчета'), line: (l) => lineNumberOf(l, 'КонецСчета'), reason: /unknown end marker/ },
    {
      name: 'a section inside a section (КонецДокумента missing)',
      lines: () => edit(good(), 'КонецДокумента', null),
      line: (l) => lineNumberOf(l, 'СекцияДокумент', lineNumberOf(l, 'СекцияДокумент') + 1),
      reason: /inside the СекцияДокумент=Платежное поручение section opened at line \d+ \(КонецДокумента missing\)/,
    },
    { name: 'an account section inside a document', lines: () => edit(good(), 'КонецДокумента', 'СекцияРасчСчет'), line: (l) => lineNumberOf(l, 'СекцияРасчСчет', lineNumberOf(l, 'СекцияДокумент')), reason: /inside the СекцияДокумент/ },
    { name: 'the wrong end marker', lines: () => edit(good(), 'КонецРасчСчет', 'КонецДокумента'), line: (l) => lineNumberOf(l, 'КонецДокумента'), reason: /closes the СекцияРасчСчет section .* ends with КонецРасчСчет/ },
    { name: 'an end marker without a section', lines: () => { const l = good(); l.splice(l.length - 1, 0, 'КонецДокумента'); return l; }, line: (l) => l.length - 1, reason: /without an open section/ },
    { name: 'an unclosed last section before КонецФайла', lines: () => { const l = good(); l.splice(l.length - 2, 1); return l; }, line: secondDoc, reason: /not closed before КонецФайла/ },
    { name: 'no КонецФайла', lines: () => good().slice(0, -1), line: (l) => l.length, reason: /ends without КонецФайла/ },
    { name: 'a truncated file (inside a section)', lines: () => good().slice(0, -4), line: secondDoc, reason: /never closed \(КонецДокумента missing\)/ },
    { name: 'content after КонецФайла', lines: () => [...good(), 'Номер=1'], line: (l) => l.length, reason: /after КонецФайла/ },
    { name: 'a line that is not key=value', lines: () => edit(good(), 'Очередность=', 'Очередность 5'), line: (l) => lineNumberOf(l, 'Очередность 5'), reason: /neither key=value/ },
    { name: 'a value without a key', lines: () => edit(good(), 'Очередность=', '=5'), line: (l) => lineNumberOf(l, '=5'), reason: /without a key/ },
    { name: 'a key between sections', lines: () => edit(good(), 'КонецРасчСчет', 'КонецРасчСчет', 1).flatMap((line) => (line === 'КонецРасчСчет' ? [line, 'ДатаНачала=01.02.2026'] : [line])), line: (l) => lineNumberOf(l, 'КонецРасчСчет') + 1, reason: /outside a section/ },
    { name: 'a missing Номер', lines: () => edit(good(), 'Номер=', null), line: (l) => lineNumberOf(l, 'СекцияДокумент'), reason: /has no Номер/ },
    { name: 'an empty Номер', lines: () => edit(good(), 'Номер=', 'Номер='), line: (l) => lineNumberOf(l, 'СекцияДокумент'), reason: /has no Номер/ },
    { name: 'a missing Дата', lines: () => edit(good(), 'Дата=', null, secondDocOf()), line: secondDoc, reason: /has no Дата/ },
    { name: 'a missing Сумма', lines: () => edit(good(), 'Сумма=', null), line: (l) => lineNumberOf(l, 'СекцияДокумент'), reason: /has no Сумма/ },
    { name: 'a missing РасчСчет in the account section', lines: () => edit(good(), 'РасчСчет=', null, lineNumberOf(good(), 'СекцияРасчСчет')), line: (l) => lineNumberOf(l, 'СекцияРасчСчет'), reason: /СекцияРасчСчет section has no РасчСчет/ },
    { name: 'a date that does not exist', lines: () => edit(good(), 'Дата=', 'Дата=30.02.2026'), line: (l) => lineNumberOf(l, 'Дата=30.02.2026'), reason: /Дата: "30.02.2026" is not a date/ },
    { name: 'a date in another format', lines: () => edit(good(), 'Дата=', 'Дата=2026-02-03'), line: (l) => lineNumberOf(l, 'Дата=2026-02-03'), reason: /not a date/ },
    { name: 'a bad ДатаПоступило', lines: () => edit(good(), 'ДатаПоступило=', 'ДатаПоступило=4.2.2026'), line: (l) => lineNumberOf(l, 'ДатаПоступило=4.2'), reason: /ДатаПоступило/ },
    { name: 'a bad header date', lines: () => edit(good(), 'ДатаНачала=', 'ДатаНачала=01.13.2026'), line: (l) => lineNumberOf(l, 'ДатаНачала='), reason: /ДатаНачала/ },
    { name: 'a header period ending before it starts', lines: () => edit(good(), 'ДатаКонца=', 'ДатаКонца=31.01.2026'), line: (l) => lineNumberOf(l, 'ДатаКонца='), reason: /before ДатаНачала/ },
    { name: 'a bad balance', lines: () => edit(good(), 'НачальныйОстаток=', 'НачальныйОстаток=1 000.00'), line: (l) => lineNumberOf(l, 'НачальныйОстаток='), reason: /НачальныйОстаток: "1 000.00" is not an amount/ },
    { name: 'an amount with three decimals', lines: () => edit(good(), 'Сумма=', 'Сумма=10.005'), line: (l) => lineNumberOf(l, 'Сумма='), reason: /not an amount/ },
    { name: 'a negative amount', lines: () => edit(good(), 'Сумма=', 'Сумма=-10.00'), line: (l) => lineNumberOf(l, 'Сумма='), reason: /not an amount/ },
    { name: 'a text amount', lines: () => edit(good(), 'Сумма=', 'Сумма=сто'), line: (l) => lineNumberOf(l, 'Сумма='), reason: /not an amount/ },
    { name: 'a zero amount', lines: () => edit(good(), 'Сумма=', 'Сумма=0.00'), line: (l) => lineNumberOf(l, 'Сумма='), reason: /zero/ },
    { name: 'an amount above MAX_AMOUNT_MINOR', lines: () => edit(good(), 'Сумма=', `Сумма=${MAX_AMOUNT_MINOR / 100}.01`), line: (l) => lineNumberOf(l, 'Сумма='), reason: /exceeds the largest amount/ },
    { name: 'an INN that is not 10 or 12 digits', lines: () => edit(good(), 'ПолучательИНН=', 'ПолучательИНН=77362075'), line: (l) => lineNumberOf(l, 'ПолучательИНН='), reason: /ПолучательИНН: "77362075" is not an INN/ },
    { name: 'an INN with letters', lines: () => edit(good(), 'ПлательщикИНН=', 'ПлательщикИНН=77070838O3'), line: (l) => lineNumberOf(l, 'ПлательщикИНН='), reason: /not an INN/ },
  ];
  function secondDocOf(): number {
    return secondDoc(good());
  }

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const lines = c.lines();
    for (const encoding of ['windows-1251', 'utf-8'] as const) {
      const error = refusal(encode(lines, encoding));
      expect({ encoding, line: error.line, reason: error.reason }).toEqual({ encoding, line: c.line(lines), reason: expect.stringMatching(c.reason) });
      expect(error.message).toBe(`Line ${error.line}: ${error.reason}`);
    }
  });

  it('an empty file, or one of blank lines only', () => {
    expect(refusal(Buffer.alloc(0))).toMatchObject({ line: 1, reason: 'the file is empty' });
    expect(refusal(Buffer.from('\r\n  \r\n'))).toMatchObject({ line: 1, reason: 'the file is empty' });
  });

  it('a file declaring UTF-8 that is not UTF-8, a BOM before invalid UTF-8, a DOS (CP866) file', () => {
    const lines = edit(good(), 'Кодировка=', 'Кодировка=UTF-8');
    expect(refusal(encode(lines, 'windows-1251'))).toMatchObject({ line: lineNumberOf(lines, 'Кодировка='), reason: expect.stringMatching(/declares Кодировка=UTF-8 but is not valid UTF-8/) });
    expect(refusal(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encode(good(), 'windows-1251')]))).toMatchObject({ line: 1, reason: expect.stringMatching(/not valid UTF-8/) });
    const dos = edit(good(), 'Кодировка=', 'Кодировка=DOS');
    expect(refusal(iconv.encode(dos.join('\r\n'), 'cp866'))).toMatchObject({ line: lineNumberOf(dos, 'Кодировка='), reason: expect.stringMatching(/CP866\) is not supported/) });
  });

  it('stops at the first problem, even when the rest of the file is fine or has later problems', () => {
    const lines = edit(edit(good(), 'Сумма=', 'Сумма=abc'), 'Дата=', 'Дата=99.99.2026', secondDocOf());
    expect(refusal(encode(lines, 'utf-8')).line).toBe(lineNumberOf(lines, 'Сумма=abc'));
  });

  it('a binary or unrelated file', () => {
    expect(refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]))).toMatchObject({ line: 1 });
    expect(refusal(Buffer.from('Date;Amount\n2026-01-01;10\n'))).toMatchObject({ line: 1, reason: expect.stringMatching(/first line/) });
  });
});
