import { requirePermissions } from '../auth/auth-checker';
import type { Permission } from '../auth/permissions';
import { byKeys, type SubgraphContext } from '../server/context';
import { NotFoundError } from '../errors/domain-errors';
import { isUuid } from './ids';
import {
  defaultFieldResolver,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import type { ReferenceResolverMap } from './build-subgraph';

export type ReferenceDefinition<T extends { id: string }> = {
  /** Permissions the caller needs to resolve this entity for another subgraph. */
  permissions: readonly Permission[];
  /** Loads many entities by id in one query. */
  load: (ids: readonly string[], context: SubgraphContext) => Promise<T[]>;
};

/**
 * `__resolveReference` for an entity owned by this subgraph: authorization is checked on every reference
 * (the gateway does not enforce it) and all representations of one request are loaded in one batch.
 */
export function defineReference<T extends { id: string }>(typeName: string, definition: ReferenceDefinition<T>): ReferenceResolverMap {
  return {
    [typeName]: {
      __resolveReference: async (reference: { id: string }, context: SubgraphContext) => {
        requirePermissions(context.identity, definition.permissions);
        const loader = context.loaders.get<T>(`reference:${typeName}`, async (ids) => {
          const valid = ids.filter(isUuid);
          return byKeys(ids, valid.length ? await definition.load(valid, context) : [], (row) => row.id);
        });
        return loader.load(reference.id);
      },
    } as ReferenceResolverMap[string],
  };
}

/** A user as a subgraph's read model of identity's staff knows them (kit's UserRef, documents' staff directory). */
export type KnownUserName = { id: string; name: string };

/** Loads many users of a subgraph's read model of identity's users by id, in one query (ids are valid UUIDs). */
export type KnownUsersLoader = (ids: readonly string[], context: SubgraphContext) => Promise<KnownUserName[]>;

/** The name of the per-request loader of known users (see knownUser, primeKnownUsers). */
const KNOWN_USERS_LOADER = 'user-name';

/**
 * The per-request batch of users known to this subgraph's read model: every User field and every `User.name`
 * of one response share it (one query for all of them, DataLoader-cached), whoever asks first.
 */
function knownUser(id: string, context: SubgraphContext, load: KnownUsersLoader): Promise<KnownUserName | null> {
  const loader = context.loaders.get<KnownUserName>(KNOWN_USERS_LOADER, async (ids) => {
    const valid = ids.filter(isUuid);
    return byKeys(ids, valid.length ? await load(valid, context) : [], (row) => row.id.toLowerCase());
  });
  return loader.load(id.toLowerCase());
}

/**
 * Tells the per-request batch of known users (see knownUser) what a query already read from this subgraph's read
 * model of identity's users along with something else (a join on the user ids of the rows it loaded): `ids` were
 * looked up, `found` are those the read model knows; the others are primed as unknown (null), exactly what the
 * batch would have answered. Their `User.name` and nullable User fields then cost no query of their own.
 */
export function primeKnownUsers(context: Pick<SubgraphContext, 'loaders'>, ids: readonly (string | null | undefined)[], found: readonly KnownUserName[]): void {
  const names = new Map(found.map((user) => [user.id.toLowerCase(), user]));
  for (const id of ids) {
    if (typeof id !== 'string' || !isUuid(id)) continue;
    const key = id.toLowerCase();
    context.loaders.prime<KnownUserName>(KNOWN_USERS_LOADER, key, names.get(key) ?? null);
  }
}

function isCaller(id: string, context: SubgraphContext): boolean {
  const caller = context.identity;
  return caller.kind === 'user' && caller.id.toLowerCase() === id.toLowerCase();
}

/**
 * `User.name` resolved by a subgraph that is not identity, from its own read model of identity's users, so the
 * gateway need not ask identity for display names (identity declares the field `@shareable`, so does every stub
 * that resolves it). All users of one request are loaded in one batch (`load`: many ids, one query).
 *
 * A user absent from the read model: the model is complete by construction, since identity publishes
 * `identity.user.upserted` in the same transaction as every creation and change (deactivation included: the row
 * stays, with its name) and never deletes a user, and a read model can be rebuilt from those events. The gaps
 * are delivery lag, right after a user is created, and rows written around the API (a dangling author or
 * owner). The likeliest lag case is the new user looking at what they have just done, answered from the
 * caller's own identity (signed by the gateway, it carries the name). No User field gets here with anyone else
 * unknown: `nullUnknownUsers` has made a single one null and left it out of a list, as identity's reference
 * resolver did. Should one still arrive, it is an error at this field's path (NOT_FOUND), never a wrong or
 * empty name.
 */
export async function userNameFromReadModel(id: string, context: SubgraphContext, load: KnownUsersLoader): Promise<string> {
  const known = await knownUser(id, context, load);
  if (known) return known.name;
  const caller = context.identity;
  if (caller.kind === 'user' && isCaller(id, context)) return caller.name;
  throw new NotFoundError('User', id);
}

/** Whether a User field's selection asks for more than its key (`id`, `__typename`): only then is the user looked up. */
function asksBeyondKey(selections: readonly SelectionNode[], info: GraphQLResolveInfo): boolean {
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== 'id' && selection.name.value !== '__typename') return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (asksBeyondKey(selection.selectionSet.selections, info)) return true;
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment && asksBeyondKey(fragment.selectionSet.selections, info)) return true;
    }
  }
  return false;
}

