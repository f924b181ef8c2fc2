import { assertDigitsOfLength, isBlank, isDigits } from './digits';
import { requisiteIssue, type RequisiteIssue, type RequisiteIssueCode } from './issues';

/**
 * Control key of bank accounts (Bank of Russia algorithm): the 3-digit "conditional number" of the
 * institution followed by the 20 account digits (23 digits in total) is weighted with 7,1,3,7,1,3,…;
 * the last digits of the products are summed, and the sum must end in 0.
 * The key digit itself is the 9th digit of the account (index 8).
 */
const KEY_WEIGHTS = [7, 1, 3] as const;
const ACCOUNT_KEY_INDEX = 8;

const BIK_PATTERN = /^04\d{7}$/;

// Callers pass digits only (checked or asserted first); charCodeAt, not Number(char): this runs for every row of an import.
const controlSum = (digits23: string): number => {
  let sum = 0;
  for (let i = 0; i < digits23.length; i += 1) {
    sum += ((digits23.charCodeAt(i) - 48) * KEY_WEIGHTS[i % 3]) % 10;
  }
  return sum % 10;
};

/**
 * Conditional number used for a settlement (client) account:
 * - an account in a credit institution: the last 3 digits of the BIK;
 * - an account in a Bank of Russia division (BIK ending in 000, 001 or 002): "0" + BIK digits 5–6.
 */
const settlementPrefix = (bik: string): string => {
  const tail = bik.slice(6);
  return tail === '000' || tail === '001' || tail === '002' ? `0${bik.slice(4, 6)}` : tail;
};

/** Conditional number used for a correspondent account: "0" + BIK digits 5–6. */
const correspondentPrefix = (bik: string): string => `0${bik.slice(4, 6)}`;

/** Validates a Russian BIK: exactly 9 digits starting with "04". */
export const validateBik = (value: string | null | undefined): RequisiteIssue | null => {
  if (isBlank(value)) return requisiteIssue('bik.required');
  return BIK_PATTERN.test(value) ? null : requisiteIssue('bik.format');
};

type AccountCodes = {
  required: RequisiteIssueCode;
  format: RequisiteIssueCode;
  length: RequisiteIssueCode;
  checksum: RequisiteIssueCode;
};

const validateAccount = (
  account: string | null | undefined,
  bik: string | null | undefined,
  codes: AccountCodes,
  prefixOf: (bik: string) => string,
): RequisiteIssue | null => {
  if (isBlank(account)) return requisiteIssue(codes.required);
  if (!isDigits(account)) return requisiteIssue(codes.format);
  if (account.length !== 20) return requisiteIssue(codes.length);
  if (isBlank(bik) || !BIK_PATTERN.test(bik)) return validateBik(bik);
  return controlSum(`${prefixOf(bik)}${account}`) === 0 ? null : requisiteIssue(codes.checksum);
};

/**
 * Validates a settlement (client) account against the bank's BIK.
 * Checks, in order: account present → digits only → 20 digits → BIK valid (the BIK issue is
 * returned if not, since the key cannot be checked without it) → control key.
 */
export const validateSettlementAccount = (
  account: string | null | undefined,
  bik: string | null | undefined,
): RequisiteIssue | null =>
  validateAccount(
    account,
    bik,
    { required: 'account.required', format: 'account.format', length: 'account.length', checksum: 'account.checksum' },
    settlementPrefix,
  );

/** Validates a bank's correspondent account against its BIK; same order of checks as for settlement accounts. */
export const validateCorrespondentAccount = (
  account: string | null | undefined,
  bik: string | null | undefined,
): RequisiteIssue | null =>
  validateAccount(
    account,
    bik,
    {
      required: 'correspondentAccount.required',
      format: 'correspondentAccount.format',
      length: 'correspondentAccount.length',
      checksum: 'correspondentAccount.checksum',
    },
    correspondentPrefix,
  );

const insertKey = (accountPrefix19: string, conditionalNumber: string): string => {
  for (let key = 0; key <= 9; key += 1) {
    const account = `${accountPrefix19.slice(0, ACCOUNT_KEY_INDEX)}${key}${accountPrefix19.slice(ACCOUNT_KEY_INDEX)}`;
    if (controlSum(`${conditionalNumber}${account}`) === 0) return account;
  }
  /* The key has weight 3 and 3·k mod 10 takes every value, so some key always fits. */
  throw new Error('unreachable: no control key fits');
};

const assertBik = (bik: string): void => {
  if (!BIK_PATTERN.test(bik)) throw new RangeError(`BIK must be 9 digits starting with 04, got "${bik}"`);
};

/**
 * Builds a valid settlement account for a BIK.
 * `prefix19` is the account WITHOUT its key digit: the first 8 digits (balance account + currency,
 * e.g. "40702810"), then the remaining 11 digits; the key is inserted at position 9 (index 8).
 */
export const makeSettlementAccount = (prefix19: string, bik: string): string => {
  assertDigitsOfLength(prefix19, 19, 'Account prefix');
  assertBik(bik);
  return insertKey(prefix19, settlementPrefix(bik));
};

/** Builds a valid correspondent account for a BIK; `prefix19` as in `makeSettlementAccount`. */
export const makeCorrespondentAccount = (prefix19: string, bik: string): string => {
  assertDigitsOfLength(prefix19, 19, 'Account prefix');
  assertBik(bik);
  return insertKey(prefix19, correspondentPrefix(bik));
};
