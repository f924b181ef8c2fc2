import type { ApiError, Locale } from '@kartoteka/portal-api';
import type {
  BankAccountInput,
  ContactInput,
  CounterpartyDetails,
  CounterpartyKind,
  CounterpartyStatus,
  CreateCounterpartyInput,
  UpdateCounterpartyInput,
} from '../api/counterparty.queries';
import {
  requisiteMessages,
  validateBik,
  validateCorrespondentAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateSettlementAccount,
  type RequisiteIssue,
  type RequisiteIssueCode,
} from '../requisites';

/** What the form edits: plain strings, rows keyed for v-for. */
export type ContactDraft = { key: string; name: string; position: string; email: string; phone: string; mailingConsent: boolean };
export type BankAccountDraft = { key: string; bankName: string; bik: string; account: string; correspondentAccount: string };

export type CounterpartyDraft = {
  kind: CounterpartyKind;
  status: CounterpartyStatus;
  name: string;
  shortName: string;
  inn: string;
  kpp: string;
  ogrn: string;
  legalAddress: string;
  postalAddress: string;
  tags: string[];
  contacts: ContactDraft[];
  bankAccounts: BankAccountDraft[];
  responsibleManagerId: string | null;
};

/**
 * The create input as the form builds it from a draft: every field present (null when empty), lists as lists — the
 * API's input also takes them absent or as a single item. It is a CreateCounterpartyInput, and the base an update's
 * changes are taken against.
 */
export type CounterpartyInput = Required<Omit<CreateCounterpartyInput, 'status' | 'bankAccounts' | 'contacts' | 'tags'>> & {
  status: CounterpartyStatus;
  bankAccounts: Required<BankAccountInput>[];
  contacts: Required<ContactInput>[];
  tags: string[];
};

/**
 * A problem shown under a field. Kept as a description, not as text, so it follows a language switch:
 * a requisite issue (shared validators), a message of this app, or a server text as is.
 */
export type FieldIssue =
  | { kind: 'requisite'; code: RequisiteIssueCode }
  | { kind: 'message'; key: string; params?: Record<string, string> }
  | { kind: 'text'; text: string };

/** Field path (the API's input path, e.g. `inn`, `bankAccounts.0.account`) -> issue. */
export type FieldErrors = Record<string, FieldIssue>;

let rowSequence = 0;
const rowKey = (): string => `row-${(rowSequence += 1)}`;

export const emptyContact = (): ContactDraft => ({ key: rowKey(), name: '', position: '', email: '', phone: '', mailingConsent: false });

export const emptyBankAccount = (): BankAccountDraft => ({
  key: rowKey(),
  bankName: '',
  bik: '',
  account: '',
  correspondentAccount: '',
});

export const emptyDraft = (): CounterpartyDraft => ({
  kind: 'LEGAL_ENTITY',
  status: 'PROSPECT',
  name: '',
  shortName: '',
  inn: '',
  kpp: '',
  ogrn: '',
  legalAddress: '',
  postalAddress: '',
  tags: [],
  contacts: [],
  bankAccounts: [],
  responsibleManagerId: null,
});

export const draftFromCounterparty = (cp: CounterpartyDetails): CounterpartyDraft => ({
  kind: cp.kind,
  status: cp.status,
  name: cp.name,
  shortName: cp.shortName ?? '',
  inn: cp.inn,
  kpp: cp.kpp ?? '',
  ogrn: cp.ogrn ?? '',
  legalAddress: cp.legalAddress ?? '',
  postalAddress: cp.postalAddress ?? '',
  tags: [...cp.tags],
  contacts: cp.contacts.map((c) => ({
    key: rowKey(),
    name: c.name,
    position: c.position ?? '',
    email: c.email ?? '',
    phone: c.phone ?? '',
    mailingConsent: c.mailingConsent,
  })),
  bankAccounts: cp.bankAccounts.map((b) => ({
    key: rowKey(),
    bankName: b.bankName,
    bik: b.bik,
    account: b.account,
    correspondentAccount: b.correspondentAccount ?? '',
  })),
  responsibleManagerId: cp.responsibleManager?.id ?? null,
});

const optional = (value: string): string | null => {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};
/** Digits-only requisites: spaces people paste in are dropped. */
const compact = (value: string): string => value.replace(/\s+/g, '');
const optionalCompact = (value: string): string | null => {
  const c = compact(value);
  return c === '' ? null : c;
};

/** The API input for a draft: trimmed, requisites without spaces, fields the kind does not have set to null. */
export const toCounterpartyInput = (draft: CounterpartyDraft): CounterpartyInput => ({
  kind: draft.kind,
  status: draft.status,
  name: draft.name.trim(),
  shortName: optional(draft.shortName),
  inn: compact(draft.inn),
  kpp: draft.kind === 'LEGAL_ENTITY' ? optionalCompact(draft.kpp.toUpperCase()) : null,
  ogrn: draft.kind === 'INDIVIDUAL' ? null : optionalCompact(draft.ogrn),
  legalAddress: optional(draft.legalAddress),
  postalAddress: optional(draft.postalAddress),
  tags: [...new Set(draft.tags.map((tag) => tag.trim()).filter((tag) => tag !== ''))],
  contacts: draft.contacts.map((c) => ({
    name: c.name.trim(),
    position: optional(c.position),
    email: optional(c.email),
    phone: optional(c.phone),
    mailingConsent: c.mailingConsent,
  })),
  bankAccounts: draft.bankAccounts.map((b) => ({
    bankName: b.bankName.trim(),
    bik: compact(b.bik),
    account: compact(b.account),
    correspondentAccount: optionalCompact(b.correspondentAccount),
  })),
  responsibleManagerId: draft.responsibleManagerId,
});

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s()\-.]{5,}$/;