/** `User`, `User!`, `[User]`, `[User!]`, `[User!]!`: whether the field holds one user or a list of them (else null). */
function userFieldShape(type: GraphQLOutputType): 'single' | 'list' | null {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isObjectType(inner)) return inner.name === 'User' ? 'single' : null;
  if (!isListType(inner)) return null;
  const item = isNonNullType(inner.ofType) ? inner.ofType.ofType : inner.ofType;
  return isObjectType(item) && item.name === 'User' ? 'list' : null;
}

/**
 * A reference to a user this subgraph's read model does not know (a row written around the API whose author or
 * owner id points at no user) never turns into an error: on a nullable User field it resolves to null, with no
 * error, exactly as when identity's reference resolver answered for it; from a list of users (assignees, who must
 * act now) it is left out, so the rest of the list and the row holding it still come back. A known user
 * (deactivated ones included) is returned as is, and so is the caller themself (see userNameFromReadModel). The
 * lookup is the per-request batch `User.name` uses, so it costs no query of its own, and happens only when the
 * selection asks for more than the user's id (an id alone was never checked by the gateway either). A non-null
 * single `User!` field cannot be wrapped this way; the schemas declare none (see the kit spec that checks it).
 */
export function nullUnknownUsers(schema: GraphQLSchema, load: KnownUsersLoader): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('_')) continue;
      const shape = userFieldShape(field.type);
      if (shape === null || (shape === 'single' && isNonNullType(field.type))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const isKnown = async (user: unknown, context: SubgraphContext): Promise<boolean> => {
        const id = (user as { id?: unknown } | null)?.id;
        if (typeof id !== 'string' || isCaller(id, context)) return true;
        return (await knownUser(id, context, load)) !== null;
      };
      field.resolve = async (source, args, context: SubgraphContext, info) => {
        const value: unknown = await resolve(source, args, context, info);
        if (value === null || value === undefined) return value;
        if (!info.fieldNodes.some((node) => node.selectionSet && asksBeyondKey(node.selectionSet.selections, info))) return value;
        if (shape === 'single') return (await isKnown(value, context)) ? value : null;
        if (!Array.isArray(value)) return value;
        const known = await Promise.all(value.map((user) => (user === null || user === undefined ? true : isKnown(user, context))));
        return value.filter((_, index) => known[index]);
      };
    }
  }
}

/** The names of the non-null single `User!` fields of a schema: unknown users there could only be errors. */
export function nonNullUserFields(schema: GraphQLSchema): string[] {
  const found: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('_')) continue;
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && userFieldShape(field.type) === 'single') found.push(`${type.name}.${field.name}`);
    }
  }
  return found;
}
