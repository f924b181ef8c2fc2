/** Internal helpers shared by the requisite validators (not re-exported from the index). */

const DIGITS_ONLY = /^\d+$/;

export const isBlank = (value: string | null | undefined): value is null | undefined | '' =>
  value === null || value === undefined || value === '';

export const isDigits = (value: string): boolean => DIGITS_ONLY.test(value);

export const isDigitsOfLength = (value: string, length: number): boolean =>
  value.length === length && isDigits(value);

/** Sum of digit[i] * weights[i] for i in [0, weights.length); `digits` holds digits only (callers check first). */
export const weightedSum = (digits: string, weights: readonly number[]): number => {
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1) {
    sum += (digits.charCodeAt(i) - 48) * weights[i];
  }
  return sum;
};

/**
 * Remainder of a (possibly very long) decimal digit string divided by `modulus`.
 * Works digit by digit, so it is exact for numbers beyond 2^53 without BigInt; `digits` holds digits only.
 */
export const modOfDigits = (digits: string, modulus: number): number => {
  let remainder = 0;
  for (let i = 0; i < digits.length; i += 1) {
    remainder = (remainder * 10 + (digits.charCodeAt(i) - 48)) % modulus;
  }
  return remainder;
};

export const assertDigitsOfLength = (value: string, length: number, what: string): void => {
  if (!isDigitsOfLength(value, length)) {
    throw new RangeError(`${what} must be exactly ${length} digits, got "${value}"`);
  }
};
