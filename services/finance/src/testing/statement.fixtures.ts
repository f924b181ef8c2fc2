import * as iconv from 'iconv-lite';

/**
 * Builders of small 1CClientBankExchange statements for the specs, in either encoding. Each builder returns the
 * lines, so a spec can break one of them and knows its 1-based line number.
 */

export const OUR_ACCOUNT = '40702810900000000001';

export type DocumentFields = Record<string, string>;

export const documentLines = (kind: string, fields: DocumentFields): string[] => [
  `СекцияДокумент=${kind}`,
  ...Object.entries(fields).map(([key, value]) => `${key}=${value}`),
  'КонецДокумента',
];

export const incoming = (overrides: DocumentFields = {}): DocumentFields => ({
  Номер: '15',
  Дата: '03.02.2026',
  Сумма: '12500.50',
  ПлательщикСчет: '40702810100000000777',
  ДатаСписано: '03.02.2026',
  Плательщик: 'ИНН 7707083893 ООО "Ромашка"',
  ПлательщикИНН: '7707083893',
  Плательщик1: 'ООО "Ромашка"',
  ПлательщикКПП: '770701001',
  ПлательщикБИК: '044525225',
  ПолучательСчет: OUR_ACCOUNT,
  ДатаПоступило: '04.02.2026',
  Получатель: 'ИНН 7736207543 ООО "Картотека"',
  ПолучательИНН: '7736207543',
  Получатель1: 'ООО "Картотека"',
  ПолучательКПП: '773601001',
  ПолучательБИК: '044525974',
  ВидПлатежа: 'электронно',
  ВидОплаты: '01',
  Очередность: '5',
  НазначениеПлатежа: 'Оплата по счету № А-15/2026 от 01.02.2026. В т.ч. НДС 20%',
  ...overrides,
});

export const headerLines = (overrides: Record<string, string> = {}): string[] =>
  Object.entries({
    ВерсияФормата: '1.03',
    Кодировка: 'Windows',
    Отправитель: 'Бухгалтерия предприятия',
    Получатель: '',
    ДатаСоздания: '05.02.2026',
    ВремяСоздания: '10:15:00',
    ДатаНачала: '01.02.2026',
    ДатаКонца: '05.02.2026',
    РасчСчет: OUR_ACCOUNT,
    Документ: 'Платежное поручение',
    ...overrides,
  }).map(([key, value]) => `${key}=${value}`);

export const accountLines = (overrides: Record<string, string> = {}): string[] => [
  'СекцияРасчСчет',
  ...Object.entries({
    ДатаНачала: '01.02.2026',
    ДатаКонца: '05.02.2026',
    РасчСчет: OUR_ACCOUNT,
    НачальныйОстаток: '100000.00',
    ВсегоПоступило: '12500.50',
    ВсегоСписано: '3000,5',
    КонечныйОстаток: '109500.00',
    ...overrides,
  }).map(([key, value]) => `${key}=${value}`),
  'КонецРасчСчет',
];

export const statementLines = (body: string[], header: string[] = headerLines()): string[] => ['1CClientBankExchange', ...header, ...body, 'КонецФайла'];

export const encode = (lines: string[], encoding: 'windows-1251' | 'utf-8', eol = '\r\n'): Buffer =>
  encoding === 'utf-8' ? Buffer.from(lines.join(eol) + eol, 'utf8') : iconv.encode(lines.join(eol) + eol, 'win1251');

/** The 1-based line number of the first line equal to (or starting with) `text`. */
export const lineNumberOf = (lines: string[], text: string, from = 1): number => {
  const index = lines.findIndex((line, i) => i + 1 >= from && (line === text || line.startsWith(text)));
  if (index < 0) throw new Error(`no line ${text}`);
  return index + 1;
};
