/**
 * The placeholders a document template may use, e.g. `{counterparty.name}`. Values come only from this
 * service's own data and read models (the document, the counterparty read model, the deal read model, the
 * staff directory), never from a call to another service. A template naming anything else is refused on upload,
 * so a typo shows at once instead of an empty gap in every generated document.
 */
export const PLACEHOLDERS = {
  'counterparty.name': 'Full name of the counterparty',
  'counterparty.shortName': 'Short name of the counterparty (the full name when it has none)',
  'counterparty.inn': 'INN of the counterparty',
  'counterparty.kpp': 'KPP of the counterparty (empty for sole proprietors and individuals)',
  'counterparty.address': 'Legal address of the counterparty, as on its card',
  'contact.name': 'Contact person at the counterparty (its first contact)',
  'deal.title': 'Title of the deal the document belongs to',
  'deal.amount': 'Amount of the deal, e.g. «1 200 000,00 ₽»',
  'contract.number': 'Registration number of the contract (the document itself when it is a contract)',
  'contract.date': 'Date of the contract, DD.MM.YYYY',
  'document.number': 'Registration number of the document (empty until it is registered)',
  'document.date': 'Date of the document, DD.MM.YYYY',
  'document.title': 'Title of the document',
  'document.amount': 'Amount of the document, e.g. «1 200 000,00 ₽»',
  'user.name': 'Name of the staff member who generates the document',
  today: 'The day of generation, DD.MM.YYYY',
} as const;

export type PlaceholderName = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Record<PlaceholderName, string>;

export const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS) as PlaceholderName[];

export function isPlaceholder(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** 2026-12-06 → 06.12.2026 (the Russian way); null or malformed → empty. */
export function formatDate(iso: string | null | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  return match ? `${match[3]}.${match[2]}.${match[1]}` : '';
}

const CURRENCY_SIGNS: Record<string, string> = { RUB: '₽', USD: '$', EUR: '€', CNY: '¥' };

/** 120000000 RUB → «1 200 000,00 ₽» (narrow no-break spaces between thousands); null → empty. */
export function formatMoney(amountMinor: number | null | undefined, currency: string | null | undefined): string {
  if (amountMinor === null || amountMinor === undefined) return '';
  const whole = Math.floor(amountMinor / 100);
  const cents = String(amountMinor % 100).padStart(2, '0');
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  const code = currency ?? 'RUB';
  return `${grouped},${cents}\u00a0${CURRENCY_SIGNS[code] ?? code}`;
}
