import { ArgumentValidationError, buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { validateOrReject, type ValidationError, type ValidatorOptions } from 'class-validator';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { authChecker } from '../auth/auth-checker';
import { guardInputs } from './input-guard';
import { nullUnknownUsers, type KnownUsersLoader } from './define-reference';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@interfaceObject"])';

// Resolver classes and reference objects have arbitrary shapes; these are the library's own types.
// eslint-disable-next-line @typescript-eslint/ban-types
type ResolverClass = Function;
export type ReferenceResolverMap = Record<string, { __resolveReference: (reference: { id: string }, context: never) => unknown }>;

export type SubgraphSchemaDefinition = {
  resolvers: NonEmptyArray<ResolverClass>;
  /** Types no query returns directly, e.g. key-only stubs of other subgraphs' entities. */
  orphanedTypes?: ResolverClass[];
  /** `__resolveReference` per entity type (see defineReference). */
  references?: ReferenceResolverMap;
  /**
   * This subgraph's read model of identity's users (for the `User` stub's `name`): a nullable User field whose
   * user it does not know resolves to null (see nullUnknownUsers).
   */
  knownUsers?: KnownUsersLoader;
};

export type BuiltSubgraphSchema = { schema: GraphQLSchema; sdl: string };

/** As type-graphql validates arguments by default (it forces skipMissingProperties on and forbidUnknownValues off). */
const VALIDATOR_OPTIONS: ValidatorOptions = { forbidUnknownValues: false, stopAtFirstError: true, skipMissingProperties: true };

/**
 * Arguments validated with class-validator exactly as type-graphql's default does (objects and arrays of objects;
 * failures as its ArgumentValidationError), without its per-call `require('class-validator')` re-exported into a
 * fresh object: that was ~5% of a subgraph's CPU on the card (profile under `pnpm bench`, issue 10).
 */
async function validateArgument(value: unknown): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  try {
    if (Array.isArray(value)) await Promise.all(value.filter((item) => item !== null && typeof item === 'object').map((item: object) => validateOrReject(item, VALIDATOR_OPTIONS)));
    else await validateOrReject(value, VALIDATOR_OPTIONS);
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
}

/**
 * The one place federation is wired: type-graphql builds the schema, the federation @link header is
 * prepended, @apollo/subgraph builds the subgraph schema with type-graphql's resolvers plus the
 * reference resolvers, and every argument is guarded (input-guard.ts: storable text, JSON limits, custom
 * scalars, BAD_USER_INPUT with the field). `sdl` is the subgraph SDL that gets committed and composed.
 */
export async function buildFederatedSchema(definition: SubgraphSchemaDefinition): Promise<BuiltSubgraphSchema> {
  const schema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    authChecker,
    authMode: 'error',
    validate: VALIDATOR_OPTIONS,
    validateFn: validateArgument,
    skipCheck: true,
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as Record<string, object>;
  for (const [typeName, reference] of Object.entries(definition.references ?? {})) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), ...reference };
  }
  // The resolver map mixes scalars, enums and object resolvers; @apollo/subgraph accepts all of them.
  const subgraph = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  guardInputs(subgraph);
  if (definition.knownUsers) nullUnknownUsers(subgraph, definition.knownUsers);
  return { schema: subgraph, sdl: printSubgraphSchema(subgraph) };
}
