import { assertDigitsOfLength, isBlank, isDigits, modOfDigits } from './digits';
import { requisiteIssue, type RequisiteIssue } from './issues';
import type { CounterpartyKindCode } from './kind';

/** OGRN (organisation): 12 digits + check digit = (first 12 as a number mod 11) mod 10. */
const ogrnCheckDigit = (prefix12: string): number => modOfDigits(prefix12, 11) % 10;

/** OGRNIP (sole proprietor): 14 digits + check digit = (first 14 as a number mod 13) mod 10. */
const ogrnipCheckDigit = (prefix14: string): number => modOfDigits(prefix14, 13) % 10;

/**
 * Validates OGRN / OGRNIP for the given counterparty kind.
 *
 * The registration number is OPTIONAL for every kind (a counterparty may be entered before its
 * OGRN is known), so null / undefined / '' is accepted. When a value is given:
 * - LEGAL_ENTITY: must be a 13-digit OGRN with a valid check digit;
 * - SOLE_PROPRIETOR: must be a 15-digit OGRNIP with a valid check digit;
 * - INDIVIDUAL: must be absent (`ogrn.notAllowed`).
 * The value is not trimmed: pass exactly what will be stored.
 */
export const validateOgrn = (
  value: string | null | undefined,
  kind: CounterpartyKindCode,
): RequisiteIssue | null => {
  if (isBlank(value)) return null;
  if (kind === 'INDIVIDUAL') return requisiteIssue('ogrn.notAllowed');
  if (!isDigits(value)) return requisiteIssue('ogrn.format');
  if (kind === 'LEGAL_ENTITY') {
    if (value.length !== 13) return requisiteIssue('ogrn.length');
    return ogrnCheckDigit(value.slice(0, 12)) === Number(value[12]) ? null : requisiteIssue('ogrn.checksum');
  }
  if (value.length !== 15) return requisiteIssue('ogrn.length');
  return ogrnipCheckDigit(value.slice(0, 14)) === Number(value[14]) ? null : requisiteIssue('ogrn.checksum');
};

/** Appends the check digit to 12 digits, producing a valid 13-digit OGRN. */
export const makeOgrn = (prefix12: string): string => {
  assertDigitsOfLength(prefix12, 12, 'OGRN prefix');
  return `${prefix12}${ogrnCheckDigit(prefix12)}`;
};

/** Appends the check digit to 14 digits, producing a valid 15-digit OGRNIP. */
export const makeOgrnip = (prefix14: string): string => {
  assertDigitsOfLength(prefix14, 14, 'OGRNIP prefix');
  return `${prefix14}${ogrnipCheckDigit(prefix14)}`;
};
