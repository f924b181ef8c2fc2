import { UserInputError } from '@kartoteka/kit';
import { DEFAULT_RATING_WEIGHTS, validateRatingWeights, weightsToList, type RatingWeightInput } from '../rating.method';

function rejection(input: RatingWeightInput[]): { field: unknown; code: unknown; message: string } {
  try {
    validateRatingWeights(input);
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    const e = error as UserInputError;
    return { field: e.extensions.field, code: e.extensions.code, message: e.message };
  }
  throw new Error('expected a UserInputError');
}
const withWeight = (factor: string, weight: number): RatingWeightInput[] =>
  weightsToList(DEFAULT_RATING_WEIGHTS).map((w) => (w.factor === factor ? { ...w, weight } : w));

describe('validateRatingWeights', () => {
  it('accepts the defaults (sum 100), integers and one decimal', () => {
    expect(Object.values(DEFAULT_RATING_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(validateRatingWeights(weightsToList(DEFAULT_RATING_WEIGHTS))).toEqual(DEFAULT_RATING_WEIGHTS);
    expect(validateRatingWeights(withWeight('RELATIONSHIP', 12.5)).RELATIONSHIP).toBe(12.5);
    expect(validateRatingWeights(withWeight('RELATIONSHIP', 0)).RELATIONSHIP).toBe(0);
    expect(validateRatingWeights(withWeight('RELATIONSHIP', 100)).RELATIONSHIP).toBe(100);
  });

  it.each([
    ['below 0', withWeight('PAYMENT_DELAY', -1), /between 0 and 100/],
    ['above 100', withWeight('PAYMENT_DELAY', 100.1), /between 0 and 100/],
    ['two decimals', withWeight('PAYMENT_DELAY', 10.25), /one decimal/],
    ['not a number', withWeight('PAYMENT_DELAY', Number.NaN), /between 0 and 100/],
    ['a factor twice', [...weightsToList(DEFAULT_RATING_WEIGHTS), { factor: 'TERMINATIONS' as const, weight: 1 }], /twice/],
    ['a missing factor', weightsToList(DEFAULT_RATING_WEIGHTS).slice(1), /missing: PAYMENT_ON_TIME/],
    ['an unknown factor', [...weightsToList(DEFAULT_RATING_WEIGHTS), { factor: 'LUCK' as never, weight: 1 }], /Unknown rating factor LUCK/],
    ['all zero', weightsToList(DEFAULT_RATING_WEIGHTS).map((w) => ({ ...w, weight: 0 })), /above 0/],
  ])('refuses %s with BAD_USER_INPUT on `weights`', (_name, input, message) => {
    const error = rejection(input);
    expect(error).toMatchObject({ field: 'weights', code: 'BAD_USER_INPUT' });
    expect(error.message).toMatch(message);
  });
});
