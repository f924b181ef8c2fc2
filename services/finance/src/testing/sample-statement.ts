import { addDays, DEMO_COUNTERPARTY_IDS, DEMO_OWN_COMPANY, demoSampleStatementPayments, type DemoBankParty } from '@kartoteka/kit';
import { makeInn10 } from '@kartoteka/kit/requisites';

/**
 * The generator of services/finance/demo/sample-statement.txt — the bank statement a new user imports from the portal
 * (`sample-statement.spec.ts` checks the committed file is exactly this, and rewrites it with
 * UPDATE_SAMPLE_STATEMENT=1). One week of our demo company's account (ООО «Картотека», DEMO_OWN_COMPANY), 18 payments
 * chosen to show every outcome of the import:
 * - 5 payments of the OPEN demo invoices (kit `demoSampleStatementPayments`: 4 clients pay us, we pay 1 supplier):
 *   matched to the counterparty and the invoice by the number and amount in the purpose (confidence 1);
 * - 9 payments of other demo counterparties, with no invoice finance knows: matched to the counterparty only (by INN
 *   and KPP: 0.6; the sole proprietor by INN alone: 0.5);
 * - 1 payment from «Северная Логистика»'s INN without a KPP from an account never seen: the INN belongs to the head
 *   office and its Saint Petersburg branch, so it is AMBIGUOUS (the review queue);
 * - 3 payments of no counterparty of ours — the bank's fee, a tax, an unknown company paying «счёт № 1017»: UNMATCHED.
 * Re-importing it imports nothing twice (every payment is a duplicate the second time).
 */

/** The day the sample was generated for (fixed, so the file never changes); the open invoices' numbers and amounts do not depend on it. */
export const SAMPLE_DAY = '2026-12-05';
export const SAMPLE_FROM = addDays(SAMPLE_DAY, -4);

/** Requisites of demo counterparties outside the finance history, as the counterparties demo seed has them (public demo data). */
type Other = { index: number; name: string; inn: string; kpp: string | null; account: string; bik: string };
const OTHERS: Record<string, Other> = {
  vector: { index: 29, name: 'ООО «ТД «Вектор»', inn: '7726946143', kpp: '772601001', account: '40702810838009926338', bik: '044525225' },
  auditBalance: { index: 30, name: 'ООО «Аудит-Баланс»', inn: '7701600457', kpp: '770101001', account: '40702810022208752523', bik: '044525787' },
  polygraphy: { index: 32, name: 'ООО «Петербургская полиграфия»', inn: '7806950762', kpp: '780601001', account: '40702810155001353292', bik: '044030653' },
  bsrz: { index: 33, name: 'АО «БСРЗ»', inn: '7805501683', kpp: '780501001', account: '40702810700004758836', bik: '044030790' },
  volgaPharm: { index: 39, name: 'ООО «Волга-Фарм»', inn: '5262229781', kpp: '526201001', account: '40702810142053218953', bik: '042202603' },
  rostovAgro: { index: 41, name: 'ООО «Ростовская сельхозтехника»', inn: '6163918711', kpp: '616301001', account: '40702810752099820442', bik: '046015602' },
  yenisei: { index: 43, name: 'ООО «Енисей Энергомонтаж»', inn: '2463763620', kpp: '246301001', account: '40702810331008822978', bik: '040407627' },
  sztk: { index: 48, name: 'ПАО «СЗТК»', inn: '7838302073', kpp: '783801001', account: '40702810955004121553', bik: '044030653' },
  ivanov: { index: 49, name: 'ИП Иванов П. С.', inn: '772051655796', kpp: null, account: '40802810038009850706', bik: '044525225' },
};

/** The demo counterparties the sample pays or is paid by, outside the finance history (id = DEMO_COUNTERPARTY_IDS[index]). */
export const SAMPLE_OTHER_COUNTERPARTIES = Object.values(OTHERS).map((other) => ({ id: DEMO_COUNTERPARTY_IDS[other.index], name: other.name, inn: other.inn, kpp: other.kpp }));

type Party = { name: string; inn: string | null; kpp: string | null; account: string; bik: string };
type SamplePayment = { kind: string; number: string; date: string; amountMinor: number; payer: Party; payee: Party; purpose: string; incoming: boolean };

