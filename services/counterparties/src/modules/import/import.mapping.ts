import { validateBik, validateInn, validateKpp, validateOgrn, validateSettlementAccount, type RequisiteIssue } from '@kartoteka/kit/requisites';
import { UserInputError } from '@kartoteka/kit';
import { isEmail } from 'class-validator';
import { normalize, validate, type Draft } from '../counterparty/counterparty.service';
import type { CounterpartyState } from '../counterparty/counterparty-change.service';
import { LIMITS } from '../counterparty/counterparty.input';
import type { CounterpartyKind, CounterpartyStatus } from '../counterparty/counterparty.entity';
import { IMPORT_FIELDS, type ImportColumnMapping, type ImportField } from './import-job.entity';

/** Header names (lower-cased, without punctuation) that suggest a field; RU and EN, as spreadsheets name them. */
const SYNONYMS: Record<ImportField, string[]> = {
  NAME: ['name', 'full name', 'company', 'company name', 'organization', 'organisation', 'наименование', 'полное наименование', 'название', 'организация', 'контрагент', 'компания'],
  SHORT_NAME: ['short name', 'shortname', 'краткое наименование', 'сокращенное наименование', 'сокращённое наименование', 'краткое название'],
  KIND: ['kind', 'type', 'legal form', 'вид', 'тип', 'тип контрагента', 'вид контрагента'],
  INN: ['inn', 'tin', 'tax id', 'инн'],
  KPP: ['kpp', 'кпп'],
  OGRN: ['ogrn', 'ogrnip', 'ogrn ogrnip', 'огрн', 'огрнип', 'огрн огрнип'],
  STATUS: ['status', 'статус'],
  TAGS: ['tags', 'tag', 'labels', 'теги', 'метки', 'тег'],
  LEGAL_ADDRESS: ['address', 'legal address', 'адрес', 'юридический адрес', 'юр адрес'],
  POSTAL_ADDRESS: ['postal address', 'mailing address', 'почтовый адрес', 'фактический адрес'],
  PHONE: ['phone', 'telephone', 'company phone', 'телефон', 'телефон организации'],
  EMAIL: ['email', 'e-mail', 'company email', 'электронная почта', 'почта', 'e-mail организации'],
  MANAGER_EMAIL: ['manager', 'manager email', 'responsible', 'responsible manager', 'менеджер', 'ответственный', 'ответственный менеджер', 'email менеджера', 'e-mail менеджера'],
  CONTACT_NAME: ['contact', 'contact name', 'contact person', 'контакт', 'контактное лицо', 'фио', 'фио контакта'],
  CONTACT_POSITION: ['position', 'job title', 'title', 'contact position', 'должность', 'должность контакта'],
  CONTACT_EMAIL: ['contact email', 'contact e-mail', 'email контакта', 'e-mail контакта', 'почта контакта'],
  CONTACT_PHONE: ['contact phone', 'mobile', 'телефон контакта', 'мобильный', 'мобильный телефон'],
  CONTACT_MAILING_CONSENT: ['mailing consent', 'consent', 'subscribed', 'согласие', 'согласие на рассылку', 'рассылка'],
  BANK_BIK: ['bik', 'bic', 'бик', 'бик банка'],
  BANK_ACCOUNT: ['account', 'settlement account', 'bank account', 'расчетный счет', 'расчётный счёт', 'р с', 'счет', 'счёт'],
  BANK_NAME: ['bank', 'bank name', 'банк', 'наименование банка', 'название банка'],
  BANK_CORRESPONDENT_ACCOUNT: ['correspondent account', 'corr account', 'корр счет', 'корр счёт', 'корреспондентский счет', 'корреспондентский счёт', 'к с'],
};

