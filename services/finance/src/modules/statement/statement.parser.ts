import { isCalendarDate, MAX_AMOUNT_MINOR } from '@kartoteka/kit';
import { isValidInn, KPP_PATTERN } from '@kartoteka/kit/requisites';
import * as iconv from 'iconv-lite';

/**
 * Parser of the bank-client exchange format `1CClientBankExchange` (the text file every Russian bank client
 * exports: a header of `key=value` lines, `СекцияРасчСчет … КонецРасчСчет` per account, `СекцияДокумент=<kind> …
 * КонецДокумента` per payment, `КонецФайла`).
 *
 * It is pure (bytes in, a value or a StatementFormatError out) and all-or-nothing: a statement is imported only
 * when every line of it makes sense, so the first malformed thing stops it with its 1-based line number and a
 * reason a person can act on. Fields it does not use (the format has dozens: ВидПлатежа, Очередность, tax fields…)
 * are skipped; unknown *structure* (sections, markers, lines that are not `key=value`) is an error, since
 * guessing there could drop or merge payments.
 */

export type StatementParty = { name: string | null; inn: string | null; kpp: string | null; account: string | null; bankBic: string | null };
export type StatementPayment = {
  line: number;
  /** The document kind after `СекцияДокумент=`, e.g. 'Платежное поручение'. */
  section: string;
  number: string;
  /** YYYY-MM-DD */
  date: string;
  amountMinor: number;
  payer: StatementParty;
  payee: StatementParty;
  purpose: string;
  debitedAt: string | null;
  creditedAt: string | null;
};
export type StatementAccount = {
  account: string;
  dateFrom: string | null;
  dateTo: string | null;
  openingMinor: number | null;
  closingMinor: number | null;
  debitMinor: number | null;
  creditMinor: number | null;
};
/**
 * Something kept but worth a look: a well-formed INN whose control digits are wrong (banks pass payments with
 * such INNs through; matching by it still works), a KPP or account of an unusual shape.
 */
export type StatementWarning = { line: number; field: string; code: 'inn.checksum' | 'kpp.format' | 'account.format'; message: string };
export type ParsedStatement = {
  encoding: 'windows-1251' | 'utf-8';
  formatVersion: string | null;
  sender: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  accounts: StatementAccount[];
  payments: StatementPayment[];
  warnings: StatementWarning[];
};

export class StatementFormatError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`Line ${line}: ${reason}`);
    this.name = 'StatementFormatError';
  }
}

const MAGIC = '1CClientBankExchange';
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

const DOCUMENT_SECTION = 'СекцияДокумент';
const ACCOUNT_SECTION = 'СекцияРасчСчет';
const END_DOCUMENT = 'КонецДокумента';
const END_ACCOUNT = 'КонецРасчСчет';
const END_FILE = 'КонецФайла';

type Decoded = { text: string; encoding: ParsedStatement['encoding'] };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const hasNonAscii = (bytes: Buffer): boolean => {
  for (const byte of bytes) if (byte > 0x7f) return true;
  return false;
};

/** The value of the first `Кодировка=` line of a decoded text, with its line number. */
const declaredEncoding = (text: string): { value: string; line: number } | null => {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i += 1) {
    const match = /^\s*Кодировка\s*=(.*)$/.exec(lines[i]);
    if (match) return { value: match[1].trim(), line: i + 1 };
    if (lines[i].trim().startsWith('Секция')) break;
  }
  return null;
};

const UTF8_NAMES = new Set(['utf-8', 'utf8']);
const DOS_NAMES = new Set(['dos', 'cp866', '866', 'ibm866']);

/**
 * UTF-8 when the file starts with a BOM, or is valid UTF-8 and either has non-ASCII bytes (Cyrillic keys in
 * Windows-1251 are never valid UTF-8) or declares `Кодировка=UTF-8`; otherwise Windows-1251. A declaration that
 * contradicts the bytes (UTF-8 declared, invalid UTF-8 found) and the DOS code page (CP866, long obsolete) are
 * refused with the line of `Кодировка`; otherwise the bytes decide and the label is only informational (a file
 * saved again as UTF-8 by an editor keeps its old `Кодировка=Windows`).
 */
