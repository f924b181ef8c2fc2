import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { LoaderRegistry } from '../../server/context';
import { primeKnownUsers, type KnownUserName } from '../define-reference';
import { argumentValue, selectedFields } from '../selection';

const schema = buildSchema(`
  type Change { action: String }
  type History { totalCount: Int, edges: [Change] }
  type Card { id: ID, name: String, contacts: [String], history(first: Int, after: String): History }
  type Query { card: Card }
`);

/** The resolve info of `Query.card` for `query`, as GraphQL hands it to the resolver. */
function infoOf(query: string, variableValues: Record<string, unknown> = {}): GraphQLResolveInfo {
  let captured: GraphQLResolveInfo | null = null;
  execute({
    schema,
    document: parse(query),
    variableValues,
    rootValue: {
      card: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        captured = info;
        return null;
      },
    },
  });
  if (!captured) throw new Error('card was not resolved');
  return captured;
}

describe('selectedFields / argumentValue', () => {
  it('lists the fields directly under the resolved field, through fragments and inline fragments', () => {
    const info = infoOf('query { card { id ... on Card { contacts } ...More } } fragment More on Card { history(first: 5) { totalCount } }');
    expect([...selectedFields(info).keys()].sort()).toEqual(['contacts', 'history', 'id']);
  });

  it('reads an argument given inline or as a variable, and undefined when absent', () => {
    const inline = infoOf('query { card { history(first: 5) { totalCount } } }');
    expect(argumentValue(selectedFields(inline).get('history')!, 'first', inline)).toBe(5);
    expect(argumentValue(selectedFields(inline).get('history')!, 'after', inline)).toBeUndefined();
    const variable = infoOf('query($n: Int, $a: String) { card { history(first: $n, after: $a) { totalCount } } }', { n: 7, a: 'x' });
    expect(argumentValue(selectedFields(variable).get('history')!, 'first', variable)).toBe(7);
    expect(argumentValue(selectedFields(variable).get('history')!, 'after', variable)).toBe('x');
  });
});

describe('LoaderRegistry.prime / primeKnownUsers', () => {
  it('answers primed keys without calling the batch, before or after the loader exists; other keys still batch', async () => {
    const loaders = new LoaderRegistry();
    loaders.prime('names', 'a', 'primed a');
    const asked: string[][] = [];
    const batch = async (keys: readonly string[]) => {
      asked.push([...keys]);
      return keys.map((key) => `loaded ${key}`);
    };
    const loader = loaders.get<string>('names', batch);
    loaders.prime('names', 'b', 'primed b');
    expect(await Promise.all([loader.load('a'), loader.load('b'), loader.load('c')])).toEqual(['primed a', 'primed b', 'loaded c']);
    expect(asked).toEqual([['c']]);
  });

  it('keeps a value already loaded rather than a later prime', async () => {
    const loaders = new LoaderRegistry();
    const loader = loaders.get<string>('names', async (keys) => keys.map((key) => `loaded ${key}`));
    expect(await loader.load('a')).toBe('loaded a');
    loaders.prime('names', 'a', 'primed a');
    expect(await loader.load('a')).toBe('loaded a');
  });

  it('primes known users by lower-case id and the unknown ones looked up as null, skipping non-ids', async () => {
    const known = 'AAAAAAAA-0000-4000-8000-000000000001';
    const unknown = 'aaaaaaaa-0000-4000-8000-000000000002';
    const context = { loaders: new LoaderRegistry() };
    primeKnownUsers(context, [known, unknown, null, 'not-a-uuid'], [{ id: known, name: 'Known' }]);
    const asked: string[][] = [];
    const loader = context.loaders.get<KnownUserName>('user-name', async (keys) => {
      asked.push([...keys]);
      return keys.map(() => null);
    });
    expect(await loader.load(known.toLowerCase())).toEqual({ id: known, name: 'Known' });
    expect(await loader.load(unknown)).toBeNull();
    expect(asked).toEqual([]);
  });
});