const US: Party = { name: DEMO_OWN_COMPANY.name, inn: DEMO_OWN_COMPANY.inn, kpp: DEMO_OWN_COMPANY.kpp, account: DEMO_OWN_COMPANY.account, bik: DEMO_OWN_COMPANY.bik };
const party = (source: DemoBankParty | Other): Party => ({ name: source.name, inn: source.inn, kpp: source.kpp, account: source.account, bik: source.bik });

const day = (offset: number): string => addDays(SAMPLE_FROM, offset);

function samplePayments(): SamplePayment[] {
  const open = demoSampleStatementPayments(SAMPLE_DAY).map((payment) => ({
    kind: 'Платежное поручение',
    number: payment.number,
    date: payment.date,
    amountMinor: payment.amountMinor,
    payer: payment.direction === 'INCOMING' ? party(payment.payer) : US,
    payee: payment.direction === 'INCOMING' ? US : party(payment.payee),
    purpose: payment.purpose,
    incoming: payment.direction === 'INCOMING',
  }));
  const pays = (from: Other, number: string, offset: number, amountMinor: number, purpose: string): SamplePayment => ({ kind: 'Платежное поручение', number, date: day(offset), amountMinor, payer: party(from), payee: US, purpose, incoming: true });
  const paid = (to: Other | Party, number: string, offset: number, amountMinor: number, purpose: string, kind = 'Платежное поручение'): SamplePayment => ({
    kind,
    number,
    date: day(offset),
    amountMinor,
    payer: US,
    payee: 'index' in to ? party(to) : to,
    purpose,
    incoming: false,
  });
  const others: SamplePayment[] = [
    pays(OTHERS.vector, '1542', 0, 186_000_00, 'Оплата по договору поставки № 45/2026 от 12.10.2026 (аванс 30%), в т.ч. НДС 22% - 33540.98 руб.'),
    pays(OTHERS.bsrz, '3310', 0, 92_450_00, 'Оплата за техническое обслуживание оборудования за ноябрь 2026 г., в т.ч. НДС 22% - 16671.31 руб.'),
    pays(OTHERS.volgaPharm, '877', 1, 411_200_00, 'Оплата по договору № ВФ-118 от 02.09.2026, в т.ч. НДС 22% - 74150.82 руб.'),
    pays(OTHERS.rostovAgro, '2290', 2, 57_800_00, 'Оплата за поставленный товар по УПД № 884 от 25.11.2026, в т.ч. НДС 22% - 10422.95 руб.'),
    pays(OTHERS.yenisei, '6123', 3, 1_250_000_00, 'Предоплата по договору подряда № 17-ЕЭ от 20.11.2026, в т.ч. НДС 22% - 225409.84 руб.'),
    pays(OTHERS.sztk, '19044', 4, 304_990_00, 'Оплата по договору № 2026/311 за ноябрь 2026 г., в т.ч. НДС 22% - 54998.36 руб.'),
    paid(OTHERS.polygraphy, '1207', 1, 48_600_00, 'Оплата за изготовление каталогов по договору № 56-П, в т.ч. НДС 22% - 8763.93 руб.'),
    paid(OTHERS.auditBalance, '1208', 2, 150_000_00, 'Оплата аудиторских услуг по договору № АБ-2026/14, в т.ч. НДС 22% - 27049.18 руб.'),
    paid(OTHERS.ivanov, '1209', 3, 35_000_00, 'Оплата за курьерские услуги за ноябрь 2026 г. НДС не облагается'),
  ];
  const ambiguous: SamplePayment = {
    kind: 'Платежное поручение',
    number: '4190',
    date: day(3),
    amountMinor: 64_000_00,
    payer: { name: 'ООО «Северная Логистика»', inn: '7715301256', kpp: null, account: '40702810400000012233', bik: '044525593' },
    payee: US,
    purpose: 'Оплата за хранение груза, в т.ч. НДС 22% - 11540.98 руб.',
    incoming: true,
  };
  const unmatched: SamplePayment[] = [
    paid({ name: 'ПАО Сбербанк', inn: '7707083893', kpp: '773601001', account: '70601810038002740000', bik: '044525225' }, '71', 4, 2_490_00, 'Комиссия за ведение счёта за ноябрь 2026 г. Без НДС', 'Банковский ордер'),
    paid({ name: 'Казначейство России (ФНС России)', inn: '7727406020', kpp: '770801001', account: '03100643000000018500', bik: '024501901' }, '1210', 4, 318_420_00, 'Единый налоговый платёж'),
    { kind: 'Платежное поручение', number: '512', date: day(2), amountMinor: 23_700_00, payer: { name: 'ООО «Альфа-Сервис»', inn: makeInn10('770123457'), kpp: '770101001', account: '40702810500000004411', bik: '044525974' }, payee: US, purpose: 'Оплата по счёту № 1017 от 28.11.2026, в т.ч. НДС 22% - 4273.77 руб.', incoming: true },
  ];
  return [...open, ...others, ambiguous, ...unmatched].sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? -1 : 1));
}

