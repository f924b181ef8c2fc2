import { buildSchema, graphql, type GraphQLError } from 'graphql';
import { createFormatError, isInternalError } from '../format-error';

/**
 * graphql-js refuses some argument values only at execution: an explicit `null` variable for a non-null
 * argument with a default passes validation (`$first: Int` may be used for `first: Int! = 20`). Found by the
 * API fuzz (test/src/fuzz): every connection answered INTERNAL_SERVER_ERROR to `{ "first": null }`.
 */
const schema = buildSchema('type Query { list(first: Int! = 20): Int!  broken: Int!  failing: Int! }');
const root = { list: ({ first }: { first: number }) => first, broken: () => null, failing: () => { throw new Error('a bug'); } };

async function errorOf(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLError> {
  const result = await graphql({ schema, source: query, rootValue: root, variableValues: variables });
  expect(result.errors).toHaveLength(1);
  return result.errors![0];
}

const format = createFormatError({ exposeInternals: false });

describe('createFormatError', () => {
  it('answers an explicit null for a non-null argument with a default as BAD_USER_INPUT on that argument', async () => {
    const error = await errorOf('query($first: Int) { list(first: $first) }', { first: null });
    expect(format(error.toJSON(), error).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(isInternalError(error)).toBe(false);
  });

  it('still hides real bugs as INTERNAL_SERVER_ERROR: a null for a non-null field, an exception in a resolver', async () => {
    for (const query of ['{ broken }', '{ failing }']) {
      const error = await errorOf(query);
      expect(format(error.toJSON(), error)).toEqual(expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }));
      expect(isInternalError(error)).toBe(true);
    }
  });
});