function headerKey(header: string): string {
  return header.toLowerCase().replace(/ё/g, 'е').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

const SYNONYM_INDEX = new Map<string, ImportField>(
  IMPORT_FIELDS.flatMap((field) => SYNONYMS[field].map((name): [string, ImportField] => [headerKey(name), field])),
);

/** A mapping guessed from the header names: each field at most once, the first column that names it wins. */
export function suggestMapping(headers: readonly string[]): ImportColumnMapping[] {
  const taken = new Set<ImportField>();
  const mapping: ImportColumnMapping[] = [];
  headers.forEach((header, column) => {
    const field = SYNONYM_INDEX.get(headerKey(header));
    if (field && !taken.has(field)) {
      taken.add(field);
      mapping.push({ column, field });
    }
  });
  return mapping;
}

/** Refuses a mapping that names a column twice, a column the file has not, a field twice, or no name / INN. */
export function checkMapping(mapping: readonly ImportColumnMapping[], columnCount: number): void {
  const columns = new Set<number>();
  const fields = new Set<ImportField>();
  for (const [index, item] of mapping.entries()) {
    if (!Number.isInteger(item.column) || item.column < 0 || item.column >= columnCount) throw new UserInputError(`columns.${index}.column`, `The file has no column ${item.column + 1}`);
    if (columns.has(item.column)) throw new UserInputError(`columns.${index}.column`, `Column ${item.column + 1} is mapped twice`);
    if (fields.has(item.field)) throw new UserInputError(`columns.${index}.field`, `Field ${item.field} is mapped to two columns`);
    columns.add(item.column);
    fields.add(item.field);
  }
  if (!fields.has('NAME')) throw new UserInputError('columns', 'Map a column to the name');
  if (!fields.has('INN')) throw new UserInputError('columns', 'Map a column to the INN');
}

const STATUS_WORDS: Record<string, CounterpartyStatus> = {
  prospect: 'PROSPECT', 'потенциальный': 'PROSPECT', 'потенциальный клиент': 'PROSPECT', 'лид': 'PROSPECT', 'проспект': 'PROSPECT',
  client: 'CLIENT', customer: 'CLIENT', 'клиент': 'CLIENT', 'покупатель': 'CLIENT',
  supplier: 'SUPPLIER', vendor: 'SUPPLIER', 'поставщик': 'SUPPLIER',
  partner: 'PARTNER', 'партнер': 'PARTNER',
};

const KIND_WORDS: Record<string, CounterpartyKind> = {
  legal_entity: 'LEGAL_ENTITY', 'legal entity': 'LEGAL_ENTITY', company: 'LEGAL_ENTITY', 'юл': 'LEGAL_ENTITY', 'юр лицо': 'LEGAL_ENTITY', 'юридическое лицо': 'LEGAL_ENTITY',
  sole_proprietor: 'SOLE_PROPRIETOR', 'sole proprietor': 'SOLE_PROPRIETOR', 'ип': 'SOLE_PROPRIETOR', 'индивидуальный предприниматель': 'SOLE_PROPRIETOR',
  individual: 'INDIVIDUAL', person: 'INDIVIDUAL', 'фл': 'INDIVIDUAL', 'физлицо': 'INDIVIDUAL', 'физ лицо': 'INDIVIDUAL', 'физическое лицо': 'INDIVIDUAL',
};

const YES = new Set(['да', 'yes', 'y', 'true', '1', '+', 'согласен', 'согласна', 'есть']);
const NO = new Set(['нет', 'no', 'n', 'false', '0', '-', 'не согласен', 'не согласна']);

function word(value: string): string {
  return value.toLowerCase().replace(/ё/g, 'е').replace(/[.\-]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The name of the contact made from a row's company phone / e-mail when it names no contact person. */
export const GENERAL_CONTACT_NAME = 'Общий контакт';

/** What one row says, by field; a field not mapped or left blank is absent. */
export type RowValues = Partial<Record<ImportField, string>>;

export function valuesOf(cells: readonly string[], mapping: readonly ImportColumnMapping[]): RowValues {
  const values: RowValues = {};
  for (const { column, field } of mapping) {
    const value = (cells[column] ?? '').trim();
    if (value) values[field] = value;
  }
  return values;
}

export type RowError = { field: string; message: string };

/**
 * A row as the counterparty service's draft (a create input), plus the problems only the import has (a status or
 * kind word it does not know, a manager e-mail of no active user). The kind, when not given, follows from the
 * requisites: 10-digit INN → legal entity; 12 digits → sole proprietor with an OGRNIP, else an individual.
 */
export function draftOf(values: RowValues, managers: ReadonlyMap<string, string>): { draft: Draft; errors: RowError[] } {
  const errors: RowError[] = [];
  let status: CounterpartyStatus = 'PROSPECT';
  if (values.STATUS) {
    const known = STATUS_WORDS[word(values.STATUS)] ?? (['PROSPECT', 'CLIENT', 'SUPPLIER', 'PARTNER'] as const).find((code) => code === values.STATUS?.toUpperCase());
    if (known) status = known;
    else errors.push({ field: 'status', message: `Unknown status «${values.STATUS.slice(0, 40)}»: use prospect, client, supplier or partner` });
  }
  const innDigits = (values.INN ?? '').replace(/\s+/g, '');
  const ogrnDigits = (values.OGRN ?? '').replace(/\s+/g, '');
  let kind: CounterpartyKind = innDigits.length === 12 ? (ogrnDigits.length === 15 ? 'SOLE_PROPRIETOR' : 'INDIVIDUAL') : 'LEGAL_ENTITY';
  if (values.KIND) {
    const known = KIND_WORDS[word(values.KIND)];
    if (known) kind = known;
    else errors.push({ field: 'kind', message: `Unknown kind «${values.KIND.slice(0, 40)}»: use ЮЛ, ИП or ФЛ` });
  }
  let responsibleManagerId: string | null = null;
  if (values.MANAGER_EMAIL) {
    responsibleManagerId = managers.get(values.MANAGER_EMAIL.toLowerCase()) ?? null;
    if (!responsibleManagerId) errors.push({ field: 'responsibleManagerId', message: `No active user has the e-mail ${values.MANAGER_EMAIL.slice(0, 254)}` });
  }
  let mailingConsent = false;
  if (values.CONTACT_MAILING_CONSENT) {
    const answer = word(values.CONTACT_MAILING_CONSENT);
    if (YES.has(answer)) mailingConsent = true;
    else if (!NO.has(answer)) errors.push({ field: 'contacts.0.mailingConsent', message: `Unknown consent «${values.CONTACT_MAILING_CONSENT.slice(0, 40)}»: use yes or no` });
  }
  const contacts: NonNullable<Draft['contacts']> = [];
  if (values.CONTACT_NAME || values.CONTACT_EMAIL || values.CONTACT_PHONE || values.CONTACT_POSITION) {
    contacts.push({ name: values.CONTACT_NAME ?? '', position: values.CONTACT_POSITION ?? null, email: values.CONTACT_EMAIL ?? null, phone: values.CONTACT_PHONE ?? null, mailingConsent });
  }
  if (values.PHONE || values.EMAIL) {
    const general = { name: GENERAL_CONTACT_NAME, position: null, email: values.EMAIL ?? null, phone: values.PHONE ?? null, mailingConsent: contacts.length ? false : mailingConsent };
    // the company's own phone / e-mail join the contact person only when the row has no separate contact details
    if (contacts.length && !contacts[0].email && !contacts[0].phone) contacts[0] = { ...contacts[0], email: general.email, phone: general.phone };
    else contacts.push(general);
  }
  const bankAccounts: NonNullable<Draft['bankAccounts']> = [];
  if (values.BANK_BIK || values.BANK_ACCOUNT || values.BANK_NAME || values.BANK_CORRESPONDENT_ACCOUNT) {
    bankAccounts.push({ bankName: values.BANK_NAME ?? '', bik: values.BANK_BIK ?? '', account: values.BANK_ACCOUNT ?? '', correspondentAccount: values.BANK_CORRESPONDENT_ACCOUNT ?? null });
  }
  const draft: Draft = {
    name: values.NAME ?? null,
    shortName: values.SHORT_NAME ?? null,
    kind,
    status,
    inn: values.INN ?? null,
    kpp: values.KPP ?? null,
    ogrn: values.OGRN ?? null,
    legalAddress: values.LEGAL_ADDRESS ?? null,
    postalAddress: values.POSTAL_ADDRESS ?? null,
    tags: values.TAGS ? values.TAGS.split(/[,;]/) : [],
    contacts,
    bankAccounts,
    responsibleManagerId,
  };
  return { draft, errors };
}

function issue(errors: RowError[], field: string, problem: RequisiteIssue | null): void {
  if (problem) errors.push({ field, message: problem.message });
}

function tooLong(errors: RowError[], field: string, value: string | null | undefined, max: number, label: string): void {
  if (value && value.length > max) errors.push({ field, message: `${label} must be at most ${max} characters long` });
}

/**
 * Every problem of a row, each with its field: the requisite validators one by one (so a row with a bad INN and a
 * bad KPP shows both), the input's lengths, then the counterparty service's own `validate` — the rule book of
 * every write — for whatever the field checks did not already report. Returns the normalized state when valid.
 */
export function checkRow(values: RowValues, managers: ReadonlyMap<string, string>): { state: CounterpartyState | null; errors: RowError[] } {
  const { draft, errors } = draftOf(values, managers);
  const state = normalize(draft);
  if (!state.name) errors.push({ field: 'name', message: 'Name must not be empty' });
  tooLong(errors, 'name', state.name, LIMITS.name, 'Name');
  tooLong(errors, 'shortName', state.shortName, LIMITS.shortName, 'Short name');
  tooLong(errors, 'legalAddress', state.legalAddress, LIMITS.address, 'Legal address');
  tooLong(errors, 'postalAddress', state.postalAddress, LIMITS.address, 'Postal address');
  if (state.kind) {
    issue(errors, 'inn', validateInn(state.inn, state.kind));
    issue(errors, 'kpp', validateKpp(state.kpp, state.kind));
    issue(errors, 'ogrn', validateOgrn(state.ogrn, state.kind));
  }
  state.bankAccounts.forEach((account, index) => {
    if (!account.bankName) errors.push({ field: `bankAccounts.${index}.bankName`, message: 'Bank name must not be empty' });
    tooLong(errors, `bankAccounts.${index}.bankName`, account.bankName, LIMITS.bankName, 'Bank name');
    const bik = validateBik(account.bik);
    issue(errors, `bankAccounts.${index}.bik`, bik);
    if (!bik) issue(errors, `bankAccounts.${index}.account`, validateSettlementAccount(account.account, account.bik));
  });
  state.contacts.forEach((contact, index) => {
    if (!contact.name) errors.push({ field: `contacts.${index}.name`, message: 'Contact name must not be empty' });
    tooLong(errors, `contacts.${index}.name`, contact.name, LIMITS.contactName, 'Contact name');
    tooLong(errors, `contacts.${index}.position`, contact.position, LIMITS.position, 'Position');
    tooLong(errors, `contacts.${index}.phone`, contact.phone, LIMITS.phone, 'Phone');
    if (contact.email !== null && (contact.email.length > LIMITS.email || !isEmail(contact.email))) errors.push({ field: `contacts.${index}.email`, message: 'Enter a valid e-mail address' });
  });
  state.tags.forEach((tag) => tooLong(errors, 'tags', tag, LIMITS.tag, 'A tag'));
  if (!errors.length) {
    try {
      validate(state);
    } catch (error) {
      if (!(error instanceof UserInputError)) throw error;
      errors.push({ field: String(error.extensions.field ?? ''), message: error.message });
    }
  }
  return { state: errors.length ? null : state, errors: dedupe(errors) };
}

function dedupe(errors: RowError[]): RowError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.field}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The key duplicates are found by: INN and KPP as the active-counterparty unique index compares them. */
export function innKppKey(inn: string, kpp: string | null): string {
  return `${inn}/${kpp ?? ''}`;
}