const decode = (bytes: Buffer): Decoded => {
  if (bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2]) {
    try {
      return { text: strictUtf8.decode(bytes.subarray(3)), encoding: 'utf-8' };
    } catch {
      throw new StatementFormatError(1, 'the file starts with a UTF-8 byte order mark but is not valid UTF-8');
    }
  }
  let utf8: string | null = null;
  try {
    utf8 = strictUtf8.decode(bytes);
  } catch {
    utf8 = null;
  }
  if (utf8 !== null) {
    const declared = declaredEncoding(utf8);
    if (hasNonAscii(bytes) || (declared && UTF8_NAMES.has(declared.value.toLowerCase()))) return { text: utf8, encoding: 'utf-8' };
  }
  const text = iconv.decode(bytes, 'win1251');
  const declared = declaredEncoding(text);
  if (declared && UTF8_NAMES.has(declared.value.toLowerCase())) {
    throw new StatementFormatError(declared.line, 'the file declares Кодировка=UTF-8 but is not valid UTF-8');
  }
  if (!declared) {
    const dos = declaredEncoding(iconv.decode(bytes, 'cp866'));
    if (dos && DOS_NAMES.has(dos.value.toLowerCase())) {
      throw new StatementFormatError(dos.line, 'the DOS code page (CP866) is not supported: export the statement in Windows (1251) or UTF-8 encoding');
    }
  }
  return { text, encoding: 'windows-1251' };
};

/** DD.MM.YYYY → YYYY-MM-DD, only for a real calendar date. */
const parseDate = (value: string, line: number, field: string): string => {
  const match = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value);
  if (match) {
    const [, dd, mm, yyyy] = match;
    const date = `${yyyy}-${mm}-${dd}`;
    if (Number(yyyy) >= 1900 && isCalendarDate(date)) return date;
  }
  throw new StatementFormatError(line, `${field}: "${value}" is not a date (DD.MM.YYYY)`);
};

const optionalDate = (value: string | undefined, line: number, field: string): string | null =>
  value === undefined || value === '' ? null : parseDate(value, line, field);

/**
 * "1234.56", "1234,56", "1234.5" or "1234" → kopecks; `signed` allows a leading minus (an account balance can be
 * negative with an overdraft). Computed from the digit strings, never through a float.
 */