const requisite = (issue: RequisiteIssue | null): FieldIssue | null => (issue ? { kind: 'requisite', code: issue.code } : null);

/** Client-side checks: the same requisite validators as the API, plus required fields and formats. */
export const validateCounterpartyInput = (input: CounterpartyInput): FieldErrors => {
  const errors: FieldErrors = {};
  const put = (field: string, issue: FieldIssue | null): void => {
    if (issue) errors[field] = issue;
  };

  if (input.name === '') put('name', { kind: 'message', key: 'validation.nameRequired' });
  put('inn', requisite(validateInn(input.inn, input.kind)));
  put('kpp', requisite(validateKpp(input.kpp, input.kind)));
  put('ogrn', requisite(validateOgrn(input.ogrn, input.kind)));

  input.contacts.forEach((contact, i) => {
    if (contact.name === '') put(`contacts.${i}.name`, { kind: 'message', key: 'validation.contactNameRequired' });
    if (contact.email !== null && !EMAIL.test(contact.email)) put(`contacts.${i}.email`, { kind: 'message', key: 'validation.email' });
    if (contact.phone !== null && !PHONE.test(contact.phone)) put(`contacts.${i}.phone`, { kind: 'message', key: 'validation.phone' });
  });

  input.bankAccounts.forEach((bank, i) => {
    if (bank.bankName === '') put(`bankAccounts.${i}.bankName`, { kind: 'message', key: 'validation.bankNameRequired' });
    const bikIssue = validateBik(bank.bik);
    put(`bankAccounts.${i}.bik`, requisite(bikIssue));
    // Without a valid BIK the account key cannot be checked; the BIK field already says why.
    const accountIssue = validateSettlementAccount(bank.account, bank.bik);
    if (accountIssue && !(bikIssue && accountIssue.code.startsWith('bik.'))) put(`bankAccounts.${i}.account`, requisite(accountIssue));
    if (bank.correspondentAccount !== null) {
      const corrIssue = validateCorrespondentAccount(bank.correspondentAccount, bank.bik);
      if (corrIssue && !(bikIssue && corrIssue.code.startsWith('bik.'))) {
        put(`bankAccounts.${i}.correspondentAccount`, requisite(corrIssue));
      }
    }
  });
  return errors;
};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The update input: id, version (optimistic locking) and only the fields that changed
 * (lists are sent whole, as the API replaces them). Null when nothing changed.
 */
export const toUpdateInput = (
  id: string,
  version: number,
  input: CounterpartyInput,
  original: CounterpartyInput,
): UpdateCounterpartyInput | null => {
  const changed: Partial<CounterpartyInput> = {};
  let any = false;
  for (const key of Object.keys(input) as (keyof CounterpartyInput)[]) {
    if (!sameValue(input[key], original[key])) {
      (changed as Record<string, unknown>)[key] = input[key];
      any = true;
    }
  }
  return any ? { id, version, ...changed } : null;
};

const requisiteCodes = Object.keys(requisiteMessages) as RequisiteIssueCode[];

/** A server message for a field; a known requisite text is shown in the UI language. */
/** A server error as an issue: by its stable `reason` where the portal knows it, else the server's text. */
export const issueFromServer = (error: Pick<ApiError, 'message' | 'reason' | 'details'>): FieldIssue => {
  const code = requisiteCodes.find((c) => c === error.reason);
  if (code) return { kind: 'requisite', code };
  if (error.reason === 'counterparty.duplicate') {
    return { kind: 'message', key: 'form.duplicate', params: { name: String(error.details.existingName ?? '') } };
  }
  return { kind: 'text', text: error.message };
};

export const issueText = (issue: FieldIssue | undefined, locale: Locale, t: (key: string, params?: Record<string, string>) => string): string => {
  if (!issue) return '';
  if (issue.kind === 'requisite') return requisiteMessages[issue.code][locale];
  if (issue.kind === 'message') return t(issue.key, issue.params);
  return issue.text;
};

const CONTACT_FIELDS = new Set(['name', 'position', 'email', 'phone', 'mailingConsent']);
const BANK_FIELDS = new Set(['bankName', 'bik', 'account', 'correspondentAccount']);
const TOP_FIELDS = new Set([
  'kind',
  'status',
  'name',
  'shortName',
  'inn',
  'kpp',
  'ogrn',
  'legalAddress',
  'postalAddress',
  'tags',
  'contacts',
  'bankAccounts',
  'responsibleManagerId',
]);

/**
 * Where the form shows a server error for `field`: the field itself when the form has it
 * (`tags.2` is shown under the tags), or null (then it goes to the form-level alert).
 */
export const formFieldFor = (field: string, draft: CounterpartyDraft): string | null => {
  const parts = field.split('.');
  if (parts.length === 1) return TOP_FIELDS.has(field) ? field : null;
  const [list, indexText, sub] = parts;
  const index = Number(indexText);
  if (list === 'tags') return 'tags';
  if (!Number.isInteger(index) || index < 0) return null;
  if (list === 'contacts' && index < draft.contacts.length) return sub && CONTACT_FIELDS.has(sub) ? field : 'contacts';
  if (list === 'bankAccounts' && index < draft.bankAccounts.length) return sub && BANK_FIELDS.has(sub) ? field : 'bankAccounts';
  return TOP_FIELDS.has(list) ? list : null;
};
