/** Every problem a requisite validator can report. */
export type RequisiteIssueCode =
  | 'inn.required'
  | 'inn.format'
  | 'inn.length'
  | 'inn.checksum'
  | 'kpp.required'
  | 'kpp.format'
  | 'kpp.notAllowed'
  | 'ogrn.format'
  | 'ogrn.length'
  | 'ogrn.checksum'
  | 'ogrn.notAllowed'
  | 'bik.required'
  | 'bik.format'
  | 'account.required'
  | 'account.format'
  | 'account.length'
  | 'account.checksum'
  | 'correspondentAccount.required'
  | 'correspondentAccount.format'
  | 'correspondentAccount.length'
  | 'correspondentAccount.checksum';

export type RequisiteIssue = { code: RequisiteIssueCode; message: string };

export type RequisiteMessageLanguage = 'en' | 'ru';

/**
 * Human-readable text for every issue code, in English (what the API returns in `message`)
 * and Russian (what the portal shows). Both texts of an entry say the same thing.
 */
export const requisiteMessages: Record<RequisiteIssueCode, Record<RequisiteMessageLanguage, string>> = {
  'inn.required': {
    en: 'INN is required',
    ru: 'ИНН обязателен для заполнения',
  },
  'inn.format': {
    en: 'INN must contain digits only',
    ru: 'ИНН должен содержать только цифры',
  },
  'inn.length': {
    en: 'INN must have 10 digits for a legal entity and 12 digits for a sole proprietor or an individual',
    ru: 'ИНН должен содержать 10 цифр для юридического лица и 12 цифр для индивидуального предпринимателя или физического лица',
  },
  'inn.checksum': {
    en: 'INN checksum is invalid',
    ru: 'Неверная контрольная сумма ИНН',
  },
  'kpp.required': {
    en: 'KPP is required for a legal entity',
    ru: 'Для юридического лица КПП обязателен',
  },
  'kpp.format': {
    en: 'KPP must have 9 characters: 4 digits, then 2 digits or capital Latin letters, then 3 digits',
    ru: 'КПП должен состоять из 9 символов: 4 цифры, затем 2 цифры или заглавные латинские буквы, затем 3 цифры',
  },
  'kpp.notAllowed': {
    en: 'KPP can only be specified for a legal entity',
    ru: 'КПП указывается только для юридического лица',
  },
  'ogrn.format': {
    en: 'OGRN must contain digits only',
    ru: 'ОГРН должен содержать только цифры',
  },
  'ogrn.length': {
    en: 'OGRN must have 13 digits for a legal entity, and OGRNIP must have 15 digits for a sole proprietor',
    ru: 'ОГРН юридического лица должен содержать 13 цифр, а ОГРНИП индивидуального предпринимателя — 15 цифр',
  },
  'ogrn.checksum': {
    en: 'OGRN check digit is invalid',
    ru: 'Неверное контрольное число ОГРН',
  },
  'ogrn.notAllowed': {
    en: 'OGRN cannot be specified for an individual',
    ru: 'ОГРН не указывается для физического лица',
  },
  'bik.required': {
    en: 'BIK is required',
    ru: 'БИК обязателен для заполнения',
  },
  'bik.format': {
    en: 'BIK must have 9 digits and start with 04',
    ru: 'БИК должен состоять из 9 цифр и начинаться с 04',
  },
  'account.required': {
    en: 'Settlement account number is required',
    ru: 'Номер расчётного счёта обязателен для заполнения',
  },
  'account.format': {
    en: 'Settlement account number must contain digits only',
    ru: 'Номер расчётного счёта должен содержать только цифры',
  },
  'account.length': {
    en: 'Settlement account number must have 20 digits',
    ru: 'Номер расчётного счёта должен содержать 20 цифр',
  },
  'account.checksum': {
    en: 'Settlement account number does not match the BIK: the control key is invalid',
    ru: 'Номер расчётного счёта не соответствует БИК: неверный контрольный ключ',
  },
  'correspondentAccount.required': {
    en: 'Correspondent account number is required',
    ru: 'Номер корреспондентского счёта обязателен для заполнения',
  },
  'correspondentAccount.format': {
    en: 'Correspondent account number must contain digits only',
    ru: 'Номер корреспондентского счёта должен содержать только цифры',
  },
  'correspondentAccount.length': {
    en: 'Correspondent account number must have 20 digits',
    ru: 'Номер корреспондентского счёта должен содержать 20 цифр',
  },
  'correspondentAccount.checksum': {
    en: 'Correspondent account number does not match the BIK: the control key is invalid',
    ru: 'Номер корреспондентского счёта не соответствует БИК: неверный контрольный ключ',
  },
};

export const requisiteIssueCodes = Object.keys(requisiteMessages) as RequisiteIssueCode[];

/** Builds an issue whose `message` is the English text from `requisiteMessages`. */
export const requisiteIssue = (code: RequisiteIssueCode): RequisiteIssue => ({
  code,
  message: requisiteMessages[code].en,
});
