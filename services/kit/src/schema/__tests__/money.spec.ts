import 'reflect-metadata';
import { MAX_AMOUNT_MINOR, minorUnits, money } from '../money';

describe('MAX_AMOUNT_MINOR', () => {
  it('lets 9 007 amounts of the maximum sum exactly in a JavaScript number', () => {
    expect(MAX_AMOUNT_MINOR * 9007).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(BigInt(MAX_AMOUNT_MINOR) * 9007n).toBe(BigInt(MAX_AMOUNT_MINOR * 9007));
  });
});

describe('minorUnits / money', () => {
  it('reads bigint and numeric strings from PostgreSQL exactly', () => {
    expect(minorUnits('2000000000000')).toBe(2 * MAX_AMOUNT_MINOR);
    expect(minorUnits(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(minorUnits(15n)).toBe(15);
    expect(money('123', null)).toMatchObject({ minor: 123, currency: 'RUB' });
    expect(money(null, 'RUB')).toBeNull();
  });

  it('refuses what a number cannot hold exactly instead of rounding it', () => {
    expect(() => minorUnits('9007199254740993')).toThrow(RangeError);
    expect(() => minorUnits(2 ** 53)).toThrow(RangeError);
    expect(() => minorUnits('1.5')).toThrow(RangeError);
  });
});