const parseAmount = (value: string, line: number, field: string, signed = false): number => {
  const match = /^(-?)(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(value);
  if (!match || (match[1] === '-' && !signed)) {
    throw new StatementFormatError(line, `${field}: "${value}" is not an amount (digits with an optional . or , and up to 2 decimals)`);
  }
  const minor = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  if (minor > MAX_AMOUNT_MINOR) {
    throw new StatementFormatError(line, `${field}: ${value} exceeds the largest amount accepted (${MAX_AMOUNT_MINOR / 100})`);
  }
  return match[1] === '-' ? -minor : minor;
};

const optionalAmount = (value: string | undefined, line: number, field: string): number | null =>
  value === undefined || value === '' ? null : parseAmount(value, line, field, true);

type Field = { value: string; line: number };
type Section = { kind: 'document' | 'account'; name: string; line: number; fields: Map<string, Field> };

const valueOf = (section: Section, key: string): string | undefined => {
  const field = section.fields.get(key);
  return field === undefined || field.value === '' ? undefined : field.value;
};
const lineOf = (section: Section, key: string): number => section.fields.get(key)?.line ?? section.line;

const required = (section: Section, key: string): Field => {
  const field = section.fields.get(key);
  if (!field || field.value === '') {
    throw new StatementFormatError(section.line, `the ${section.name} section has no ${key}`);
  }
  return field;
};

/** Absent requisites are often written as "0" (an individual without a KPP, a payer without an INN). */
const requisite = (section: Section, key: string): string | null => {
  const value = valueOf(section, key);
  return value === undefined || /^0+$/.test(value) ? null : value;
};

const party = (section: Section, prefix: 'Плательщик' | 'Получатель', warnings: StatementWarning[]): StatementParty => {
  const inn = requisite(section, `${prefix}ИНН`);
  if (inn !== null) {
    const line = lineOf(section, `${prefix}ИНН`);
    if (!/^(\d{10}|\d{12})$/.test(inn)) {
      throw new StatementFormatError(line, `${prefix}ИНН: "${inn}" is not an INN (10 or 12 digits)`);
    }
    if (!isValidInn(inn)) {
      warnings.push({ line, field: `${prefix}ИНН`, code: 'inn.checksum', message: `INN ${inn} has invalid control digits` });
    }
  }
  const kpp = requisite(section, `${prefix}КПП`);
  if (kpp !== null && !KPP_PATTERN.test(kpp)) {
    warnings.push({ line: lineOf(section, `${prefix}КПП`), field: `${prefix}КПП`, code: 'kpp.format', message: `KPP ${kpp} is not 9 characters of the KPP pattern` });
  }
  const accountKey = valueOf(section, `${prefix}Счет`) !== undefined ? `${prefix}Счет` : `${prefix}РасчСчет`;
  const account = valueOf(section, accountKey) ?? null;
  if (account !== null && !/^\d{20}$/.test(account)) {
    warnings.push({ line: lineOf(section, accountKey), field: accountKey, code: 'account.format', message: `account ${account} is not 20 digits` });
  }
  /* `Плательщик1` is the bare name; `Плательщик` is often "ИНН 7701234567 ООО Ромашка". */
  const fullName = valueOf(section, prefix);
  const name = valueOf(section, `${prefix}1`) ?? (fullName === undefined ? undefined : fullName.replace(/^ИНН\s+\d+\s+/, ''));
  return { name: name ?? null, inn, kpp, account, bankBic: requisite(section, `${prefix}БИК`) };
};

/**
 * `НазначениеПлатежа` is the whole text; `НазначениеПлатежа1..6` are either the same text cut into lines (then
 * the whole text is kept) or its continuation (then they are appended).
 */
const purposeOf = (section: Section): string => {
  const whole = valueOf(section, 'НазначениеПлатежа') ?? '';
  const parts: string[] = [];
  for (let i = 1; i <= 6; i += 1) {
    const part = valueOf(section, `НазначениеПлатежа${i}`);
    if (part !== undefined) parts.push(part);
  }
  if (parts.length === 0) return whole;
  const normalise = (value: string): string => value.replace(/\s+/g, '');
  if (whole !== '' && normalise(whole).includes(normalise(parts.join('')))) return whole;
  return [whole, ...parts].filter((part) => part !== '').join(' ');
};

const toPayment = (section: Section, warnings: StatementWarning[]): StatementPayment => {
  const number = required(section, 'Номер').value;
  const date = required(section, 'Дата');
  const amount = required(section, 'Сумма');
  const amountMinor = parseAmount(amount.value, amount.line, 'Сумма');
  if (amountMinor === 0) throw new StatementFormatError(amount.line, 'Сумма: a payment of zero');
  return {
    line: section.line,
    section: section.name.slice(DOCUMENT_SECTION.length + 1),
    number,
    date: parseDate(date.value, date.line, 'Дата'),
    amountMinor,
    payer: party(section, 'Плательщик', warnings),
    payee: party(section, 'Получатель', warnings),
    purpose: purposeOf(section),
    debitedAt: optionalDate(valueOf(section, 'ДатаСписано'), lineOf(section, 'ДатаСписано'), 'ДатаСписано'),
    creditedAt: optionalDate(valueOf(section, 'ДатаПоступило'), lineOf(section, 'ДатаПоступило'), 'ДатаПоступило'),
  };
};

const toAccount = (section: Section, warnings: StatementWarning[]): StatementAccount => {
  const account = required(section, 'РасчСчет');
  if (!/^\d{20}$/.test(account.value)) {
    warnings.push({ line: account.line, field: 'РасчСчет', code: 'account.format', message: `account ${account.value} is not 20 digits` });
  }
  const date = (key: string): string | null => optionalDate(valueOf(section, key), lineOf(section, key), key);
  const amount = (key: string): number | null => optionalAmount(valueOf(section, key), lineOf(section, key), key);
  const result: StatementAccount = {
    account: account.value,
    dateFrom: date('ДатаНачала'),
    dateTo: date('ДатаКонца'),
    openingMinor: amount('НачальныйОстаток'),
    closingMinor: amount('КонечныйОстаток'),
    debitMinor: amount('ВсегоСписано'),
    creditMinor: amount('ВсегоПоступило'),
  };
  if (result.dateFrom && result.dateTo && result.dateTo < result.dateFrom) {
    throw new StatementFormatError(lineOf(section, 'ДатаКонца'), 'ДатаКонца is before ДатаНачала');
  }
  return result;
};

const closerOf = (section: Section): string => (section.kind === 'document' ? END_DOCUMENT : END_ACCOUNT);

/** Parses a whole statement file; throws StatementFormatError (1-based line, reason) on the first malformed thing. */
export function parseBankStatement(bytes: Buffer): ParsedStatement {
  if (bytes.length === 0) throw new StatementFormatError(1, 'the file is empty');
  const { text: content, encoding } = decode(bytes);
  const lines = content.split(/\r\n|\n|\r/);
  if (lines.every((line) => line.trim() === '')) throw new StatementFormatError(1, 'the file is empty');
  if (lines[0].trim() !== MAGIC) {
    throw new StatementFormatError(1, `the first line must be ${MAGIC} (this is not a 1C bank-client exchange file)`);
  }

  const header = new Map<string, Field>();
  const headerAccounts: Field[] = [];
  const accounts: StatementAccount[] = [];
  const payments: StatementPayment[] = [];
  const warnings: StatementWarning[] = [];
  let section: Section | null = null;
  let sectionsSeen = false;
  let endLine: number | null = null;

  for (let index = 1; index < lines.length; index += 1) {
    const lineNo = index + 1;
    const line = lines[index].trim();
    if (line === '') continue;
    if (endLine !== null) throw new StatementFormatError(lineNo, `content after ${END_FILE} (line ${endLine})`);

    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? '' : line.slice(eq + 1).trim();

    if (key.startsWith('Секция')) {
      if (section) {
        throw new StatementFormatError(lineNo, `${key} inside the ${section.name} section opened at line ${section.line} (${closerOf(section)} missing)`);
      }
      if (key === DOCUMENT_SECTION) {
        if (eq < 0 || value === '') throw new StatementFormatError(lineNo, `${DOCUMENT_SECTION} without a document kind (${DOCUMENT_SECTION}=Платежное поручение)`);
        section = { kind: 'document', name: `${DOCUMENT_SECTION}=${value}`, line: lineNo, fields: new Map() };
      } else if (key === ACCOUNT_SECTION && (eq < 0 || value === '')) {
        section = { kind: 'account', name: ACCOUNT_SECTION, line: lineNo, fields: new Map() };
      } else {
        throw new StatementFormatError(lineNo, `unknown section "${line}"`);
      }
      sectionsSeen = true;
      continue;
    }
    if (key === END_DOCUMENT || key === END_ACCOUNT || key === END_FILE) {
      if (eq >= 0 && value !== '') throw new StatementFormatError(lineNo, `${key} takes no value`);
      if (key === END_FILE) {
        if (section) {
          throw new StatementFormatError(section.line, `the ${section.name} section opened here is not closed before ${END_FILE} (${closerOf(section)} missing)`);
        }
        endLine = lineNo;
        continue;
      }
      if (!section) throw new StatementFormatError(lineNo, `${key} without an open section`);
      if (closerOf(section) !== key) {
        throw new StatementFormatError(lineNo, `${key} closes the ${section.name} section opened at line ${section.line}, which ends with ${closerOf(section)}`);
      }
      if (section.kind === 'document') payments.push(toPayment(section, warnings));
      else accounts.push(toAccount(section, warnings));
      section = null;
      continue;
    }
    if (key.startsWith('Конец')) throw new StatementFormatError(lineNo, `unknown end marker "${line}"`);
    if (eq < 0) throw new StatementFormatError(lineNo, `"${line}" is neither key=value nor a section marker`);
    if (key === '') throw new StatementFormatError(lineNo, 'a value without a key');

    if (section) {
      section.fields.set(key, { value, line: lineNo });
    } else if (sectionsSeen) {
      throw new StatementFormatError(lineNo, `${key} outside a section (the header ends at the first section)`);
    } else if (key === 'РасчСчет') {
      if (value !== '') headerAccounts.push({ value, line: lineNo });
    } else if (!header.has(key)) {
      header.set(key, { value, line: lineNo });
    }
  }

  if (section) {
    throw new StatementFormatError(section.line, `the ${section.name} section opened here is never closed (${closerOf(section)} missing)`);
  }
  if (endLine === null) {
    let last = lines.length;
    while (last > 1 && lines[last - 1].trim() === '') last -= 1;
    throw new StatementFormatError(last, `the file ends without ${END_FILE} (truncated?)`);
  }

  const headerValue = (key: string): string | null => {
    const field = header.get(key);
    return field === undefined || field.value === '' ? null : field.value;
  };
  const headerDate = (key: string): string | null => {
    const field = header.get(key);
    return field === undefined || field.value === '' ? null : parseDate(field.value, field.line, key);
  };
  const dateFrom = headerDate('ДатаНачала');
  const dateTo = headerDate('ДатаКонца');
  if (dateFrom && dateTo && dateTo < dateFrom) {
    throw new StatementFormatError(header.get('ДатаКонца')?.line ?? 1, 'ДатаКонца is before ДатаНачала');
  }
  for (const field of headerAccounts) {
    if (!accounts.some((account) => account.account === field.value)) {
      if (!/^\d{20}$/.test(field.value)) {
        warnings.push({ line: field.line, field: 'РасчСчет', code: 'account.format', message: `account ${field.value} is not 20 digits` });
      }
      accounts.push({ account: field.value, dateFrom, dateTo, openingMinor: null, closingMinor: null, debitMinor: null, creditMinor: null });
    }
  }

  return {
    encoding,
    formatVersion: headerValue('ВерсияФормата'),
    sender: headerValue('Отправитель'),
    dateFrom,
    dateTo,
    accounts,
    payments,
    warnings,
  };
}
