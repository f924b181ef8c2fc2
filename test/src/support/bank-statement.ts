import { addDays, russianDate, todayUtc } from '@kartoteka/kit';

/**
 * A 1CClientBankExchange statement (UTF-8) for the specs and the benchmark: the payments of our account, incoming
 * or outgoing, as the bank client would export them.
 */
export const OUR_ACCOUNT = '40702810900000000001';
export const OUR_INN = '7736207543';

export type StatementLine = {
  number: string;
  /** YYYY-MM-DD */
  date: string;
  amountMinor: number;
  direction: 'INCOMING' | 'OUTGOING';
  /** The other side. */
  party: { name: string; inn: string; kpp?: string; account: string };
  purpose: string;
};

const ddmmyyyy = russianDate;
const rubles = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

export function bankStatement(lines: readonly StatementLine[], period: { from: string; to: string }): Buffer {
  const us = { name: 'ООО "Картотека"', inn: OUR_INN, kpp: '773601001', account: OUR_ACCOUNT };
  const out = ['1CClientBankExchange', 'ВерсияФормата=1.03', 'Кодировка=UTF-8', 'Отправитель=Бухгалтерия предприятия', `ДатаНачала=${ddmmyyyy(period.from)}`, `ДатаКонца=${ddmmyyyy(period.to)}`, `РасчСчет=${OUR_ACCOUNT}`, 'Документ=Платежное поручение'];
  out.push('СекцияРасчСчет', `ДатаНачала=${ddmmyyyy(period.from)}`, `ДатаКонца=${ddmmyyyy(period.to)}`, `РасчСчет=${OUR_ACCOUNT}`, 'НачальныйОстаток=0.00', 'КонецРасчСчет');
  for (const line of lines) {
    const [payer, payee] = line.direction === 'INCOMING' ? [line.party, us] : [us, line.party];
    out.push(
      'СекцияДокумент=Платежное поручение',
      `Номер=${line.number}`,
      `Дата=${ddmmyyyy(line.date)}`,
      `Сумма=${rubles(line.amountMinor)}`,
      `ПлательщикСчет=${payer.account}`,
      `Плательщик1=${payer.name}`,
      `ПлательщикИНН=${payer.inn}`,
      ...(payer.kpp ? [`ПлательщикКПП=${payer.kpp}`] : []),
      `ПолучательСчет=${payee.account}`,
      `Получатель1=${payee.name}`,
      `ПолучательИНН=${payee.inn}`,
      ...(payee.kpp ? [`ПолучательКПП=${payee.kpp}`] : []),
      line.direction === 'INCOMING' ? `ДатаПоступило=${ddmmyyyy(line.date)}` : `ДатаСписано=${ddmmyyyy(line.date)}`,
      `НазначениеПлатежа=${line.purpose}`,
      'КонецДокумента',
    );
  }
  out.push('КонецФайла');
  return Buffer.from(out.join('\r\n') + '\r\n', 'utf8');
}

/** Today and days before/after it as UTC calendar dates, YYYY-MM-DD. */
export const isoDay = (offsetDays = 0): string => addDays(todayUtc(), offsetDays);
