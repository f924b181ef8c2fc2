import { buildSchema, graphql, type GraphQLError } from 'graphql';
import { createFormatError, isInternalError } from '../format-error';

/**
 * graphql-js refuses some argument values only at execution: an explicit `null` variable for a non-null
 * argument with a default passes validation (`$first: Int` may be used for `first: Int! = 20`). Found by the
 * API fuzz (test/src/fuzz): every connection answered INTERNAL_SERVER_ERROR to `{ "first": null }`.
 */
const schema = buildSchema('enum Kind { INCOMING_LETTER OTHER } type Query { list(first: Int! = 20): Int!  broken: Int!  failing: Int!  byKind(kind: Kind!): Int }');
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

  it('drops graphql-js name suggestions in production, keeps them in development', async () => {
    const error = await errorOf('query($kind: Kind!) { byKind(kind: $kind) }', { kind: 'LETTER' });
    expect(error.message).toMatch(/Did you mean/);
    // as Apollo Server hands it over: a variable refused with BAD_USER_INPUT
    const formatted = { ...error.toJSON(), extensions: { code: 'BAD_USER_INPUT' } };
    const production = format(formatted, error);
    expect(production).toMatchObject({ message: 'Variable "$kind" got invalid value "LETTER"; Value "LETTER" does not exist in "Kind" enum.', extensions: { code: 'BAD_USER_INPUT' } });
    expect(createFormatError({ exposeInternals: true })(formatted, error).message).toMatch(/Did you mean/);
  });
});
