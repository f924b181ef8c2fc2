/** Money typed by people: "1 234 567,89" or "1234567.89" → integer minor units, exactly (no floats). */
export type MoneyParse = { ok: true; minor: number | null } | { ok: false };

const MONEY_TEXT = /^-?\d+(?:[.,]\d{1,2})?$/;

export const parseMoneyToMinor = (text: string): MoneyParse => {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (compact === '') return { ok: true, minor: null };
  if (!MONEY_TEXT.test(compact)) return { ok: false };
  const [whole, fraction = ''] = compact.replace(',', '.').split('.');
  const negative = whole.startsWith('-');
  const digits = `${negative ? whole.slice(1) : whole}${fraction.padEnd(2, '0')}`;
  const minor = Number(BigInt(digits));
  if (!Number.isSafeInteger(minor)) return { ok: false };
  return { ok: true, minor: negative ? -minor : minor };
};

/** Minor units → the text an input shows: 123456 → "1234,56" (no grouping, comma decimal). */
export const minorToInput = (minor: number | null | undefined): string => {
  if (minor === null || minor === undefined) return '';
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(3, '0');
  return `${negative ? '-' : ''}${text.slice(0, -2)},${text.slice(-2)}`;
};

export const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY'] as const;
