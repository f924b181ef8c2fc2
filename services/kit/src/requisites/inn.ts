import { assertDigitsOfLength, isBlank, isDigits, isDigitsOfLength, weightedSum } from './digits';
import { requisiteIssue, type RequisiteIssue } from './issues';
import type { CounterpartyKindCode } from './kind';

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_FIRST_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const INN12_SECOND_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

const controlDigit = (digits: string, weights: readonly number[]): number =>
  (weightedSum(digits, weights) % 11) % 10;

/** Expected INN length for a counterparty kind: 10 for organisations, 12 for people. */
export const innLengthFor = (kind: CounterpartyKindCode): 10 | 12 => (kind === 'LEGAL_ENTITY' ? 10 : 12);

const hasValidInnChecksum = (value: string): boolean => {
  if (value.length === 10) {
    return controlDigit(value, INN10_WEIGHTS) === Number(value[9]);
  }
  if (value.length === 12) {
    return (
      controlDigit(value, INN12_FIRST_WEIGHTS) === Number(value[10]) &&
      controlDigit(value, INN12_SECOND_WEIGHTS) === Number(value[11])
    );
  }
  return false;
};

/**
 * Validates an INN for the given counterparty kind.
 * The value is not trimmed or otherwise normalised: pass exactly what will be stored.
 * Checks, in order: present → digits only → length for the kind → control digit(s).
 */
export const validateInn = (
  value: string | null | undefined,
  kind: CounterpartyKindCode,
): RequisiteIssue | null => {
  if (isBlank(value)) return requisiteIssue('inn.required');
  if (!isDigits(value)) return requisiteIssue('inn.format');
  if (value.length !== innLengthFor(kind)) return requisiteIssue('inn.length');
  if (!hasValidInnChecksum(value)) return requisiteIssue('inn.checksum');
  return null;
};

/** True for any well-formed INN: 10 digits (organisation) or 12 digits (person) with valid control digits. */
export const isValidInn = (value: string | null | undefined): boolean =>
  !isBlank(value) && (isDigitsOfLength(value, 10) || isDigitsOfLength(value, 12)) && hasValidInnChecksum(value);

/** Appends the control digit to 9 digits, producing a valid 10-digit (organisation) INN. */
export const makeInn10 = (prefix9: string): string => {
  assertDigitsOfLength(prefix9, 9, 'INN prefix');
  return `${prefix9}${controlDigit(prefix9, INN10_WEIGHTS)}`;
};

/** Appends both control digits to 10 digits, producing a valid 12-digit (person) INN. */
export const makeInn12 = (prefix10: string): string => {
  assertDigitsOfLength(prefix10, 10, 'INN prefix');
  const first = `${prefix10}${controlDigit(prefix10, INN12_FIRST_WEIGHTS)}`;
  return `${first}${controlDigit(first, INN12_SECOND_WEIGHTS)}`;
};
