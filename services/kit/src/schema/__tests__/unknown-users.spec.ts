import { randomUUID } from 'node:crypto';
import { buildSchema, graphql } from 'graphql';
import { LoaderRegistry, type SubgraphContext } from '../../server/context';
import { nonNullUserFields, nullUnknownUsers, type KnownUsersLoader } from '../define-reference';

/**
 * A user this subgraph's read model does not know (a row written around the API) never becomes an error that
 * would blank the row or the list holding it: a nullable User field resolves to null, a list of users leaves
 * them out. Known users, the caller themself and selections of the id alone are untouched.
 */

const KNOWN = randomUUID();
const CALLER = randomUUID();
const UNKNOWN = randomUUID();
const NAMES: Record<string, string> = { [KNOWN]: 'Ирина Бухгалтер' };

const SDL = `
  type User { id: ID! name: String! }
  type Step { id: ID! decidedBy: User assignees: [User!]! }
  type Query { steps: [Step!]! }
`;

function schemaWithRows(loads: string[][]) {
  const schema = buildSchema(SDL);
  const rows = [
    { id: 's1', decidedBy: { id: UNKNOWN }, assignees: [{ id: KNOWN }, { id: UNKNOWN }, { id: CALLER }] },
    { id: 's2', decidedBy: { id: KNOWN }, assignees: [{ id: UNKNOWN }] },
  ];
  schema.getQueryType()!.getFields().steps.resolve = () => rows;
  (schema.getType('User') as import('graphql').GraphQLObjectType).getFields().name.resolve = (user: { id: string }) => {
    const name = NAMES[user.id] ?? (user.id === CALLER ? 'Я' : undefined);
    if (!name) throw new Error(`NOT_FOUND User ${user.id}`);
    return name;
  };
  const load: KnownUsersLoader = async (ids) => {
    loads.push([...ids]);
    return ids.filter((id) => NAMES[id]).map((id) => ({ id, name: NAMES[id] }));
  };
  nullUnknownUsers(schema, load);
  return schema;
}

const contextValue = (): SubgraphContext =>
  ({ identity: { kind: 'user', id: CALLER, name: 'Я', roles: [], permissions: [] }, requestId: 'r', loaders: new LoaderRegistry() }) as unknown as SubgraphContext;

describe('nullUnknownUsers', () => {
  it('nulls an unknown single user and leaves unknown users out of lists, in one batch, with no error', async () => {
    const loads: string[][] = [];
    const result = await graphql({ schema: schemaWithRows(loads), source: '{ steps { id decidedBy { name } assignees { id name } } }', contextValue: contextValue() });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      steps: [
        { id: 's1', decidedBy: null, assignees: [{ id: KNOWN, name: 'Ирина Бухгалтер' }, { id: CALLER, name: 'Я' }] },
        { id: 's2', decidedBy: { name: 'Ирина Бухгалтер' }, assignees: [] },
      ],
    });
    expect(loads).toHaveLength(1);
    expect(new Set(loads[0])).toEqual(new Set([KNOWN, UNKNOWN]));
  });

  it('keeps every user when the selection asks for the id alone (nothing to look up)', async () => {
    const loads: string[][] = [];
    const result = await graphql({ schema: schemaWithRows(loads), source: '{ steps { decidedBy { id } assignees { id } } }', contextValue: contextValue() });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      steps: [
        { decidedBy: { id: UNKNOWN }, assignees: [{ id: KNOWN }, { id: UNKNOWN }, { id: CALLER }] },
        { decidedBy: { id: KNOWN }, assignees: [{ id: UNKNOWN }] },
      ],
    });
    expect(loads).toHaveLength(0);
  });

  it('finds non-null single User fields, which could only fail', () => {
    expect(nonNullUserFields(buildSchema(`${SDL} type Ack { user: User! users: [User!]! }`))).toEqual(['Ack.user']);
  });
});
