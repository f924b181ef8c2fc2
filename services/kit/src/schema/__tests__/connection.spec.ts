import 'reflect-metadata';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH } from '../connection';

const UUID = '5f2c1a9e-3b7d-4c1e-9a2b-1d2e3f4a5b6c';

function refusal(run: () => unknown): Record<string, unknown> | null {
  try {
    run();
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return { ...(error as GraphQLError).extensions };
  }
}

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote, typed by its shape', () => {
    const at = new Date('2026-03-01T10:00:00.000Z').toISOString();
    const values: [string, string, string] = decodeCursor(encodeCursor([at, UUID, 'ООО «Ромашка»']), ['timestamp', 'uuid', 'string']);
    expect(values).toEqual([at, UUID, 'ООО «Ромашка»']);
    expect(decodeCursor(encodeCursor([null, at, UUID]), ['date?', 'timestamp', 'uuid'])).toEqual([null, at, UUID]);
    expect(decodeCursor(encodeCursor(['2026-02-28', 7, '12.5']), ['date', 'int32', 'decimal'])).toEqual(['2026-02-28', 7, '12.5']);
    expect(decodeCursor(encodeCursor([2 ** 40]), ['int53'])).toEqual([2 ** 40]);
  });

  it.each([
    ['not base64url', '!!!', ['string']],
    ['base64 of something that is not JSON', Buffer.from('nope').toString('base64url'), ['string']],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1), ['string']],
    ['not an array', Buffer.from('{"a":1}').toString('base64url'), ['string']],
    ['wrong arity', encodeCursor(['a', 'b']), ['string']],
    ['null where none is allowed', encodeCursor([null]), ['string']],
    ['a string where a number belongs', encodeCursor(['1']), ['int32']],
    ['an int32 out of range', encodeCursor([2 ** 31]), ['int32']],
    ['a fraction', encodeCursor([1.5]), ['int53']],
    ['an unsafe integer', encodeCursor([2 ** 53]), ['int53']],
    ['not a uuid', encodeCursor(['abc']), ['uuid']],
    ['an impossible date', encodeCursor(['2026-02-30']), ['date']],
    ['a timestamp not as toISOString writes it', encodeCursor(['2026-03-01T10:00:00Z']), ['timestamp']],
    ['an impossible timestamp', encodeCursor(['2026-02-30T10:00:00.000Z']), ['timestamp']],
    ['a loose date string', encodeCursor(['Tue March 1']), ['timestamp']],
    ['a decimal in exponent form', encodeCursor(['1e400']), ['decimal']],
    ['NUL in a string', encodeCursor(['a\u0000']), ['string']],
    ['a lone surrogate in a string', encodeCursor(['a\ud800']), ['string']],
    ['a string too long', encodeCursor(['x'.repeat(1001)]), ['string']],
  ] as const)('refuses %s: BAD_USER_INPUT on after', (_label, cursor, shape) => {
    expect(refusal(() => decodeCursor(cursor, shape))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('names another field when asked', () => {
    expect(refusal(() => decodeCursor('!!!', ['string'], 'before'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
  });

  it('with only an arity, still refuses unstorable strings and unsafe numbers', () => {
    expect(decodeCursor(encodeCursor(['a', 1, null]), 3)).toEqual(['a', 1, null]);
    expect(refusal(() => decodeCursor(encodeCursor(['a\u0000']), 1))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(refusal(() => decodeCursor(encodeCursor([1e300]), 1))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(refusal(() => decodeCursor(Buffer.from('[{}]').toString('base64url'), 1))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});