const amount = (minor: number): string => (minor / 100).toFixed(2);
const ru = (date: string): string => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

/** The sample statement's lines (joined with CRLF and encoded in Windows-1251 in the file). */
export function sampleStatementLines(): string[] {
  const payments = samplePayments();
  const credit = payments.filter((payment) => payment.incoming).reduce((sum, payment) => sum + payment.amountMinor, 0);
  const debit = payments.filter((payment) => !payment.incoming).reduce((sum, payment) => sum + payment.amountMinor, 0);
  const opening = 18_540_312_45;
  const lines = [
    '1CClientBankExchange',
    'ВерсияФормата=1.03',
    'Кодировка=Windows',
    'Отправитель=СберБизнес',
    'Получатель=Бухгалтерия предприятия',
    `ДатаСоздания=${ru(SAMPLE_DAY)}`,
    'ВремяСоздания=18:02:11',
    `ДатаНачала=${ru(SAMPLE_FROM)}`,
    `ДатаКонца=${ru(SAMPLE_DAY)}`,
    `РасчСчет=${US.account}`,
    'Документ=Платежное поручение',
    'Документ=Банковский ордер',
    'СекцияРасчСчет',
    `ДатаНачала=${ru(SAMPLE_FROM)}`,
    `ДатаКонца=${ru(SAMPLE_DAY)}`,
    `РасчСчет=${US.account}`,
    `НачальныйОстаток=${amount(opening)}`,
    `ВсегоПоступило=${amount(credit)}`,
    `ВсегоСписано=${amount(debit)}`,
    `КонечныйОстаток=${amount(opening + credit - debit)}`,
    'КонецРасчСчет',
  ];
  for (const payment of payments) {
    lines.push(
      `СекцияДокумент=${payment.kind}`,
      `Номер=${payment.number}`,
      `Дата=${ru(payment.date)}`,
      `Сумма=${amount(payment.amountMinor)}`,
      `ПлательщикСчет=${payment.payer.account}`,
      `ДатаСписано=${payment.incoming ? '' : ru(payment.date)}`,
      `Плательщик=${payment.payer.inn ? `ИНН ${payment.payer.inn} ` : ''}${payment.payer.name}`,
      `ПлательщикИНН=${payment.payer.inn ?? ''}`,
      `Плательщик1=${payment.payer.name}`,
      `ПлательщикКПП=${payment.payer.kpp ?? '0'}`,
      `ПлательщикБИК=${payment.payer.bik}`,
      `ПолучательСчет=${payment.payee.account}`,
      `ДатаПоступило=${payment.incoming ? ru(payment.date) : ''}`,
      `Получатель=${payment.payee.inn ? `ИНН ${payment.payee.inn} ` : ''}${payment.payee.name}`,
      `ПолучательИНН=${payment.payee.inn ?? ''}`,
      `Получатель1=${payment.payee.name}`,
      `ПолучательКПП=${payment.payee.kpp ?? '0'}`,
      `ПолучательБИК=${payment.payee.bik}`,
      'ВидОплаты=01',
      'Очередность=5',
      `НазначениеПлатежа=${payment.purpose}`,
      'КонецДокумента',
    );
  }
  lines.push('КонецФайла');
  return lines;
}
